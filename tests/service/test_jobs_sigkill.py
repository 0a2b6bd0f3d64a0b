"""Crash safety with real processes on the default set-up (SQLite, Huey on SQLite): a
worker is killed with SIGKILL in the middle of a batch; another takes the batch over and
completes it, each output once, none partial. (The server killed mid-batch, with the job
workers it runs: test_api_sigkill.py, on the real ``grantdocs serve``.)"""

from __future__ import annotations

import contextlib
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest

from grantdocs.service.context import batch_folder
from grantdocs.service.jobs import submit_batch
from grantdocs.service.plan import chunk_dir
from grantdocs.service.settings import ServiceSettings
from tests.helpers import docx_text, pdftotext
from tests.service.jobs_support import (
    Zipped,
    assert_each_once,
    batch_row,
    chunk_rows,
    make_batch,
    read_zip,
    settings_for,
    start_worker,
    stop,
    upload_records,
    wait_for,
)

pytestmark = pytest.mark.slow


def _mid_chunk(settings: ServiceSettings, batch_id: str) -> int | None:
    """A chunk that is running and has written some, not all, of its files."""
    folder = batch_folder(settings.data_dir, batch_id)
    for chunk in chunk_rows(settings, batch_id):
        journal = chunk_dir(folder, chunk.number) / ".grantdocs-journal.jsonl"
        if chunk.status == "running" and journal.is_file() and journal.read_bytes().strip():
            return chunk.number
    return None


def _frozen_mid_chunk(settings: ServiceSettings, batch_id: str,
                      worker: subprocess.Popen[bytes]) -> tuple[int, list[psutil.Process]]:
    """Wait for a chunk half written, then stop (SIGSTOP) the worker and its processes and
    look again: when it still holds, the kill that follows lands mid-chunk for certain (no
    record can be finished between the look and the kill, however loaded the machine).
    The chunk's number and the worker's processes (still stopped: SIGKILL ends them so)."""
    deadline = time.monotonic() + 90
    while True:
        number = wait_for("a chunk half written", lambda: _mid_chunk(settings, batch_id),
                          max(deadline - time.monotonic(), 1), (worker,))
        family = [psutil.Process(worker.pid), *psutil.Process(worker.pid).children(
            recursive=True)]
        for process in family:
            with contextlib.suppress(psutil.NoSuchProcess):
                process.suspend()
        if _mid_chunk(settings, batch_id) == number:
            return number, family
        for process in family:  # it finished meanwhile: go on and look again
            with contextlib.suppress(psutil.NoSuchProcess):
                process.resume()


def _finished(settings: ServiceSettings, batch_id: str, outputs: int) -> Zipped:
    zipped = read_zip(batch_folder(settings.data_dir, batch_id) / "files.zip")
    assert_each_once(zipped, outputs)
    assert batch_row(settings, batch_id).status == "done"
    assert not list(batch_folder(settings.data_dir, batch_id).rglob("*.part"))
    return zipped


def test_a_worker_killed_mid_batch_is_taken_over_each_output_once(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "data")
    # Four valid records (sheet rows 2-5: two chunks) and the sample's record whose
    # organisation number is wrong (its row 10), here row 6.
    file = upload_records(tmp_path, (1, 2, 3, 4, 9))
    batch_id = make_batch(settings, file, formats="pdf,docx")
    first = start_worker(settings, "first", tmp_path / "first.log")
    second = None
    try:
        submit_batch(settings, batch_id)
        number, family = _frozen_mid_chunk(settings, batch_id, first)
        children = family[1:]
        assert children  # the processes that render and schedule
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        _gone, alive = psutil.wait_procs(children, timeout=30)
        assert not alive, "the worker's processes outlived it"
        assert batch_row(settings, batch_id).status == "running"

        # One process of its own renders what is left (two made one more process warm up,
        # about 1 CPU-second; two workers sharing a batch: test_jobs_scaleout.py).
        second = start_worker(settings, "second", tmp_path / "second.log")
        wait_for("the batch", lambda: batch_row(settings, batch_id).status == "done", 90,
                 (second,))
    finally:
        stop(first)
        if second is not None:
            stop(second)
    zipped = _finished(settings, batch_id, 8)  # 4 records, PDF and DOCX
    chunks = chunk_rows(settings, batch_id)
    killed = next(c for c in chunks if c.number == number)
    assert (killed.worker, killed.attempts) == ("second", 2)  # taken over after its lease
    assert "enqueued again" in (tmp_path / "second.log").read_text()
    # What the killed worker had finished of its chunk was kept, not made again.
    assert "kept" in {r["status"] for r in zipped.manifest}
    assert [(c.number, c.first, c.last, c.status) for c in chunks] == [
        (n, 2 * n - 2, 2 * n - 1, "done") for n in (1, 2)]

    batch = batch_row(settings, batch_id)
    assert (batch.total, batch.written, batch.failed, batch.error) == (5, 4, 1, None)
    errors = [i for i in batch.issues if i["code"] == "error"]
    assert [(i["row"], i["column"]) for i in errors] == [(6, "Organisasjonsnummer")]
    assert "MOD11" in errors[0]["message"]
    assert str(settings.data_dir) not in str(batch.issues)
    made = sorted({r["row"] for r in zipped.manifest if r["status"] in ("written", "kept")})
    assert made == list(range(2, 6))  # the sheet's own rows, not the chunks'
    failed = [r for r in zipped.manifest if r["status"] == "failed"]
    assert [(r["row"], r["field"], r["file"]) for r in failed] == [
        (6, "Organisasjonsnummer", "vedtak.csv")]
    assert len(zipped.csv_rows) == len(zipped.manifest)
    pdf = next(r for r in zipped.manifest if r["format"] == "pdf" and r["row"] == 3)
    assert "Sámi Searvi Oslo" in pdftotext(zipped.zf.read(pdf["path"]))
    word = next(r for r in zipped.manifest if r["format"] == "docx" and r["row"] == 3)
    assert "Sámi Searvi Oslo" in docx_text(zipped.zf.read(word["path"]))
