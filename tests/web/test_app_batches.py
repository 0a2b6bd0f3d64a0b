"""From a checked sheet to letters on the caseworker's pages: generate, progress, the zip
and the print PDF, over HTTP against the real server with its job worker."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from grantdocs.validate import check_inputs
from tests.helpers import SAMPLES, flat, pdftotext
from tests.service.conftest import Server, new_token
from tests.web.app_support import NB, csrf_of, sign_in, wait_done

WITH_ERRORS = SAMPLES / "decisions-with-errors.csv"


@pytest.fixture(scope="module")
def small_sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three rows of the sample with errors: two good decisions and a bad organisation
    number (rows 2, 3 and 10 of the sample; rows 2-4 here). Small: every test renders."""
    lines = WITH_ERRORS.read_text("utf-8-sig").splitlines(keepends=True)
    path = tmp_path_factory.mktemp("sheet") / "vedtak-med-feil.csv"
    path.write_text("".join([lines[0], lines[1], lines[2], lines[9]]), "utf-8")
    return path


@pytest.fixture(scope="module")
def generated(server: Server, small_sheet: Path) -> Iterator[dict[str, Any]]:
    """The sheet uploaded, checked and generated once; the batch run to its end. With a
    token of its own, so that its dashboard lists this module's batch alone (the server is
    the browser tests' too, whose caseworker uploads a sheet of the same name)."""
    token = new_token(server.data, "app-batches")
    with sign_in(server, token) as client:
        home = client.get("/app/")
        draft = client.post("/app/uploads", data={"csrf": csrf_of(home)}, files={
            "file": (small_sheet.name, small_sheet.read_bytes(), "text/csv")})
        checked = client.get(draft.headers["location"])
        assert "/generate" in checked.text
        made = client.post(draft.headers["location"] + "/generate",
                           data={"csrf": csrf_of(checked)})
        assert made.status_code == 303, made.text
        location = made.headers["location"]
        batch_id = location.rsplit("/", 1)[-1]
        first = client.get(location)
        again = client.post(draft.headers["location"] + "/generate",
                            data={"csrf": csrf_of(checked)})  # pressed twice: one batch
        progress = wait_done(client, batch_id)
        yield {"client": client, "id": batch_id, "first": first, "again": again, "token": token,
               "progress": progress, "page": client.get(location), "draft": draft}


def test_the_batch_page_shows_live_progress_without_inline_script(
        generated: dict[str, Any]) -> None:
    first = generated["first"].text
    assert re.search(r'<progress id="progress" max="\d+" value="\d+"', first)
    assert '<script src="/static/progress.js" defer></script>' in first
    assert not re.search(r"<script(?![^>]*\bsrc=)", first)  # no inline script (CSP)
    assert f'/app/batches/{generated["id"]}/progress.json' in first
    if "data-ended=\"false\"" in first:  # without JavaScript: a link loads the page again
        assert f'<a href="/app/batches/{generated["id"]}">{NB["refresh"]}</a>' in first
    assert generated["again"].headers["location"] == f"/app/batches/{generated['id']}"
    progress = generated["progress"]
    assert progress["status"] == "done" and progress["ended"] is True
    assert (progress["total"], progress["written"], progress["failed"]) == (3, 2, 1)
    assert progress["text"] == NB["progress_count"].replace("{finished}", "3").replace(
        "{total}", "3")


def test_progress_js_and_copy_js_are_served_from_the_site(server: Server) -> None:
    with sign_in(server) as client:
        script = client.get("/static/progress.js")
        assert script.status_code == 200 and "fetch(" in script.text
        assert "data-progress-url" in script.text and "eval(" not in script.text
        assert "javascript" in script.headers["content-type"]
        assert "navigator.clipboard" in client.get("/static/copy.js").text


def test_done_the_zip_holds_exactly_the_good_letters(generated: dict[str, Any],
                                                      server: Server,
                                                      small_sheet: Path) -> None:
    client = generated["client"]
    page = generated["page"].text
    zip_url = f"/app/batches/{generated['id']}/files.zip"
    assert zip_url in page and f"/app/batches/{generated['id']}/print.pdf" in page
    good = [c.case for c in check_inputs([small_sheet]) if c.case is not None]
    assert len(good) == 2
    answer = client.get(zip_url)
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        names = sorted(archive.namelist())
        letters = [n for n in names if n.endswith(".pdf")]
        assert len(letters) == 2 and {"manifest.json", "manifest.csv"} <= set(names)
        for case in good:
            mine = [n for n in letters if n.startswith(case.reference.replace("/", "-"))]
            assert len(mine) == 1, (case.reference, letters)
            text = flat(pdftotext(archive.read(mine[0])))
            assert case.reference in text and case.organisation.name in text
        assert "972056333" not in " ".join(names)
    with server.client(generated["token"]) as api:  # the same file as the API's
        theirs = api.get(f"/api/v1/batches/{generated['id']}/files.zip")
        assert theirs.status_code == 200 and theirs.content == answer.content


def test_done_the_print_pdf_joins_the_letters_for_duplex_printing(
        generated: dict[str, Any]) -> None:
    client = generated["client"]
    with zipfile.ZipFile(io.BytesIO(client.get(
            f"/app/batches/{generated['id']}/files.zip").content)) as archive:
        pages = [len(PdfReader(io.BytesIO(archive.read(n))).pages)
                 for n in archive.namelist() if n.endswith(".pdf")]
    answer = client.get(f"/app/batches/{generated['id']}/print.pdf")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    joined = PdfReader(io.BytesIO(answer.content))
    assert len(joined.pages) == sum(p + p % 2 for p in pages)
    text = flat(pdftotext(answer.content))
    assert "Frivillig Mangfold Norge" in text and "Sámi Searvi Oslo" in text
    assert client.get(f"/app/batches/{generated['id']}/print.pdf").content == answer.content


def test_the_dashboard_lists_the_caseworkers_batches(generated: dict[str, Any],
                                                    server: Server) -> None:
    from tests.web.app_support import table_rows

    client = generated["client"]
    rows = table_rows(client.get("/app/").text, "app-batches")
    mine = [r for r in rows if r[0] == "vedtak-med-feil.csv"]
    assert mine and mine[0][2] == NB["status_done"] and mine[0][3:] == ["2", "1"]
    with sign_in(server, new_token(server.data, "app-dashboard-other")) as other:
        assert f"/app/batches/{generated['id']}" not in other.get("/app/").text
        assert other.get(f"/app/batches/{generated['id']}").status_code == 404
        assert other.get(f"/app/batches/{generated['id']}/files.zip").status_code == 404
