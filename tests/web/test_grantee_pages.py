"""The grantee's page over HTTP, against the real ``grantdocs serve``: the grant's facts in
its written form, the two downloads (read back with python-docx and openpyxl), the
returned workbook read back at once (the figures, the unspent amount, what must be
explained), a refused one, the annual report's receipt and its history, and hostile
uploads (filenames, a zip bomb) that stay inert.

The workbook sent back is the one the page gave, filled in as the public sample return
(``tools/make_return_sample.py``) is: kr 256 000 of costs, kr 20 000 of other income and
kr 15 000 of own contribution leave kr 29 000 of the kr 250 000 grant unspent, and
"Aktiviteter og materiell" is 30 % over budget without an explanation.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sqlite3
import zipfile
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfWriter
from tools.make_return_sample import fill_in

from tests.helpers import row_of
from tests.service.conftest import Server, local
from tests.web.test_grantee_api import html_lang, make_batch

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REFERENCE = "22/00133-5"  # Åpen dør, kr 250 000, Bokmål; audit required


def fill_like_the_sample(workbook: bytes) -> bytes:
    """``workbook`` filled in as samples/returns/ is (tools/make_return_sample.py)."""
    wb = load_workbook(io.BytesIO(workbook))
    fill_in(wb["Regnskap"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def text_of(html: str) -> str:
    """The page's text, tags dropped and spaces joined (no-break spaces as spaces)."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("\u00a0", " ").split())


class Grantee:
    """A grantee's browser: its cookies, the page's form token."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = local(timeout=120)

    def page(self) -> httpx.Response:
        return self.http.get(self.url)

    def csrf(self) -> str:
        found = re.search(r'name="csrf" value="([^"]+)"', self.page().text)
        assert found
        return found.group(1)

    def send(self, form: str, name: str, data: bytes, kind: str = XLSX) -> httpx.Response:
        return self.http.post(f"{self.url}/{form}", data={"csrf": self.csrf()},
                              files={"file": (name, data, kind)})


@pytest.fixture(scope="module")
def links_made(server: Server) -> dict[str, dict[str, Any]]:
    with server.client() as client:
        batch = make_batch(client)
        answer = client.post(f"/api/v1/batches/{batch}/grantee-links")
    assert answer.status_code == 200, answer.text
    return {link["reference"]: link for link in answer.json()}


@pytest.fixture(scope="module")
def grantee(links_made: dict[str, dict[str, Any]]) -> Iterator[Grantee]:
    browser = Grantee(links_made[REFERENCE]["url"])
    yield browser
    browser.http.close()


@pytest.fixture(scope="module")
def downloads(grantee: Grantee) -> dict[str, httpx.Response]:
    return {name: grantee.http.get(f"{grantee.url}/{name}")
            for name in ("report-template.docx", "accounts.xlsx")}


def test_the_page_shows_the_grant_in_its_written_form(
        grantee: Grantee, links_made: dict[str, dict[str, Any]]) -> None:
    answer = grantee.page()
    assert answer.status_code == 200 and html_lang(answer) == "nb"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    text = text_of(answer.text)
    for fact in ("Åpen dør", REFERENCE, "kr 250 000", "Frist for rapportering",
                 "Regnskapet må være attestert"):
        assert fact in text, fact
    path = "/g/" + grantee.url.rsplit("/g/", 1)[1]
    assert f'action="{path}/accounts"' in answer.text
    assert f'href="{path}/accounts.xlsx"' in answer.text
    with local(timeout=60) as client:
        nynorsk = client.get(links_made["22/00102-4"]["url"])
    assert nynorsk.status_code == 200 and html_lang(nynorsk) == "nn"
    assert "Rapportering på tilskotet" in nynorsk.text and "22/00102-4" in nynorsk.text


def test_the_report_template_is_this_grants_docx(downloads: dict[str, httpx.Response]) -> None:
    answer = downloads["report-template.docx"]
    assert answer.status_code == 200, answer.text[:500]
    assert answer.headers["content-type"].endswith("wordprocessingml.document")
    assert answer.headers["content-disposition"].startswith('attachment; filename="22-00133-5')
    document = Document(io.BytesIO(answer.content))
    text = " ".join([p.text for p in document.paragraphs] + [
        cell.text for table in document.tables for row in table.rows for cell in row.cells])
    text = text.replace("\u00a0", " ")
    assert REFERENCE in text and "250 000" in text


def test_the_accounts_workbook_is_this_grants_xlsx(downloads: dict[str, httpx.Response]) -> None:
    answer = downloads["accounts.xlsx"]
    assert answer.status_code == 200, answer.text[:500]
    assert answer.headers["content-type"] == XLSX
    wb = load_workbook(io.BytesIO(answer.content))
    values = [str(c.value) for row in wb["Regnskap"].iter_rows() for c in row if c.value]
    assert REFERENCE in values
    grant_row = row_of(wb["Regnskap"], "Innvilget tilskudd")
    assert wb["Regnskap"].cell(row=grant_row, column=2).value == 250_000


def test_a_returned_workbook_is_read_back_at_once(
        grantee: Grantee, downloads: dict[str, httpx.Response]) -> None:
    filled = fill_like_the_sample(downloads["accounts.xlsx"].content)
    answer = grantee.send("accounts", "Regnskap Åpen dør.xlsx", filled)
    assert answer.status_code == 200, text_of(answer.text)[:1000]
    assert html_lang(answer) == "nb"
    text = text_of(answer.text)
    assert "Ubrukt tilskudd: kr 29 000" in text
    assert "Kostnader i alt kr 256 000" in text and "Andre inntekter kr 20 000" in text
    assert "Dette må dere forklare" in text and "Aktiviteter og materiell: budsjett" in text
    assert "Tolketjenester" in text
    assert "Dette mangler" not in text
    page = text_of(grantee.page().text)
    assert "Ubrukt tilskudd etter det siste regnskapet: kr 29 000" in page
    assert "Regnskap Åpen dør.xlsx" in page


def test_a_tampered_workbook_is_refused_on_the_page(
        grantee: Grantee, downloads: dict[str, httpx.Response]) -> None:
    good = fill_like_the_sample(downloads["accounts.xlsx"].content)
    assert grantee.send("accounts", "regnskap.xlsx", good).status_code == 200
    wb = load_workbook(io.BytesIO(good))
    hidden = wb["grantdocs"]
    for row in hidden.iter_rows():
        if row[0].value == "grant":
            row[1].value = "25000"
    out = io.BytesIO()
    wb.save(out)
    answer = grantee.send("accounts", "regnskap.xlsx", out.getvalue())
    assert answer.status_code == 422
    assert html_lang(answer) == "nb"
    text = text_of(answer.text)
    assert "Regnskapet kunne ikke leses" in text
    assert "endret på en måte vi ikke kan godta" in text
    assert "GD-E153" in text  # the library's own message, in Bokmål, with its code
    # the good return sent before it still stands
    assert "etter det siste regnskapet: kr 29 000" in text_of(grantee.page().text)


def test_another_grants_workbook_is_refused(
        links_made: dict[str, dict[str, Any]], downloads: dict[str, httpx.Response]) -> None:
    other = Grantee(links_made["22/00094-2"]["url"])
    answer = other.send("accounts", "regnskap.xlsx", downloads["accounts.xlsx"].content)
    assert answer.status_code == 422
    assert "regnskapsskjemaet for et annet tilskudd" in text_of(answer.text)
    other.http.close()


def a_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_report_gets_a_receipt_and_a_second_keeps_the_first_in_the_history(
        grantee: Grantee, server: Server,
        downloads: dict[str, httpx.Response], links_made: dict[str, dict[str, Any]]) -> None:
    first = grantee.send("report", "årsrapport.docx", downloads["report-template.docx"].content,
                         "application/octet-stream")
    assert first.status_code == 200, text_of(first.text)[:800]
    text = text_of(first.text)
    assert "Årsrapporten er mottatt" in text
    today = dt.datetime.now(ZoneInfo("Europe/Oslo"))
    assert re.search(rf"{today.day}\. \w+ {today.year} kl\. \d\d\.\d\d", text), text
    second = grantee.send("report", "rapport.pdf", a_pdf(), "application/pdf")
    assert second.status_code == 200
    history = text_of(grantee.page().text)
    assert "rapport.pdf" in history and "årsrapport.docx" in history
    assert "Erstattet av en nyere fil" in history
    link_id = links_made[REFERENCE]["id"]
    with sqlite3.connect(server.data / "grantdocs.db", timeout=30) as db:
        rows = db.execute("SELECT id, kind, filename, stored, replaced_by FROM grantee_uploads "
                          "WHERE link_id = ? AND kind = 'report' ORDER BY id",
                          (link_id,)).fetchall()
    rows = rows[-2:]  # this test's two (the module's other tests may have sent others)
    assert [r[2] for r in rows] == ["årsrapport.docx", "rapport.pdf"]
    assert rows[0][4] == rows[1][0] and rows[1][4] is None
    for row in rows:
        stored = server.data / row[3]
        assert stored.parent == server.data / "grantee" / link_id and stored.is_file()
        assert re.fullmatch(r"report-\d{8}T\d{12}-[0-9a-f]{12}\.(docx|pdf)", stored.name)


def test_a_file_that_is_not_a_report_is_refused(grantee: Grantee) -> None:
    answer = grantee.send("report", "rapport.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    assert answer.status_code == 415
    assert "ikke en PDF-fil" in text_of(answer.text)
    assert 'aria-invalid="true"' in answer.text


def zip_bomb(names: tuple[str, ...]) -> bytes:
    """A zip whose last member inflates 1000 times (20 MB of zeros in ~20 KB)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names[:-1]:
            archive.writestr(name, "<x/>")
        archive.writestr(names[-1], b"\0" * (20 * 1024 * 1024))
    return out.getvalue()


def test_hostile_filenames_and_zip_bombs_stay_inert(
        grantee: Grantee, server: Server,
        links_made: dict[str, dict[str, Any]]) -> None:
    hostile = "..\\..\\..\\etc\\evil<img src=x onerror=alert(1)>.pdf"
    answer = grantee.send("report", hostile, a_pdf(), "application/pdf")
    assert answer.status_code == 200
    assert "<img" not in answer.text
    assert "evil&lt;img src=x onerror=alert(1)&gt;.pdf" in answer.text  # shown, escaped
    folder = server.data / "grantee" / links_made[REFERENCE]["id"]
    assert all(re.fullmatch(r"(report|accounts)-[0-9T]+-[0-9a-f]{12}\.\w+", p.name)
               for p in folder.iterdir())
    assert not (server.data.parent / "etc").exists()
    bomb = grantee.send("accounts", "bomb.xlsx", zip_bomb(("[Content_Types].xml", "xl/x.xml")))
    assert bomb.status_code == 422
    assert "Regnskapet kunne ikke leses" in text_of(bomb.text)
    docx_bomb = grantee.send("report", "bomb.docx", zip_bomb(
        ("[Content_Types].xml", "word/document.xml", "word/media/x.bin")))
    assert docx_bomb.status_code == 422
    assert "altfor stor når den pakkes ut" in text_of(docx_bomb.text)
    with server.anonymous() as anonymous:
        assert anonymous.get("/healthz").status_code == 200


def test_a_form_without_its_csrf_token_is_refused(grantee: Grantee) -> None:
    answer = grantee.http.post(f"{grantee.url}/report",
                               files={"file": ("rapport.pdf", a_pdf(), "application/pdf")})
    assert answer.status_code == 403 and html_lang(answer) == "nb"


def test_a_form_without_a_file_says_so(grantee: Grantee) -> None:
    answer = grantee.http.post(f"{grantee.url}/accounts", data={"csrf": grantee.csrf()},
                               files={"other": ("x", b"", "text/plain")})
    assert answer.status_code == 400
    assert "Velg regnskapsskjemaet dere vil sende." in text_of(answer.text)
    assert 'aria-describedby="accounts-help accounts-error"' in answer.text
