"""Batch jobs on the default set-up (SQLite database, Huey on SQLite), in process:
planning, what fails a batch as a whole, the lease and its fencing, the sweep, and
the guard that lets one worker assemble. (Real workers: test_jobs_sigkill.py.)"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from grantdocs.service import chunks as chunk_jobs
from grantdocs.service.chunks import sweep as sweep_chunks
from grantdocs.service.context import batch_folder
from grantdocs.service.jobs import context
from grantdocs.service.plan import plan_batch
from grantdocs.service.settings import ServiceSettings
from tests.service.jobs_support import (
    assert_each_once,
    batch_row,
    chunk_rows,
    make_batch,
    read_zip,
    upload,
)


def test_an_unreadable_upload_fails_the_batch_naming_the_users_file(
        fast: ServiceSettings, tmp_path: Path) -> None:
    bad = tmp_path / "vedtak.csv"
    bad.write_text("Tull;Tøys\n1;2\n", encoding="utf-8")
    batch_id = make_batch(fast, bad)
    assert plan_batch(context(fast), batch_id) == []
    batch = batch_row(fast, batch_id)
    assert batch.status == "failed"
    assert batch.error and "vedtak.csv" in batch.error
    assert str(fast.data_dir) not in batch.error


@pytest.mark.parametrize(("issuer", "kind", "formats", "said"), [
    ("../../../etc/passwd", "letters", "pdf", "issuer '../../../etc/passwd' is not known"),
    (None, "stats", "pdf", "stats cannot be made as a batch job"),
    (None, "letters", "exe", "format exe is not available"),
])
def test_settings_a_batch_cannot_use_fail_it_before_any_rendering(
        fast: ServiceSettings, tmp_path: Path, issuer: str | None, kind: str, formats: str,
        said: str) -> None:
    batch_id = make_batch(fast, upload(tmp_path, 2), issuer=issuer, kind=kind, formats=formats)
    assert plan_batch(context(fast), batch_id) == []
    batch = batch_row(fast, batch_id)
    assert batch.status == "failed" and said in (batch.error or "")
    assert chunk_rows(fast, batch_id) == []


def test_a_claim_is_fenced_and_a_lost_lease_is_swept(
        fast: ServiceSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = context(fast)
    batch_id = make_batch(fast, upload(tmp_path, 4, with_errors=False))
    assert plan_batch(ctx, batch_id) == [1, 2]
    assert plan_batch(ctx, batch_id) == []  # planned once
    first = chunk_jobs.claim(ctx, batch_id, 1)
    assert first == 1
    assert chunk_jobs.claim(ctx, batch_id, 1) is None  # held, lease running

    # The worker "dies": its lease runs out, the sweep enqueues the chunk again.
    import datetime as dt

    from grantdocs.service import context as context_module

    later = context_module.utcnow() + dt.timedelta(seconds=10)
    monkeypatch.setattr(chunk_jobs, "utcnow", lambda: later)
    enqueued: list[tuple[str, int]] = []
    found = chunk_jobs.sweep(ctx, lambda b, n: enqueued.append((b, n)), lambda b: None)
    assert (batch_id, 1) in enqueued and found >= 1
    second = chunk_jobs.claim(ctx, batch_id, 1)
    assert second == 2
    monkeypatch.undo()
    # The first claim comes back to life: it may not finish or count the chunk.
    assert not chunk_jobs.finish_chunk(ctx, batch_id, 1, first, written=2, failed=0)
    assert chunk_jobs.finish_chunk(ctx, batch_id, 1, second, written=2, failed=0)
    assert batch_row(fast, batch_id).written == 2
    assert [c.attempts for c in chunk_rows(fast, batch_id)] == [2, 0]


def test_of_two_workers_finishing_the_last_chunks_one_assembles(
        fast: ServiceSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = context(fast)
    batch_id = make_batch(fast, upload(tmp_path, 4, with_errors=False))
    assert plan_batch(ctx, batch_id) == [1, 2]
    attempts = {n: chunk_jobs.claim(ctx, batch_id, n) for n in (1, 2)}
    assembled: list[bool] = []
    real = chunk_jobs.assemble
    monkeypatch.setattr(chunk_jobs, "assemble",
                        lambda c, b: assembled.append(real(c, b)) or True)
    start = threading.Barrier(2)

    def finish(number: int) -> None:
        start.wait(5)
        attempt = attempts[number]
        assert attempt is not None
        chunk_jobs.finish_chunk(ctx, batch_id, number, attempt, written=2, failed=0)

    threads = [threading.Thread(target=finish, args=(n,)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert assembled == [True]
    batch = batch_row(fast, batch_id)
    assert (batch.status, batch.written) == ("done", 4)
    again: list[object] = []
    sweep_chunks(ctx, lambda b, n: again.append(b), again.append)
    assert batch_id not in again  # nothing of it left for anyone


def test_a_chunk_that_crashed_its_worker_every_time_fails_its_records(
        fast: ServiceSettings, tmp_path: Path) -> None:
    from sqlalchemy import update

    from grantdocs.service.db import Chunk

    ctx = context(fast)
    # HTML: the format is not the point, and chunk 1 renders here, in the test process
    batch_id = make_batch(fast, upload(tmp_path, 4, with_errors=False), formats="html")
    assert plan_batch(ctx, batch_id) == [1, 2]
    with ctx.sessions.begin() as session:  # three workers died on chunk 2 already
        session.execute(update(Chunk).where(Chunk.batch_id == batch_id, Chunk.number == 2)
                        .values(attempts=3))
    chunk_jobs.run_chunk(ctx, batch_id, 2)
    chunk = chunk_rows(fast, batch_id)[1]
    assert (chunk.status, chunk.attempts) == ("failed", 4)
    assert batch_row(fast, batch_id).failed == 2
    chunk_jobs.run_chunk(ctx, batch_id, 1)  # renders its two letters here, in process
    batch = batch_row(fast, batch_id)
    assert (batch.status, batch.written, batch.failed) == ("done", 2, 2)
    zipped = read_zip(batch_folder(fast.data_dir, batch_id) / "files.zip")
    assert_each_once(zipped, 2)
    failed = sorted((r["row"], r["reference"]) for r in zipped.manifest
                    if r["status"] == "failed")
    assert [row for row, _ in failed] == [4, 5]  # the sheet's rows of chunk 2's records
    assert all(reference for _, reference in failed)
    assert all("stopped every time" in r["error"] for r in zipped.manifest
               if r["status"] == "failed")


def test_records_of_two_chunks_with_one_file_name_both_reach_the_zip(
        fast: ServiceSettings, tmp_path: Path) -> None:
    import json

    from tests.helpers import make_case

    ctx = context(fast)
    cases = [make_case("rejected", "nb", decision={"case_number": number},
                       organisation={"name": name}).model_dump(mode="json")
             for number, name in (("22/00001-1", "Samme Lag"), ("22/00002-1", "Anna Lag"),
                                  ("22-00001-1", "Samme Lag"))]  # 1 and 3: one file name
    file = tmp_path / "like.json"
    file.write_text(json.dumps(cases), encoding="utf-8")
    batch_id = make_batch(fast, file, formats="html")
    assert plan_batch(ctx, batch_id) == [1, 2]  # chunks of 2: the first and third apart
    for number in (1, 2):
        chunk_jobs.run_chunk(ctx, batch_id, number)
    zipped = read_zip(batch_folder(fast.data_dir, batch_id) / "files.zip")
    assert_each_once(zipped, 3)
    by_row = {r["row"]: r["path"] for r in zipped.manifest}
    assert by_row[1] == "22-00001-1_Samme-Lag.html"
    assert by_row[3] == "0002-22-00001-1_Samme-Lag.html"


def test_the_chunks_of_a_failed_batch_are_closed_not_rendered(
        fast: ServiceSettings, tmp_path: Path) -> None:
    from grantdocs.service.plan import chunk_dir, fail_batch

    ctx = context(fast)
    batch_id = make_batch(fast, upload(tmp_path, 2, with_errors=False))
    assert plan_batch(ctx, batch_id) == [1]
    fail_batch(ctx, batch_id, "the disk is full")
    chunk_jobs.run_chunk(ctx, batch_id, 1)
    assert [c.status for c in chunk_rows(fast, batch_id)] == ["failed"]
    assert not chunk_dir(batch_folder(fast.data_dir, batch_id), 1).exists()
    batch = batch_row(fast, batch_id)
    assert (batch.status, batch.error) == ("failed", "the disk is full")
    again: list[object] = []
    sweep_chunks(ctx, lambda b, n: again.append(b), again.append)
    assert batch_id not in again


LEAN_HUEY = """
import sys
from grantdocs.service.queue import load_huey, make_huey
from grantdocs.service.settings import ServiceSettings
load_huey(None)
print(sorted({"redis", "psycopg"} & set(sys.modules)))
huey = make_huey(ServiceSettings.build(sys.argv[1], environ={}))
huey.task(name="noop")(lambda: None)()
print(huey.pending_count())
import psycopg, redis
print(psycopg.__name__, redis.__name__)
"""


def test_a_process_on_the_sqlite_queue_loads_huey_without_the_other_queues_clients(
        tmp_path: Path) -> None:
    """What ``grantdocs serve`` and ``grantdocs worker`` do as they start (about 0.3
    CPU-seconds less each): the queue works, and the clients can still be imported."""
    done = subprocess.run([sys.executable, "-c", LEAN_HUEY, str(tmp_path / "data")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["[]", "1", "psycopg redis"]
