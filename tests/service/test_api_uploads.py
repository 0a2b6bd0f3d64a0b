"""Documents made from an uploaded file, against the real ``grantdocs serve``: the control
checklist and the repayment claim from a returned accounts workbook, and the statistics
of a file of decisions.

The workbook is the one the service's own ``POST /api/v1/accounts-workbooks`` gave,
filled in with openpyxl as a grantee would; outputs are read back with pdftotext and
openpyxl (the PDFs, left under the test's temporary folder, are checked as PDF/A-2a).
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from grantdocs.keys import Keyring, load_keyring
from grantdocs.service.settings import ServiceSettings
from grantdocs.writers.xlsx.accounts_workbook import write_accounts_workbook
from tests.helpers import flat, make_case, pdftotext, row_of
from tests.service.conftest import Server
from tests.service.test_api import problem, small_csv

CASE = make_case("granted")  # kr 450 000 granted to 22/00123-4
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATES = {"received": "2023-02-20", "claim_date": "2023-03-01"}


def filled(workbook: bytes, *, travel: int) -> bytes:
    """The workbook filled in as a grantee would: kr 290 000 salaries plus ``travel``."""
    wb = load_workbook(io.BytesIO(workbook))
    ws = wb["Regnskap"]
    for label, budget, actual in (("Lønn og honorarer", 300_000, 290_000),
                                  ("Reise", 150_000, travel)):
        ws.cell(row=row_of(ws, label), column=2, value=budget)
        ws.cell(row=row_of(ws, label), column=3, value=actual)
    signed_by = "Underskrevet av (styreleder, daglig leder eller den som har fullmakt)"
    ws.cell(row=row_of(ws, signed_by), column=2, value="Nora Lund")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with server.client() as http:
        yield http


@pytest.fixture(scope="module")
def downloaded(client: httpx.Client) -> bytes:
    """The accounts workbook the service made for CASE."""
    answer = client.post("/api/v1/accounts-workbooks", json=json.loads(CASE.model_dump_json()))
    assert answer.status_code == 200, answer.text
    return answer.content


def send(client: httpx.Client, route: str, workbook: bytes, *, case: Any = None,
         **params: str) -> httpx.Response:
    case_text = CASE.model_dump_json() if case is None else case
    return client.post(route, params={**DATES, **params}, data={"case": case_text},
                       files={"file": ("regnskap.xlsx", workbook, XLSX)})


def test_a_checklist_from_the_services_own_workbook_filled_in(
        client: httpx.Client, downloaded: bytes, tmp_path: Path) -> None:
    workbook = filled(downloaded, travel=95_000)
    pdf = send(client, "/api/v1/checklists", workbook, format="pdf")
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == (
        'attachment; filename="22-00123-4_Sami-Searvi-Nuvttat_kontroll.pdf"')
    (tmp_path / "kontroll.pdf").write_bytes(pdf.content)  # PDF/A-2a checked at session end
    text = flat(pdftotext(pdf.content))
    assert "22/00123-4" in text and CASE.organisation.name in text
    assert "385 000" in text and "20.02.2023" in text  # the costs reported, the date received
    sheet = send(client, "/api/v1/checklists", workbook, format="xlsx")
    assert sheet.status_code == 200, sheet.text
    cells = [str(c.value) for ws in load_workbook(io.BytesIO(sheet.content)).worksheets
             for row in ws.iter_rows() for c in row if c.value is not None]
    assert any("22/00123-4" in c for c in cells)


def test_a_repayment_claim_for_the_unspent_money(client: httpx.Client, downloaded: bytes,
                                                 tmp_path: Path) -> None:
    claim = send(client, "/api/v1/repayment-claims", filled(downloaded, travel=95_000))
    assert claim.status_code == 200, claim.text
    assert claim.headers["content-disposition"].endswith('_tilbakebetaling.pdf"')
    (tmp_path / "krav.pdf").write_bytes(claim.content)
    text = flat(pdftotext(claim.content))
    assert "22/00123-4" in text and "65 000" in text and "01.03.2023" in text  # 450 - 385
    nothing = send(client, "/api/v1/repayment-claims", filled(downloaded, travel=160_000),
                   format="docx")
    body = problem(nothing, 422)
    assert body["type"] == "/problems/not-applicable"
    assert "nothing unspent" in body["detail"]


def test_a_forged_altered_or_foreign_workbook_is_refused(client: httpx.Client,
                                                         downloaded: bytes) -> None:
    forged = write_accounts_workbook(CASE, keyring=Keyring.from_text("another key " * 4))
    other = make_case("granted", decision={"case_number": "22/00999-1"})
    answers = {
        "forged": send(client, "/api/v1/checklists", filled(forged, travel=95_000)),
        "foreign": send(client, "/api/v1/repayment-claims", filled(downloaded, travel=1),
                        case=other.model_dump_json()),
        "not a workbook": send(client, "/api/v1/checklists", b"Notater fra telefonen\n"),
    }
    for what, answer in answers.items():
        body = problem(answer, 422)
        assert body["type"] == "/problems/return-refused", what
        assert body["issues"][0]["field"] == "file" and body["issues"][0]["message"], what
    assert "signature" in flat(answers["forged"].json()["detail"]).lower()
    unreadable = problem(send(client, "/api/v1/checklists", downloaded, case="{not json"), 422)
    assert unreadable["issues"][0]["field"].startswith("case")


def test_statistics_of_an_uploaded_file(client: httpx.Client, tmp_path: Path) -> None:
    source = small_csv(tmp_path, 6)
    lines = source.read_text("utf-8").splitlines()
    broken = tmp_path / "vedtak.csv"
    broken.write_text("\n".join([*lines, lines[1]]) + "\n", "utf-8")  # a case number twice
    answer = client.post("/api/v1/stats", params={"format": "xlsx", "lang": "nn"},
                         files={"file": (broken.name, broken.read_bytes(), "text/csv")})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == XLSX
    assert answer.headers["grantdocs-left-out"] == "1"
    book = load_workbook(io.BytesIO(answer.content))
    cells = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert 6 in cells  # six decisions counted
    pdf = client.post("/api/v1/stats", files={"file": (source.name, source.read_bytes(),
                                                       "text/csv")})
    assert pdf.status_code == 200, pdf.text
    (tmp_path / "statistikk.pdf").write_bytes(pdf.content)
    assert pdf.headers["grantdocs-left-out"] == "0"
    assert "Tildelt" in pdftotext(pdf.content)
    wrong = client.post("/api/v1/stats", files={"file": ("notes.txt", b"x", "text/plain")})
    assert problem(wrong, 422)["issues"][0]["field"] == "file"


def test_uploads_are_bounded_and_need_a_token(server: Server, limits_server: Server,
                                              tmp_path: Path, downloaded: bytes) -> None:
    with server.anonymous() as http:
        for route in ("/api/v1/checklists", "/api/v1/repayment-claims", "/api/v1/stats"):
            answer = http.post(route, files={"file": ("a.xlsx", b"x", XLSX)})
            assert problem(answer, 401)["type"] == "/problems/no-token"
    with limits_server.client() as limited:  # at most 5 rows, 1 MB bodies
        rows = small_csv(tmp_path, 8)
        over = limited.post("/api/v1/stats", files={"file": (rows.name, rows.read_bytes())})
        assert "5" in problem(over, 422)["detail"]
        big = send(limited, "/api/v1/checklists", downloaded + b"\0" * (1024 * 1024))
        problem(big, 413)
    with server.anonymous() as http:
        spec = http.get("/openapi.json").json()
    for route in ("/api/v1/checklists", "/api/v1/repayment-claims", "/api/v1/stats"):
        responses = spec["paths"][route]["post"]["responses"]
        assert {"200", "401", "413", "422"} <= set(responses), route


def test_the_service_signs_and_verifies_with_its_own_key(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "environ", dict(os.environ))  # adopt_key sets the process's
    keyless = ServiceSettings.build(tmp_path / "a", environ={})
    keyless.prepare()
    keyless.adopt_key()
    assert load_keyring().current == keyless.keyring().current == (
        tmp_path / "a" / "secret.key").read_text().strip().encode()
    keyed = ServiceSettings.build(tmp_path / "b", environ={"GRANTDOCS_SECRET_KEY": "k" * 40})
    keyed.adopt_key()
    assert load_keyring().current == b"k" * 40
