"""The HTTP contract of issue 12, against a real ``grantdocs serve`` on 127.0.0.1.

Every response is read back with an independent reader: pypdf and pdftotext for the
PDF (and, left under the session's temporary folder, page-validation's PDF/A-2a),
python-docx for DOCX, openpyxl for XLSX, zipfile for a batch's files.
"""

from __future__ import annotations

import concurrent.futures
import csv
import io
import json
import socket
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from grantdocs.model import json_schemas
from tests.helpers import SAMPLES, cli, docx_text, flat, make_case, pdftotext
from tests.service.conftest import Server, batch_ended, new_token

CASE = make_case("granted")
PROBLEM = "application/problem+json"


def case_json(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(make_case(**overrides).model_dump_json())
    return data


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["title"] and body["type"] and body["detail"]
    return body


def small_csv(tmp_path: Path, rows: int) -> Path:
    """The first ``rows`` decisions of the bundled sample, as the caseworker's CSV."""
    source = (SAMPLES / "decisions.csv").read_text("utf-8-sig").splitlines()
    path = tmp_path / f"vedtak-{rows}.csv"
    path.write_text("\n".join(source[:rows + 1]) + "\n", "utf-8")
    return path


# --- the service's own routes ----------------------------------------------------------------


def test_healthz_and_openapi_3_1_from_the_library_models(server: Server) -> None:
    with server.anonymous() as http:
        assert http.get("/healthz").json()["status"] == "ok"
        spec = http.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    for path in ("/api/v1/letters", "/api/v1/batches", "/api/v1/batches/{batch_id}",
                 "/api/v1/batches/{batch_id}/files.zip", "/api/v1/schemas/{name}"):
        assert path in spec["paths"], path
    body = spec["paths"]["/api/v1/letters"]["post"]["requestBody"]["content"]
    ref = body["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(spec["components"]["schemas"][ref]["properties"]) == set(
        json_schemas()["case"]["properties"])
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


def test_schemas_are_the_ones_grantdocs_schema_prints(server: Server) -> None:
    with server.client() as client:
        for name in ("case", "round"):
            printed = json.loads(cli("schema", name).stdout)
            assert client.get(f"/api/v1/schemas/{name}").json() == printed
        problem(client.get("/api/v1/schemas/nothing"), 422)


# --- 401 -------------------------------------------------------------------------------------


def test_no_wrong_or_revoked_token_is_401_with_a_bearer_challenge(server: Server) -> None:
    revoked = new_token(server.data, "revoked-later")
    with server.client(revoked) as client:
        assert client.get("/api/v1/batches/" + "0" * 32).status_code == 404  # works first
    assert cli("token", "revoke", "--data", server.data, "--name", "revoked-later").exit_code == 0
    with server.anonymous() as http:
        for headers in ({}, {"Authorization": "Bearer gd_not-a-token"},
                        {"Authorization": f"Bearer {revoked}"}, {"Authorization": "Basic eDp5"}):
            answer = http.post("/api/v1/letters", json=case_json(), headers=headers)
            problem(answer, 401)
            assert answer.headers["www-authenticate"].startswith("Bearer")
            answer = http.get("/api/v1/batches/" + "0" * 32, headers=headers)
            problem(answer, 401)


# --- one case, one document --------------------------------------------------------------------


@pytest.fixture(scope="module")
def letters(server: Server) -> Iterator[dict[str, httpx.Response]]:
    with server.client() as client:
        yield {fmt: client.post("/api/v1/letters", params={"format": fmt}, json=case_json())
               for fmt in ("pdf", "docx", "html")}


def test_a_pdf_letter(letters: dict[str, httpx.Response], tmp_path: Path) -> None:
    answer = letters["pdf"]
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"] == (
        'attachment; filename="22-00123-4_Sami-Searvi-Nuvttat.pdf"')
    (tmp_path / "letter.pdf").write_bytes(answer.content)  # PDF/A-2a checked at session end
    reader = PdfReader(io.BytesIO(answer.content))
    assert reader.metadata is not None and reader.metadata.title
    text = flat(pdftotext(answer.content))
    assert CASE.organisation.name in text and "22/00123-4" in text
    assert "kr 450 000" in text


def test_a_docx_and_an_html_letter(letters: dict[str, httpx.Response]) -> None:
    docx = letters["docx"]
    assert docx.status_code == 200, docx.text
    assert docx.headers["content-type"].endswith("wordprocessingml.document")
    assert docx.headers["content-disposition"].endswith('_Sami-Searvi-Nuvttat.docx"')
    assert CASE.organisation.name in docx_text(docx.content)
    html = letters["html"]
    assert html.headers["content-type"] == "text/html; charset=utf-8"
    assert CASE.application.title in html.text and "<html" in html.text


def test_a_case_the_scheme_forbids_is_422_listing_each_issue(server: Server) -> None:
    too_much = case_json(decision={"amount_granted": "900000"})
    too_much["organisation"]["bank_account"] = None
    with server.client() as client:
        body = problem(client.post("/api/v1/letters", json=too_much), 422)
    fields = {i["field"] for i in body["issues"]}
    assert {"decision.amount_granted", "organisation.bank_account"} <= fields
    assert all(i["message"] for i in body["issues"])
    assert any("900 000" in flat(i["message"]) for i in body["issues"])


def test_a_case_the_model_cannot_read_is_422_listing_each_field(server: Server) -> None:
    broken = case_json()
    broken["organisation"]["org_number"] = "972056333"  # fails MOD11
    del broken["decision"]["date"]
    with server.client() as client:
        body = problem(client.post("/api/v1/letters", json=broken), 422)
        fields = {i["field"] for i in body["issues"]}
        assert {"organisation.org_number", "decision.date"} <= fields
        problem(client.post("/api/v1/letters", params={"format": "xlsx"}, json=case_json()),
                422)
        problem(client.post("/api/v1/letters", content=b"{not json",
                            headers={"content-type": "application/json"}), 422)


def test_report_template_and_accounts_workbook(server: Server) -> None:
    with server.client() as client:
        report = client.post("/api/v1/report-templates", json=case_json())
        workbook = client.post("/api/v1/accounts-workbooks", json=case_json())
        rejected = client.post("/api/v1/report-templates", json=case_json(kind="rejected"))
    assert report.status_code == 200, report.text
    assert report.headers["content-disposition"].endswith('_arsrapport.docx"')
    assert CASE.application.title in docx_text(report.content)
    assert workbook.status_code == 200, workbook.text
    book = load_workbook(io.BytesIO(workbook.content))
    assert any(cell.value == CASE.organisation.name
               for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)
    assert "no annual report" in problem(rejected, 422)["detail"]


def test_healthz_answers_while_a_letter_renders(server: Server) -> None:
    """Rendering is in a worker process: the event loop answers /healthz meanwhile.

    Counted, not timed: were the letter rendered on the event loop, the first probe sent
    after it would wait for the letter and at most one probe could be answered while the
    letter is still outstanding.
    """
    with server.client() as client, server.anonymous(timeout=30) as probe, \
            concurrent.futures.ThreadPoolExecutor(1) as pool:
        # A long letter (40 conditions, some 250 ms to render on a quiet machine), so
        # that many probes fit in its rendering even when the machine is fast.
        conditions = [f"Vilkår {i}: send oss en kort melding om framdriften i prosjektet "
                      f"innen utgangen av hver måned i prosjektperioden." for i in range(40)]
        letter = pool.submit(client.post, "/api/v1/letters", json=case_json(
            decision={"case_number": "22/00999-2", "conditions": conditions}))
        time.sleep(0.02)  # let the letter reach the server first
        answered = 0
        for _ in range(2000):  # bounded; a letter takes well under 2 000 probes
            if letter.done():
                break
            assert probe.get("/healthz").status_code == 200
            if not letter.done():
                answered += 1
        assert letter.result().status_code == 200
    assert answered >= 3, answered


# --- batches -------------------------------------------------------------------------------


def test_a_batch_to_done_and_its_zip(server: Server, tmp_path: Path) -> None:
    upload = small_csv(tmp_path, 3)
    with server.client() as client:
        answer = client.post("/api/v1/batches", files={"file": upload.open("rb")},
                             data={"formats": "pdf,docx"}, headers={"Idempotency-Key": "b-1"})
        assert answer.status_code == 202, answer.text
        location = answer.headers["location"]
        assert location == f"/api/v1/batches/{answer.json()['id']}"
        again = client.post("/api/v1/batches", files={"file": upload.open("rb")},
                            data={"formats": "pdf,docx"}, headers={"Idempotency-Key": "b-1"})
        assert again.status_code == 202 and again.headers["location"] == location
        status = batch_ended(client, location)
        assert status["status"] == "done", status
        assert (status["total"], status["written"], status["failed"]) == (3, 3, 0)  # records
        files = client.get(f"{location}/files.zip")
    assert files.status_code == 200 and files.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(files.content))
    names = archive.namelist()
    assert len(names) == len(set(names))
    assert len([n for n in names if n.endswith(".pdf")]) == 3
    assert len([n for n in names if n.endswith(".docx")]) == 3
    manifest = next(n for n in names if n.endswith("manifest.csv"))
    rows = list(csv.DictReader(io.StringIO(archive.read(manifest).decode("utf-8-sig"))))
    written = [r for r in rows if r["status"] in ("written", "kept")]
    assert len(written) == 6
    for pdf in (n for n in names if n.endswith(".pdf")):
        (tmp_path / Path(pdf).name).write_bytes(archive.read(pdf))  # PDF/A-2a at session end
        assert "Vår referanse" in pdftotext(archive.read(pdf))


def test_idempotency_key_is_per_token_and_a_batch_is_its_tokens_own(
        server: Server, tmp_path: Path) -> None:
    upload = small_csv(tmp_path, 1)
    other = new_token(server.data, "other-system")
    with server.client() as mine, server.client(other) as theirs:
        first = mine.post("/api/v1/batches", files={"file": upload.open("rb")},
                          data={"formats": "html"}, headers={"Idempotency-Key": "same"})
        second = theirs.post("/api/v1/batches", files={"file": upload.open("rb")},
                             data={"formats": "html"}, headers={"Idempotency-Key": "same"})
        assert first.status_code == second.status_code == 202
        assert first.json()["id"] != second.json()["id"]
        problem(theirs.get(first.headers["location"]), 404)
        problem(theirs.get(first.headers["location"] + "/files.zip"), 404)
        assert batch_ended(mine, first.headers["location"])["status"] == "done"


def test_a_batch_upload_is_checked_before_a_batch_is_made(limits_server: Server,
                                                          tmp_path: Path) -> None:
    bad = tmp_path / "vedtak.txt"
    bad.write_text("not a sheet")
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    with limits_server.client() as client:
        body = problem(client.post("/api/v1/batches", files={"file": bad.open("rb")}), 422)
        assert body["issues"][0]["field"] == "file"
        rows = problem(client.post("/api/v1/batches",
                                   files={"file": (SAMPLES / "decisions.csv").open("rb")}), 422)
        assert "5 rows" in rows["detail"] and "GRANTDOCS_MAX_ROWS" in rows["detail"]
        assert str(limits_server.data) not in rows["detail"]
        inflated = problem(client.post("/api/v1/batches", files={"file": bomb.open("rb")}), 422)
        assert "GRANTDOCS_MAX_" in inflated["detail"]
        formats = problem(client.post("/api/v1/batches", files={"file": bad.open("rb")},
                                      data={"formats": "xlsx"}), 422)
        assert formats["issues"][0]["field"] == "formats"
    kept = {p.name for p in (limits_server.data / "batches").rglob("*") if p.is_file()}
    assert not kept & {"vedtak.txt", "decisions.csv", "bomb.xlsx"}, kept


def test_a_full_queue_is_429_with_retry_after(limits_server: Server, tmp_path: Path) -> None:
    upload = small_csv(tmp_path, 1)
    with limits_server.client() as client:
        answers = [client.post("/api/v1/batches", files={"file": upload.open("rb")},
                               data={"formats": "html"}) for _ in range(3)]
    assert answers[0].status_code == 202, answers[0].text
    full = problem(answers[-1], 429)
    assert int(answers[-1].headers["retry-after"]) > 0
    assert "waiting" in full["detail"]


# --- 413 ------------------------------------------------------------------------------------


def test_a_body_over_the_limit_is_413_before_it_is_read(limits_server: Server) -> None:
    """The headers alone get the answer: not a byte of the 2 MB body is sent."""
    address = urlsplit(limits_server.url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        sock.sendall(b"POST /api/v1/batches HTTP/1.1\r\nHost: x\r\n"
                     b"Authorization: Bearer " + limits_server.token.encode() + b"\r\n"
                     b"Content-Type: multipart/form-data; boundary=x\r\n"
                     b"Content-Length: 2097152\r\n\r\n")
        # The server answers and closes: read to the end (the head and the body may come
        # in separate packets), bounded by the socket's timeout and a size cap.
        received = b""
        while len(received) < 65536:
            part = sock.recv(4096)
            if not part:
                break
            received += part
        head = received.decode("latin-1")
    assert head.startswith("HTTP/1.1 413"), head
    assert PROBLEM in head and "GRANTDOCS_MAX_BODY_MB" in head


def test_a_streamed_body_over_the_limit_is_413(limits_server: Server) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(40):  # 2.5 MB, no Content-Length (chunked)
            yield b"x" * 65536

    with limits_server.client() as client:
        answer = client.post("/api/v1/letters", content=chunks(),
                             headers={"content-type": "application/json"})
    problem(answer, 413)


# --- logs and metrics -----------------------------------------------------------------------


def test_metrics_count_documents_durations_and_the_queue(
        server: Server, letters: dict[str, httpx.Response]) -> None:
    with server.anonymous() as http:
        text = http.get("/metrics").text
    assert 'grantdocs_documents_rendered_total{format="pdf",kind="letters"}' in text
    count = next(line for line in text.splitlines()
                 if line.startswith('grantdocs_render_seconds_count{format="pdf"'))
    assert float(count.rsplit(" ", 1)[1]) >= 1
    assert any(line.startswith("grantdocs_queue_depth ") for line in text.splitlines())


def test_logs_are_one_json_object_per_line(server: Server,
                                           letters: dict[str, httpx.Response]) -> None:
    wanted = letters["pdf"].headers["x-request-id"]
    deadline = time.monotonic() + 10  # the server's writer thread writes its lines
    while wanted not in server.log.read_text("utf-8") and time.monotonic() < deadline:
        time.sleep(0.05)
    records = [json.loads(line) for line in server.log_lines() if line.strip()]
    assert records
    requests = [r for r in records if r.get("message") == "request"]
    letter = next(r for r in requests if r["path"] == "/api/v1/letters" and r["status"] == 200)
    assert letter["method"] == "POST" and letter["duration_ms"] > 0 and letter["request_id"]
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
    assert letters["pdf"].headers["x-request-id"] in {r.get("request_id") for r in requests}
