"""Crash safety with real processes on the default set-up (SQLite, Huey on SQLite): a
worker, or the server that runs the workers, is killed with SIGKILL in the middle of a
batch; after a restart the batch completes, each output once, none partial."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from grantdocs.service.context import batch_folder
from grantdocs.service.jobs import start_consumer, submit_batch
from grantdocs.service.plan import chunk_dir
from grantdocs.service.settings import ServiceSettings
from tests.helpers import docx_text, pdftotext
from tests.service.jobs_support import (
    FAST,
    Zipped,
    assert_each_once,
    batch_row,
    chunk_rows,
    make_batch,
    read_zip,
    settings_for,
    start_worker,
    stop,
    upload,
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


def _finished(settings: ServiceSettings, batch_id: str, outputs: int) -> Zipped:
    zipped = read_zip(batch_folder(settings.data_dir, batch_id) / "files.zip")
    assert_each_once(zipped, outputs)
    assert batch_row(settings, batch_id).status == "done"
    assert not list(batch_folder(settings.data_dir, batch_id).rglob("*.part"))
    return zipped


def test_a_worker_killed_mid_batch_is_taken_over_each_output_once(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "data")
    file = upload(tmp_path, 9)  # sheet rows 2-10; row 10's organisation number is wrong
    batch_id = make_batch(settings, file, formats="pdf,docx")
    first = start_worker(settings, "first", tmp_path / "first.log")
    second = None
    try:
        submit_batch(settings, batch_id)
        number = wait_for("a chunk half written", lambda: _mid_chunk(settings, batch_id), 90,
                          (first,))
        children = psutil.Process(first.pid).children(recursive=True)
        assert children  # the processes that render and schedule
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        _gone, alive = psutil.wait_procs(children, timeout=10)
        assert not alive, "the worker's processes outlived it"
        assert batch_row(settings, batch_id).status == "running"

        second = start_worker(settings, "second", tmp_path / "second.log", workers=2)
        wait_for("the batch", lambda: batch_row(settings, batch_id).status == "done", 90,
                 (second,))
    finally:
        stop(first)
        if second is not None:
            stop(second)
    zipped = _finished(settings, batch_id, 16)  # 8 records, PDF and DOCX
    chunks = chunk_rows(settings, batch_id)
    killed = next(c for c in chunks if c.number == number)
    assert (killed.worker, killed.attempts) == ("second", 2)  # taken over after its lease
    assert "enqueued again" in (tmp_path / "second.log").read_text()
    # What the killed worker had finished of its chunk was kept, not made again.
    assert "kept" in {r["status"] for r in zipped.manifest}
    assert [(c.number, c.first, c.last, c.status) for c in chunks] == [
        (n, 2 * n - 2, 2 * n - 1, "done") for n in (1, 2, 3, 4)]

    batch = batch_row(settings, batch_id)
    assert (batch.total, batch.written, batch.failed, batch.error) == (9, 8, 1, None)
    errors = [i for i in batch.issues if i["code"] == "error"]
    assert [(i["row"], i["column"]) for i in errors] == [(10, "Organisasjonsnummer")]
    assert "MOD11" in errors[0]["message"]
    assert str(settings.data_dir) not in str(batch.issues)
    made = sorted({r["row"] for r in zipped.manifest if r["status"] in ("written", "kept")})
    assert made == list(range(2, 10))  # the sheet's own rows, not the chunks'
    failed = [r for r in zipped.manifest if r["status"] == "failed"]
    assert [(r["row"], r["field"], r["file"]) for r in failed] == [
        (10, "Organisasjonsnummer", "vedtak.csv")]
    assert len(zipped.csv_rows) == len(zipped.manifest)
    pdf = next(r for r in zipped.manifest if r["format"] == "pdf" and r["row"] == 3)
    assert "Sámi Searvi Oslo" in pdftotext(zipped.zf.read(pdf["path"]))
    word = next(r for r in zipped.manifest if r["format"] == "docx" and r["row"] == 3)
    assert "Sámi Searvi Oslo" in docx_text(zipped.zf.read(word["path"]))


_SERVER = """
import sys, time
from grantdocs.service.jobs import start_consumer
from grantdocs.service.settings import ServiceSettings
handle = start_consumer(ServiceSettings.build(sys.argv[1], environ={}), 1)
print(handle.pid, flush=True)
time.sleep(120)
"""


def test_the_server_killed_mid_batch_its_workers_stop_and_a_restart_completes(
        tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "data")
    batch_id = make_batch(settings, upload(tmp_path, 4, with_errors=False), formats="pdf,html")
    server = subprocess.Popen([sys.executable, "-c", _SERVER, str(settings.data_dir)],
                              stdout=subprocess.PIPE, env={**os.environ, **FAST})
    restarted = None
    try:
        assert server.stdout is not None
        worker = psutil.Process(int(server.stdout.readline()))
        submit_batch(settings, batch_id)
        wait_for("a chunk half written", lambda: _mid_chunk(settings, batch_id), 90, (server,))
        family = [worker, *worker.children(recursive=True)]
        server.send_signal(signal.SIGKILL)
        server.wait(10)
        _gone, alive = psutil.wait_procs(family, timeout=15)
        assert not alive, "the server's workers outlived it"
        assert batch_row(settings, batch_id).status == "running"

        restarted = start_consumer(ServiceSettings.build(settings.data_dir, environ={}), 1)
        wait_for("the batch", lambda: batch_row(settings, batch_id).status == "done", 90)
    finally:
        server.kill()
        server.wait(10)
        if restarted is not None:
            restarted.stop()
    _finished(settings, batch_id, 8)
