"""SIGKILL of ``grantdocs serve`` in the middle of a batch: after a restart the batch completes,
each output once, through the HTTP API alone.

The server runs its job worker as a child; the kill gives neither a chance to clean up.
The job side's leases and sweep (``grantdocs.service.chunks``) take the batch over
after the restart. This server is the test's own (it is killed), so the test is slow.
"""

from __future__ import annotations

import csv
import io
import signal
import time
import zipfile
from pathlib import Path

import psutil
import pytest

from tests.helpers import SAMPLES
from tests.service.conftest import start, stop

pytestmark = pytest.mark.slow

FAST = {"GRANTDOCS_CHUNK_SIZE": "2", "GRANTDOCS_LEASE_SECONDS": "2",
        "GRANTDOCS_REQUEUE_SECONDS": "10", "GRANTDOCS_SWEEP_SECONDS": "0.5"}
RECORDS = 4  # two chunks: the kill comes after the first PDF, so most are left


def test_the_server_killed_mid_batch_and_restarted_completes_it_once(tmp_path: Path) -> None:
    source = (SAMPLES / "decisions.csv").read_text("utf-8-sig").splitlines()
    upload = tmp_path / "vedtak.csv"
    upload.write_text("\n".join(source[:RECORDS + 1]) + "\n", "utf-8")
    data, log = tmp_path / "data", tmp_path / "server.log"
    first = start(data, log, workers=1, env=FAST)
    with first.client() as client:
        answer = client.post("/api/v1/batches", files={"file": upload.open("rb")},
                             data={"formats": "pdf"})
        assert answer.status_code == 202, answer.text
        location = answer.headers["location"]
    folder = data / "batches" / answer.json()["id"]
    try:
        deadline = time.monotonic() + 120
        while not 0 < len(list(folder.rglob("*.pdf"))) < RECORDS:
            assert time.monotonic() < deadline, "no PDF of the batch was written in 120 s"
            time.sleep(0.05)
        assert first.process is not None
        family = [psutil.Process(first.pid), *psutil.Process(first.pid).children(recursive=True)]
        # The batch renders at nice 19 and the API at the server's own priority, so that
        # /healthz and one-letter requests are answered while a batch takes the cores.
        job_side = [p for p in family if "worker" in p.cmdline()]
        assert job_side and {p.nice() for p in job_side} == {19}, job_side
        assert family[0].nice() == 0
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(10)
        _gone, alive = psutil.wait_procs(family, timeout=60)
        assert not alive, f"the server's workers outlived it: {alive}"
    finally:
        stop(first.process, first.pid)

    # The restarted server's job worker renders at the test's own priority: at nice 19 three
    # suites at once on two cores leave it too little CPU for a bounded wait (the first
    # server's shows that the service lowers its job side).
    again = start(data, log, workers=1, env={**FAST, "GRANTDOCS_WORKER_PRIORITY": "normal"},
                  token=first.token)
    try:
        with again.client() as client:
            deadline = time.monotonic() + 120
            while (status := client.get(location).json())["status"] not in ("done", "failed"):
                assert time.monotonic() < deadline, f"still {status} after the restart"
                time.sleep(0.2)
            assert status["status"] == "done", status
            assert (status["total"], status["written"], status["failed"]) == (RECORDS,
                                                                              RECORDS, 0)
            files = client.get(f"{location}/files.zip")
    finally:
        stop(again.process, again.pid)
    assert files.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(files.content))
    names = archive.namelist()
    assert len(names) == len(set(names))
    pdfs = [n for n in names if n.endswith(".pdf")]
    assert len(pdfs) == RECORDS
    for name in pdfs:
        assert archive.read(name).rstrip().endswith(b"%%EOF"), f"{name} is partial"
    manifest = next(n for n in names if n.endswith("manifest.csv"))
    rows = list(csv.DictReader(io.StringIO(archive.read(manifest).decode("utf-8-sig"))))
    outputs = [r for r in rows if r["format"] == "pdf"]
    assert len(outputs) == RECORDS
    assert len({r["path"] for r in outputs}) == RECORDS
    assert len({r["reference"] for r in outputs}) == RECORDS
