"""The grants of a batch on the caseworker's pages: grantee links (make, copy, e-mail text,
revoke), the returned workbook and the checklist made from it; over HTTP against the
real server."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from grantdocs.service.db import open_database
from grantdocs.service.web.links import Refusal, get_link, resolve
from tests.helpers import SAMPLES, flat, pdftotext, row_of
from tests.service.conftest import Server, new_token
from tests.web.app_support import NB, browser, csrf_of, sign_in, table_rows, wait_done
from tests.workbooks import fill

WITH_ERRORS = SAMPLES / "decisions-with-errors.csv"


@pytest.fixture(scope="module")
def batch(server: Server) -> Iterator[dict[str, Any]]:
    """One grant in Bokmål (row 2 of the sample) and a rejection (row 5), made a batch
    through the API with the caseworker's token, as HTML letters: what the grants page
    shows comes from the batch's upload, whatever it renders (a batch made with the
    pages' button, of PDF letters read back, is test_app_batches.py's)."""
    lines = WITH_ERRORS.read_text("utf-8-sig").splitlines(keepends=True)
    sheet = "".join([lines[0], lines[1], lines[4]]).encode("utf-8")
    with server.client() as api:
        made = api.post("/api/v1/batches", data={"kind": "letters", "formats": "html"},
                        files={"file": ("tilskudd.csv", sheet, "text/csv")})
        assert made.status_code == 202, made.text
    batch_id = made.json()["id"]
    with sign_in(server) as client:
        assert wait_done(client, batch_id)["status"] == "done"
        yield {"client": client, "id": batch_id}


def _state(server: Server) -> Any:
    """What the links module needs of the service, on the server's own database."""
    from grantdocs.service.settings import ServiceSettings

    settings = ServiceSettings.build(server.data)
    _engine, sessions = open_database(settings.database_url)
    return SimpleNamespace(sessions=sessions, settings=settings)


def _stored_link(server: Server, link_id: str) -> Any:
    link = get_link(_state(server), link_id)
    assert link is not None
    return link


def _filled(workbook: bytes) -> bytes:
    """The workbook filled in and signed as a grantee would (tests/workbooks.py's figures)."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(fill(workbook)))
    ws = wb["Regnskap"]
    signed_by = "Underskrevet av (styreleder, daglig leder eller den som har fullmakt)"
    ws.cell(row=row_of(ws, signed_by), column=2, value="Kristin Sæther")
    ws.cell(row=row_of(ws, "Dato"), column=2, value=dt.datetime(2023, 2, 12))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _links(page: str) -> list[str]:
    return [html.unescape(u) for u in re.findall(
        r'<input id="url-\d+" class="link-field" type="text" readonly value="([^"]+)"', page)]


def test_the_grants_page_makes_links_with_a_copy_button_and_an_email_text(
        batch: dict[str, Any], server: Server) -> None:
    client, grants = batch["client"], f"/app/batches/{batch['id']}/grants"
    before = client.get(grants)
    assert before.status_code == 200
    rows = table_rows(before.text, "app-grants")
    assert [r[:2] for r in rows] == [["22/00087-3", "Frivillig Mangfold Norge"]]  # no rejection
    assert rows[0][-1] == NB["link_none"] and NB["make_links"] in before.text
    made = client.post(f"/app/batches/{batch['id']}/links", data={"csrf": csrf_of(before)})
    assert made.status_code == 303
    page = client.get(grants).text
    urls = _links(page)
    assert len(urls) == 1 and re.fullmatch(re.escape(server.url) + r"/g/[\w-]{22}\.[0-9a-f]{64}",
                                           urls[0])
    assert '<script src="/static/copy.js" defer></script>' in page
    assert re.search(r'<button type="button"[^>]* hidden data-copy="url-1"', page)
    email = re.search(r'<textarea id="email-1"[^>]*readonly[^>]*>(.*?)</textarea>', page, re.S)
    assert email, page
    text = html.unescape(email.group(1))
    assert urls[0] in text and "Frivillig Mangfold Norge" in text and "22/00087-3" in text
    assert text.startswith(NB["email_text"].split("{")[0])
    again = client.post(f"/app/batches/{batch['id']}/links", data={"csrf": csrf_of(before)})
    assert again.status_code == 303 and _links(client.get(grants).text) == urls  # the same


def test_a_returned_workbook_shows_and_makes_the_checklist(batch: dict[str, Any],
                                                          server: Server) -> None:
    client, grants = batch["client"], f"/app/batches/{batch['id']}/grants"
    page = client.get(grants)
    if not _links(page.text):
        client.post(f"/app/batches/{batch['id']}/links", data={"csrf": csrf_of(page)})
        page = client.get(grants)
    url = _links(page.text)[0]
    path = url.removeprefix(server.url)
    with browser(server) as grantee:  # another browser: the grantee's, through the link
        own = grantee.get(path)
        assert own.status_code == 200, own.text[:500]
        workbook = grantee.get(path + "/accounts.xlsx")
        assert workbook.status_code == 200
        returned_workbook = _filled(workbook.content)
        sent = grantee.post(path + "/accounts", data={"csrf": csrf_of(own)}, files={
            "file": ("regnskap.xlsx", returned_workbook, "application/octet-stream")})
        assert sent.status_code == 200, sent.text[:500]
    page = client.get(grants)
    rows = table_rows(page.text, "app-grants")
    assert rows[0][3].startswith(NB["received_on"])
    assert NB["accounts_unspent"].split("{")[0] in rows[0][3]
    link_id = re.search(r"/app/links/([\w-]+)/checklist\.pdf", page.text)
    assert link_id, page.text
    checklist = client.get(f"/app/links/{link_id.group(1)}/checklist.pdf")
    assert checklist.status_code == 200, checklist.text[:500]
    assert checklist.headers["content-type"] == "application/pdf"
    assert "22/00087-3" in flat(pdftotext(checklist.content))
    returned = client.get(f"/app/links/{link_id.group(1)}/files/accounts")
    assert returned.status_code == 200 and returned.content == returned_workbook
    with sign_in(server, new_token(server.data, "app-grants-other")) as other:
        assert other.get(f"/app/links/{link_id.group(1)}/checklist.pdf").status_code == 404
        assert other.get(grants).status_code == 404


def test_revoking_a_link_ends_it(batch: dict[str, Any], server: Server) -> None:
    client, grants = batch["client"], f"/app/batches/{batch['id']}/grants"
    page = client.get(grants)
    if not _links(page.text):
        client.post(f"/app/batches/{batch['id']}/links", data={"csrf": csrf_of(page)})
        page = client.get(grants)
    url = _links(page.text)[0]
    form = re.search(r'<form method="post" action="(/app/links/[\w-]+/revoke)">', page.text)
    assert form
    refused = client.post(form.group(1), data={})
    assert refused.status_code == 403  # no CSRF field
    link_id = url.rsplit("/", 1)[-1].split(".")[0]
    assert _stored_link(server, link_id).revoked_at is None
    assert client.get(url.removeprefix(server.url)).status_code == 200
    revoked = client.post(form.group(1), data={"csrf": csrf_of(page)})
    assert revoked.status_code == 303 and revoked.headers["location"] == grants
    after = client.get(grants).text
    assert table_rows(after, "app-grants")[0][-1] == NB["link_revoked"]
    assert not _links(after) and "/revoke" not in after
    assert _stored_link(server, link_id).revoked_at is not None
    refusal = resolve(_state(server), url.rsplit("/", 1)[-1])
    assert isinstance(refusal, Refusal) and refusal.status == 410
    gone = client.get(url.removeprefix(server.url))
    assert gone.status_code == 410 and '<html lang="nb">' in gone.text
