"""Rendering jobs: in this process, or in worker processes that are supervised.

Each worker builds the document kind's renderer once (fonts, templates, CSS,
scheme) and then renders job after job.
"""

from __future__ import annotations

import itertools
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from grantdocs.batch.digest import Settings
from grantdocs.batch.jobs import DocumentKind, Job, Rendered

Finish = Callable[[Job, "Rendered | BaseException"], None]

_WORKER: dict[str, Any] = {}


def _init_worker(kind: DocumentKind, settings: Settings, formats: tuple[str, ...]) -> None:
    """Start a worker process: Ctrl-C is the parent's business; then build the renderer."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _load_worker(kind, settings, formats)


def _load_worker(kind: DocumentKind, settings: Settings, formats: tuple[str, ...]) -> None:
    """Build the renderer once per process: fonts, templates, CSS, scheme."""
    _WORKER["kind"] = kind
    _WORKER["state"] = kind.start(settings, formats)


def _render_job(job: Job, formats: tuple[str, ...]) -> Rendered:
    kind: DocumentKind = _WORKER["kind"]
    return kind.render(_WORKER["state"], job, formats)


def run_here(todo: Iterator[Job], kind: DocumentKind, fmts: tuple[str, ...],
             settings: Settings, finish: Finish) -> None:
    """Render in this process (``jobs=1``, or when worker processes cannot start)."""
    _load_worker(kind, settings, fmts)  # Ctrl-C stays with the parent's handler
    for job in todo:
        try:
            rendered: Rendered | BaseException = _render_job(job, fmts)
        except Exception as exc:  # a bad record must not stop the batch
            rendered = exc
        finish(job, rendered)


def _ping() -> bool:
    return True


def run_parallel(todo: Iterator[Job], kind: DocumentKind, fmts: tuple[str, ...],
                 settings: Settings, workers: int, finish_job: Finish) -> None:
    """Render in worker processes, at most a few jobs per worker in flight.

    A worker that dies (killed, out of memory, a crash in a C library) breaks the
    whole pool, and every job then in flight is a suspect. The pool is replaced
    and the suspects are rendered again one at a time: the innocent ones simply
    finish, and a job that kills its worker while running alone is recorded as
    failed, so one poisonous record costs only itself.

    Each new pool must first answer a no-op task. When workers cannot start at
    all (e.g. the calling script was read from stdin, which worker processes
    cannot re-import), or pools keep breaking without finishing anything, the
    rest of the batch is rendered in this process, with a warning.
    """
    import logging
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    ctx = multiprocessing.get_context("forkserver")
    # Workers fork from a server that has already imported the renderer (and
    # WeasyPrint, ~1.5 s): each worker, and each replacement, starts warm.
    ctx.set_forkserver_preload(list(kind.preload))
    window = workers * 4
    suspects: list[Job] = []
    exhausted = False
    fruitless = 0  # pool replacements in a row with nothing finished

    def new_pool() -> ProcessPoolExecutor | None:
        for _ in range(2):
            started = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                                          initargs=(kind, settings, fmts))
            try:
                started.submit(_ping).result()
                return started
            except BrokenProcessPool:
                started.shutdown(wait=True, cancel_futures=True)
            except BaseException:
                started.shutdown(wait=False, cancel_futures=True)
                raise
        return None

    def in_process(jobs: Iterable[Job]) -> None:
        logging.getLogger(__name__).warning(
            "worker processes could not start or keep running; rendering the rest of the "
            "batch in this process")
        run_here(iter(jobs), kind, fmts, settings, finish_job)

    def finish(job: Job, outcome: Rendered | BaseException) -> None:
        nonlocal fruitless
        fruitless = 0
        finish_job(job, outcome)

    pool = new_pool()
    if pool is None:
        in_process(todo)
        return
    pending: dict[Future[Rendered], Job] = {}
    try:
        while True:
            broken = False
            isolating = bool(suspects)
            while not broken:
                if isolating:
                    if pending or not suspects:
                        break
                    job = suspects.pop(0)  # alone in the pool
                elif len(pending) < window and not exhausted:
                    nxt = next(todo, None)
                    if nxt is None:
                        exhausted = True
                        continue
                    job = nxt
                else:
                    break
                try:
                    pending[pool.submit(_render_job, job, fmts)] = job
                except BrokenProcessPool:
                    suspects.insert(0, job)  # never started
                    broken = True
            if not pending and not broken:
                break
            done_set = wait(pending, return_when=FIRST_COMPLETED)[0] if pending else set()
            alone = isolating and len(pending) == 1
            for future in sorted(done_set, key=lambda f: pending[f].stem):
                job = pending.pop(future)
                try:
                    outcome: Rendered | BaseException = future.result()
                except BrokenProcessPool:
                    broken = True
                    if alone:
                        finish(job, RuntimeError(
                            "the worker process died while rendering it, also when rendered "
                            "alone (a crash or the memory limit; check this record)"))
                    else:
                        suspects.append(job)
                    continue
                except Exception as exc:
                    outcome = exc
                finish(job, outcome)
            if not broken:
                continue
            # the rest of the broken pool's jobs: finished ones keep their outcome
            for future, job in list(pending.items()):
                error = future.exception() if future.done() else None
                if future.done() and not isinstance(error, BrokenProcessPool):
                    finish(job, error if error is not None else future.result())
                else:
                    suspects.append(job)
            pending.clear()
            pool.shutdown(wait=True, cancel_futures=True)
            fruitless += 1
            replacement = new_pool() if fruitless <= 3 else None
            if replacement is None:
                in_process(itertools.chain(suspects, todo))
                return
            pool = replacement
    finally:
        # Ctrl-C or an error: drop the queue; the files written so far are complete
        pool.shutdown(wait=True, cancel_futures=True)
