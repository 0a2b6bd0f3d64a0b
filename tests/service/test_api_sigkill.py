"""SIGKILL of ``grantdocs serve`` in the middle of a batch: its workers stop with it, and after
a restart the batch completes, each output once, none partial, through the HTTP API.

The server runs its job worker as a child; the kill gives neither a chance to clean up.
The job side's leases and sweep (``grantdocs.service.chunks``) take the batch over
after the restart. This server is the test's own (it is killed), so the test is slow.
(It replaced test_jobs_sigkill.py's stand-in server, a script that started the job
workers as ``grantdocs serve`` does, from before the server existed.)
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

from grantdocs.service.settings import ServiceSettings
from tests.helpers import SAMPLES
from tests.service.conftest import COLD, start, stop
from tests.service.jobs_support import FAST, assert_each_once, batch_row, read_zip

pytestmark = pytest.mark.slow

RECORDS = 4  # two chunks: the kill comes after the first PDF, so most are left
FORMATS = ("pdf", "html")


def test_the_server_killed_mid_batch_and_restarted_completes_it_once(tmp_path: Path) -> None:
    source = (SAMPLES / "decisions.csv").read_text("utf-8-sig").splitlines()
    upload = tmp_path / "vedtak.csv"
    upload.write_text("\n".join(source[:RECORDS + 1]) + "\n", "utf-8")
    data, log = tmp_path / "data", tmp_path / "server.log"
    # Both servers' job workers render at the test's own priority: at nice 19 (the "low"
    # the other tests' servers get; checked in test_priority.py) three suites at once on
    # two cores leave them too little CPU for a bounded wait.
    # Neither renders a document in its own process (only the job workers do): COLD.
    normal = {**FAST, **COLD, "GRANTDOCS_WORKER_PRIORITY": "normal"}
    first = start(data, log, workers=1, env=normal)
    with first.client() as client:
        answer = client.post("/api/v1/batches", files={"file": upload.open("rb")},
                             data={"formats": ",".join(FORMATS)})
        assert answer.status_code == 202, answer.text
        location, batch_id = answer.headers["location"], answer.json()["id"]
    folder = data / "batches" / batch_id
    try:
        deadline = time.monotonic() + 120
        while not 0 < len(list(folder.rglob("*.pdf"))) < RECORDS:
            assert time.monotonic() < deadline, "no PDF of the batch was written in 120 s"
            time.sleep(0.05)
        assert first.process is not None
        family = [psutil.Process(first.pid), *psutil.Process(first.pid).children(recursive=True)]
        assert [p for p in family if "worker" in p.cmdline()]  # the job side is in the kill
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(10)
        _gone, alive = psutil.wait_procs(family, timeout=60)
        assert not alive, f"the server's workers outlived it: {alive}"
    finally:
        stop(first.process, first.pid)
    # Killed mid-batch: the database says so (the server that would answer is gone).
    assert batch_row(ServiceSettings.build(data, environ={}), batch_id).status == "running"

    again = start(data, log, workers=1, env=normal, token=first.token)
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
    assert not list(folder.rglob("*.part"))
    (tmp_path / "files.zip").write_bytes(files.content)
    # Every output and manifest row once, each with its size and digest, nothing partial.
    assert_each_once(read_zip(tmp_path / "files.zip"), RECORDS * len(FORMATS))
    archive = zipfile.ZipFile(io.BytesIO(files.content))
    names = archive.namelist()
    assert len(names) == len(set(names))
    pdfs = [n for n in names if n.endswith(".pdf")]
    assert len(pdfs) == RECORDS
    for name in pdfs:
        assert archive.read(name).rstrip().endswith(b"%%EOF"), f"{name} is partial"
    manifest = next(n for n in names if n.endswith("manifest.csv"))
    rows = list(csv.DictReader(io.StringIO(archive.read(manifest).decode("utf-8-sig"))))
    for fmt in FORMATS:
        outputs = [r for r in rows if r["format"] == fmt]
        assert len(outputs) == RECORDS
        assert len({r["path"] for r in outputs}) == RECORDS
        assert len({r["reference"] for r in outputs}) == RECORDS
