"""Which document kinds ``POST /api/v1/batches`` makes, against the real server.

Issue 12's batch takes one file of cases (CSV, XLSX or JSON), so it makes the kinds that
are one document per case: letters (``test_api.py``), report templates and accounts
workbooks (here, read back with python-docx and openpyxl). The other kinds the database
knows (``service.db.BATCH_KINDS``) are not made from a file of cases: a checklist or a
repayment claim needs the workbook a grantee returned, the statistics are one document for
the whole file. A batch of them is a 422 problem that names the route that makes them,
and the OpenAPI says so.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook

from grantdocs.service.db import BATCH_KINDS
from tests.helpers import SAMPLES
from tests.service.conftest import Server, batch_ended

PROBLEM = "application/problem+json"
ROUTES = {"checklists": "POST /api/v1/checklists",
          "repayment-claims": "POST /api/v1/repayment-claims", "stats": "POST /api/v1/stats"}


def two_grants(tmp_path: Path) -> Path:
    """The first two decisions of the bundled sample (both grants), as a caseworker's CSV."""
    source = (SAMPLES / "decisions.csv").read_text("utf-8-sig").splitlines()
    path = tmp_path / "vedtak.csv"
    path.write_text("\n".join(source[:3]) + "\n", "utf-8")
    return path


def test_report_template_and_accounts_workbook_batches_are_made(server: Server,
                                                                tmp_path: Path) -> None:
    upload = two_grants(tmp_path)
    with server.client() as client:
        started = {}
        for kind, fmt in (("report-templates", "docx"), ("accounts-workbooks", "xlsx")):
            answer = client.post("/api/v1/batches", files={"file": upload.open("rb")},
                                 data={"kind": kind, "formats": fmt})
            assert answer.status_code == 202, answer.text
            assert answer.json()["kind"] == kind
            started[kind] = answer.headers["location"]
        zips = {}
        for kind, location in started.items():
            status = batch_ended(client, location)
            assert (status["status"], status["total"], status["written"], status["failed"]) == (
                "done", 2, 2, 0), status
            files = client.get(f"{location}/files.zip")
            assert files.status_code == 200
            zips[kind] = zipfile.ZipFile(io.BytesIO(files.content))
    reports = [n for n in zips["report-templates"].namelist() if n.endswith(".docx")]
    assert len(reports) == 2
    for name in reports:
        text = "\n".join(p.text for p in docx.Document(
            io.BytesIO(zips["report-templates"].read(name))).paragraphs)
        assert "22/000" in text  # the case's reference, in the template for its grantee
    workbooks = [n for n in zips["accounts-workbooks"].namelist() if n.endswith(".xlsx")]
    assert len(workbooks) == 2
    for name in workbooks:
        book = load_workbook(io.BytesIO(zips["accounts-workbooks"].read(name)))
        assert book.sheetnames and any(
            "22/000" in str(cell.value) for sheet in book for row in sheet.iter_rows()
            for cell in row if cell.value is not None)


@pytest.mark.parametrize("kind", sorted(ROUTES))
def test_a_batch_of_a_kind_with_its_own_route_is_a_422_naming_it(server: Server,
                                                                   tmp_path: Path,
                                                                   kind: str) -> None:
    assert kind in BATCH_KINDS
    with server.client() as client:
        answer = client.post("/api/v1/batches", files={"file": two_grants(tmp_path).open("rb")},
                             data={"kind": kind})
        paths = client.get("/openapi.json").json()["paths"]
    assert answer.status_code == 422 and answer.headers["content-type"] == PROBLEM
    body = answer.json()
    assert body["type"] == "/problems/not-a-batch-kind" and body["status"] == 422
    assert ROUTES[kind] in body["detail"], body["detail"]
    assert ROUTES[kind].split()[1] in paths  # the route it names is there
    assert [i["field"] for i in body["issues"]] == ["kind"]


def test_an_unknown_kind_is_a_422_listing_the_kinds(server: Server, tmp_path: Path) -> None:
    with server.client() as client:
        answer = client.post("/api/v1/batches", files={"file": two_grants(tmp_path).open("rb")},
                             data={"kind": "posters"})
    assert answer.status_code == 422, answer.text
    detail = answer.json()["detail"]
    assert "'posters'" in detail and "letters, report-templates, accounts-workbooks" in detail


def test_the_openapi_lists_the_batch_kinds_and_documents_the_422(server: Server) -> None:
    with server.anonymous() as http:
        spec = http.get("/openapi.json").json()
    post = spec["paths"]["/api/v1/batches"]["post"]
    ref = post["requestBody"]["content"]["multipart/form-data"]["schema"]["$ref"]
    form = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
    kind = form["properties"]["kind"]
    assert kind["enum"] == ["letters", "report-templates", "accounts-workbooks"]
    assert "checklists, repayment-claims and stats" in kind["description"]
    refused = post["responses"]["422"]["description"]
    assert "/problems/not-a-batch-kind" in refused and "checklists" in refused
