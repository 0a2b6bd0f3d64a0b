"""One chunk of a batch through the engine, with a lease that survives a killed worker.

A chunk row is claimed with a conditional update (``queued``, or ``running`` with
its lease run out) that counts the attempt; the attempt number is the claim's
fencing token. While the engine runs, a heartbeat thread renews the lease. The
engine is crash-safe and resumable per output folder (each file atomic and
journalled; the folder locked for the run), so a chunk run again into its own
folder after a crash keeps what was written, makes the rest, and leaves no
duplicate and no partial file.

Only the claim that still holds the chunk may finish it: its counts are added to
the batch in the same transaction, so a chunk is counted once. The transaction
that finishes the last chunk sees no chunk left (the batch row is updated in it,
which serialises the finishers) and that worker assembles the batch.

The sweep, run by every worker every few seconds, enqueues again the chunks whose
lease ran out (their worker died) or that waited too long in the queue (their task
was lost), plans batches whose planning task was lost, and assembles batches whose
assembler died.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable

from sqlalchemy import ColumnElement, and_, func, or_, select, update

from grantdocs.batch.manifest import BatchResult
from grantdocs.errors import FolderBusy, GrantdocsError
from grantdocs.service.assemble import assemble, claim_stale_assembly, load_list
from grantdocs.service.context import MAX_ATTEMPTS, Context, utcnow
from grantdocs.service.db import Batch, Chunk
from grantdocs.service.plan import (
    chunk_dir,
    chunk_input,
    chunk_rows,
    engine_settings,
    fail_batch,
    formats_of,
    kind_of,
)

log = logging.getLogger("grantdocs.service.jobs")


def _pk(batch_id: str, number: int) -> tuple[ColumnElement[bool], ...]:
    return Chunk.batch_id == batch_id, Chunk.number == number


def claim(ctx: Context, batch_id: str, number: int) -> int | None:
    """Take the chunk for this worker; the attempt number, or None when it is not free."""
    now = utcnow()
    with ctx.sessions.begin() as session:
        taken = session.execute(update(Chunk).where(
            *_pk(batch_id, number),
            or_(Chunk.status == "queued",
                and_(Chunk.status == "running", Chunk.lease_until < now)),
        ).values(status="running", worker=ctx.worker, attempts=Chunk.attempts + 1,
                 lease_until=ctx.lease_until()))
        if taken.rowcount != 1:
            return None
        attempt = session.scalar(select(Chunk.attempts).where(*_pk(batch_id, number)))
    return int(attempt or 0)


def _held(batch_id: str, number: int, attempt: int,
          worker: str) -> tuple[ColumnElement[bool], ...]:
    return (*_pk(batch_id, number), Chunk.status == "running", Chunk.attempts == attempt,
            Chunk.worker == worker)


class Heartbeat:
    """Renew the chunk's lease every third of it while the engine runs."""

    def __init__(self, ctx: Context, batch_id: str, number: int, attempt: int) -> None:
        self._ctx, self._where = ctx, _held(batch_id, number, attempt, ctx.worker)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lease-heartbeat", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.wait(self._ctx.timings.lease / 3):
            try:
                with self._ctx.sessions.begin() as session:
                    session.execute(update(Chunk).where(*self._where)
                                    .values(lease_until=self._ctx.lease_until()))
            except Exception:  # the database may be back before the lease runs out
                log.exception("the lease of a chunk could not be renewed")


def release(ctx: Context, batch_id: str, number: int, attempt: int, *, retry_in: float) -> None:
    """Give the chunk back (not its fault: a stop, a busy folder); the sweep requeues it."""
    with ctx.sessions.begin() as session:
        session.execute(update(Chunk).where(*_held(batch_id, number, attempt, ctx.worker))
                        .values(status="queued", attempts=Chunk.attempts - 1,
                                lease_until=ctx.lease_until(retry_in)))


def _counts(result: BatchResult) -> tuple[int, int]:
    """Records written (every output there) and records failed, of a chunk's run."""
    written = {o.row for o in result.outputs if o.status in ("written", "kept")}
    failed = {o.row for o in result.outputs if o.status == "failed"}
    return len(written - failed), len(failed)


def finish_chunk(ctx: Context, batch_id: str, number: int, attempt: int, *,
                 written: int, failed: int, status: str = "done") -> bool:
    """Mark the chunk finished and count it, if this claim still holds it; assemble
    the batch when it was the last. True when this call finished the chunk."""
    with ctx.sessions.begin() as session:
        done = session.execute(update(Chunk).where(*_held(batch_id, number, attempt, ctx.worker))
                               .values(status=status, lease_until=None))
        if done.rowcount != 1:
            return False  # the lease was lost: the worker that holds it now finishes it
        session.execute(update(Batch).where(Batch.id == batch_id).values(
            written=Batch.written + written, failed=Batch.failed + failed,
            updated_at=utcnow()))
        left = session.scalar(select(func.count()).select_from(Chunk).where(
            Chunk.batch_id == batch_id, Chunk.status.not_in(("done", "failed"))))
    if not left:
        assemble(ctx, batch_id)
    return True


def run_chunk(ctx: Context, batch_id: str, number: int) -> None:
    """The chunk task: claim, render through the engine into the chunk's folder, finish."""
    attempt = claim(ctx, batch_id, number)
    if attempt is None:
        return
    with ctx.sessions.begin() as session:
        batch = session.get(Batch, batch_id)
        assert batch is not None  # a chunk row cannot outlive its batch (foreign key)
        session.expunge(batch)
    folder = ctx.folder(batch_id)
    records = len(load_list(chunk_rows(folder, number)))
    if batch.status != "running":  # failed as a whole meanwhile: nothing more to render
        finish_chunk(ctx, batch_id, number, attempt, written=0, failed=0, status="failed")
        return
    if attempt > MAX_ATTEMPTS:
        finish_chunk(ctx, batch_id, number, attempt, written=0, failed=records, status="failed")
        return
    from grantdocs.products import run_batch

    log.info("batch %s chunk %d: started (attempt %d, worker %s)", batch_id, number, attempt,
             ctx.worker)
    try:
        with Heartbeat(ctx, batch_id, number, attempt):
            result = run_batch([chunk_input(folder, number)], chunk_dir(folder, number),
                               formats_of(batch), kind=kind_of(batch),
                               settings=engine_settings(batch), jobs=1)
    except FolderBusy:  # a worker thought dead still runs it: try again after its lease
        release(ctx, batch_id, number, attempt, retry_in=ctx.timings.lease)
        return
    except KeyboardInterrupt:  # the worker is being stopped: the chunk is free at once
        release(ctx, batch_id, number, attempt, retry_in=0)
        raise
    except GrantdocsError as exc:  # the batch's settings or folder: no chunk can succeed
        log.error("batch %s chunk %d: %s", batch_id, number, exc)
        fail_batch(ctx, batch_id, str(exc).replace(str(ctx.settings.data_dir), "<data>"))
        finish_chunk(ctx, batch_id, number, attempt, written=0, failed=records, status="failed")
        return
    written, failed = _counts(result)
    if finish_chunk(ctx, batch_id, number, attempt, written=written, failed=failed):
        log.info("batch %s chunk %d: %d records written, %d failed (worker %s)",
                 batch_id, number, written, failed, ctx.worker)


def sweep(ctx: Context, enqueue_chunk: Callable[[str, int], None],
          enqueue_plan: Callable[[str], None]) -> int:
    """Enqueue again what a dead worker or a lost task left; the number of things found."""
    now = utcnow()
    found = 0
    with ctx.sessions.begin() as session:
        stale = session.execute(select(Chunk.batch_id, Chunk.number).where(
            Chunk.status.in_(("queued", "running")), Chunk.lease_until < now)).all()
    for batch_id, number in stale:
        with ctx.sessions.begin() as session:
            again = session.execute(update(Chunk).where(
                *_pk(batch_id, number), Chunk.status.in_(("queued", "running")),
                Chunk.lease_until < now).values(status="queued",
                                                lease_until=ctx.lease_until(ctx.timings.requeue)))
        if again.rowcount == 1:
            log.warning("batch %s chunk %d: its worker is gone or its task was lost; "
                        "enqueued again", batch_id, number)
            enqueue_chunk(batch_id, number)
            found += 1
    found += _sweep_batches(ctx, enqueue_plan)
    return found


def _sweep_batches(ctx: Context, enqueue_plan: Callable[[str], None]) -> int:
    found = 0
    requeue = utcnow() - dt.timedelta(seconds=ctx.timings.requeue)
    stale = utcnow() - dt.timedelta(seconds=ctx.timings.lease)
    with ctx.sessions.begin() as session:
        unplanned = list(session.scalars(select(Batch.id).where(
            Batch.status == "queued", Batch.updated_at < requeue)))
        finished = list(session.scalars(select(Batch.id).where(
            Batch.status == "running", Batch.updated_at < stale,
            ~select(Chunk.number).where(Chunk.batch_id == Batch.id,
                                        Chunk.status.not_in(("done", "failed"))).exists())))
    for batch_id in unplanned:
        with ctx.sessions.begin() as session:
            again = session.execute(update(Batch).where(
                Batch.id == batch_id, Batch.status == "queued", Batch.updated_at < requeue)
                .values(updated_at=utcnow()))
        if again.rowcount == 1:
            enqueue_plan(batch_id)
            found += 1
    for batch_id in finished:
        if claim_stale_assembly(ctx, batch_id, stale):
            log.warning("batch %s: finished but not assembled; assembling it", batch_id)
            assemble(ctx, batch_id)
            found += 1
    return found
