"""Rendering jobs: in this process, or in supervised worker processes.

Each worker builds the document kind's renderer once (fonts, templates, CSS,
scheme) and then renders job after job. The pool is pebble's ``ProcessPool``,
which gives what the engine promises:

* a job that crashes or kills its worker fails alone: its future gets
  ``ProcessExpired``, the others run on (the pool is then replaced, so no lock
  a dying worker held can wedge the survivors);
* a per-job time limit: a runaway record becomes a failed row and its worker is
  replaced;
* workers are replaced after ``max_tasks`` jobs, so memory stays bounded in a
  long-lived process;
* workers die with their parent: on Linux each one asks the kernel for SIGKILL
  when the parent goes (``PR_SET_PDEATHSIG``), elsewhere a thread watches the
  parent. On Linux workers are forked from the parent, so there is no
  forkserver or resource tracker to leave behind, the parent's imports (the
  kind's ``preload``, WeasyPrint) are inherited warm, and the main script is
  never imported again: a script without an ``if __name__ == "__main__":``
  guard runs once.

At most a few jobs per worker are in flight, so a long round is never queued
whole. When workers cannot start at all, the batch is rendered in this process,
with a warning.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, wait
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any

from grantdocs.batch.digest import Settings
from grantdocs.batch.jobs import DocumentKind, Job, Rendered
from grantdocs.batch.limits import limit_worker_memory, memory_message, worker_memory_limit
from grantdocs.errors import MemoryLimit, RenderTimeout, WorkerDied

Finish = Callable[[Job, "Rendered | BaseException"], None]

DEFAULT_TIMEOUT = 300.0  # seconds per job
DEFAULT_MAX_TASKS = 200  # jobs per worker before it is replaced
_START_LIMIT = 120.0  # seconds for a new pool to answer its first no-op task
_GRACE = 60.0  # seconds past the time limit after which a silent pool counts as wedged

_WORKER: dict[str, Any] = {}
_log = logging.getLogger(__name__)


def _load_worker(kind: DocumentKind, settings: Settings, formats: tuple[str, ...]) -> None:
    """Build the renderer once per process: fonts, templates, CSS, scheme."""
    _WORKER["kind"] = kind
    _WORKER["state"] = kind.start(settings, formats)


def _render_job(job: Job, formats: tuple[str, ...]) -> Rendered:
    if "start_error" in _WORKER:  # a replacement worker whose renderer could not be built
        raise RuntimeError(f"the worker process could not start: {_WORKER['start_error']}")
    kind: DocumentKind = _WORKER["kind"]
    try:
        return kind.render(_WORKER["state"], job, formats)
    except MemoryError:
        raise MemoryLimit(memory_message()) from None


def _ping() -> bool:
    """A new pool's first task: True once this worker's renderer is built.

    A worker whose start failed stays alive to say so at once. Letting the
    initializer raise instead makes pebble restart the worker in a loop, and
    the parent would wait out the whole start limit before rendering here.
    """
    return "start_error" not in _WORKER


# --- in this process ------------------------------------------------------------------


def run_here(todo: Iterator[Job], kind: DocumentKind, fmts: tuple[str, ...],
             settings: Settings, finish: Finish, *, timeout: float | None = None) -> None:
    """Render in this process (``jobs=1``, or when worker processes cannot start).

    The time limit is kept with an interval timer when this is the main thread
    (Python code only: a hang inside a C library is not interrupted here).
    """
    _load_worker(kind, settings, fmts)  # Ctrl-C stays with the parent's handler
    for job in todo:
        try:
            with _time_limit(timeout):
                rendered: Rendered | BaseException = _render_job(job, fmts)
        except RenderTimeout as exc:
            rendered = exc
            _load_worker(kind, settings, fmts)  # the renderer may be half-way through
        except Exception as exc:  # a bad record must not stop the batch
            rendered = exc
        finish(job, rendered)


def _timed_out(seconds: float | None) -> RenderTimeout:
    return RenderTimeout(f"it took longer than {seconds:g} s (the per-record limit, "
                         "--timeout); check this record")


@contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    if (not seconds or not hasattr(signal, "setitimer")
            or threading.current_thread() is not threading.main_thread()):
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise _timed_out(seconds)

    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# --- in worker processes ----------------------------------------------------------------


def _context() -> Any:
    """Fork on Linux (warm, nothing left behind, no re-import of ``__main__``); else spawn."""
    return multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")


def _init_worker(kind: DocumentKind, settings: Settings, formats: tuple[str, ...],
                 parent: int) -> None:
    """Start a worker: die with the parent, leave Ctrl-C to it, limit its memory, then build
    the renderer."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's graceful stop is its own
    _die_with_parent(parent)
    limit_worker_memory()  # RLIMIT_AS: a record that needs more fails alone
    try:
        _load_worker(kind, settings, formats)
    except Exception as exc:  # reported by _ping and _render_job, see there
        _WORKER["start_error"] = f"{type(exc).__name__}: {exc}"


def _die_with_parent(parent: int) -> None:
    """Make sure this worker does not outlive the process that started it."""
    if sys.platform == "linux":
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
    else:  # pragma: no cover - not Linux
        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(1)

        threading.Thread(target=watch, name="grantdocs-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent went before the kernel knew to tell us
        os._exit(1)


def run_parallel(todo: Iterator[Job], kind: DocumentKind, fmts: tuple[str, ...],
                 settings: Settings, finish: Finish, *, workers: int,
                 timeout: float | None = DEFAULT_TIMEOUT,
                 max_tasks: int = DEFAULT_MAX_TASKS) -> None:
    """Render in worker processes, at most a few jobs per worker in flight.

    Jobs are handed out in order; results are written as they come. When a
    worker dies, the pool is replaced: the jobs in flight on the other workers
    start again (they are innocent, and rendering is deterministic), and the
    dead worker's job is tried once more, first, so that only a record that
    kills its worker twice is recorded as failed.
    """
    from pebble import ProcessExpired, ProcessPool

    worker_memory_limit()  # a bad GRANTDOCS_WORKER_MEMORY_MB stops here, before any worker
    context = _context()
    if context.get_start_method() == "fork":
        for module in kind.preload:  # inherited warm by every worker, and every replacement
            importlib.import_module(module)
    window = workers * 4
    again: deque[Job] = deque()  # in flight when a pool went: start these first
    deaths: Counter[str] = Counter()  # by job: worker deaths and broken pools it was in

    def start() -> ProcessPool | None:
        for _ in range(2):
            pool = ProcessPool(workers, max_tasks=max_tasks, initializer=_init_worker,
                               initargs=(kind, settings, fmts, os.getpid()), context=context)
            _blame_late_acknowledgements(pool)
            try:
                if pool.schedule(_ping).result(timeout=_START_LIMIT):
                    return pool
                _stop(pool)
            except (BrokenProcessPool, ProcessExpired, FutureTimeout, RuntimeError, OSError):
                _stop(pool)
            except BaseException:
                _stop(pool)
                raise
        return None

    def retry_or_fail(job: Job, outcome: BaseException) -> None:
        """A job whose worker died, or whose pool broke or stopped answering."""
        deaths[job.stem] += 1
        if deaths[job.stem] < 2:  # once more: the worker may have been killed from outside
            again.append(job)     # (the OOM killer, an operator), and this job first
        elif isinstance(outcome, WorkerDied):
            finish(job, outcome)
        else:
            finish(job, WorkerDied("the worker pool broke twice while rendering it (a crash "
                                   "or the memory limit; check this record)"))

    pool = start()
    if pool is None:
        _log.warning("worker processes could not start; rendering the batch in this process")
        run_here(_chain(again, todo), kind, fmts, settings, finish, timeout=timeout)
        return
    pending: dict[Future[Rendered], Job] = {}
    answered = time.monotonic()  # when a job last finished (or the pool started)
    try:
        while True:
            replace = False
            while len(pending) < window:
                job = again.popleft() if again else next(todo, None)
                if job is None:
                    break
                try:
                    pending[pool.schedule(_render_job, (job, fmts), timeout=timeout)] = job
                except RuntimeError:  # the pool broke since the last look
                    again.appendleft(job)
                    replace = True
                    break
            if not pending and not replace:
                return
            done = wait(pending, timeout=1.0, return_when=FIRST_COMPLETED)[0]
            stalled = (not done and bool(timeout)
                       and time.monotonic() - answered > (timeout or 0) + _GRACE)
            if not done and (stalled or not pool.active):
                replace = True  # broken or wedged: what is in flight would never finish
            for future in sorted(done, key=lambda f: pending[f].stem):
                answered = time.monotonic()
                job = pending.pop(future)
                outcome = _outcome(future, timeout)
                if isinstance(outcome, WorkerDied | BrokenProcessPool | CancelledError):
                    replace = True
                    retry_or_fail(job, outcome)
                else:
                    finish(job, outcome)
            if not replace:
                continue
            # keep what finished; the rest of the jobs in flight start again in a new pool
            for future, job in sorted(pending.items(), key=lambda item: item[1].stem):
                if not future.done():
                    if stalled:
                        retry_or_fail(job, BrokenProcessPool("the pool stopped answering"))
                    else:
                        again.append(job)
                elif isinstance(result := _outcome(future, timeout),
                                WorkerDied | BrokenProcessPool | CancelledError):
                    retry_or_fail(job, result)
                else:
                    finish(job, result)
            pending.clear()
            _stop(pool)
            replacement = start()
            if replacement is None:
                _log.warning("worker processes could not be restarted; rendering the rest "
                             "of the batch in this process")
                run_here(_chain(again, todo), kind, fmts, settings, finish, timeout=timeout)
                return
            pool = replacement
            answered = time.monotonic()
    finally:
        # Ctrl-C or an error: drop the queue; the files written so far are complete
        _stop(pool)


def _blame_late_acknowledgements(pool: Any) -> None:
    """Work around a race in pebble 5.2.3 (pinned), so a job whose worker dies never waits.

    A worker that dies right after taking a job, before the pool's message thread
    has read the worker's acknowledgement, is reaped with no job to blame; the
    acknowledgement read afterwards marks the job as running on a dead process,
    where it would wait for its time limit. Deaths are remembered for a few
    seconds, and a job acknowledged by a dead worker gets ``ProcessExpired`` at once.
    """
    from pebble import ProcessExpired
    from pebble.common.types import Result, ResultStatus

    manager = pool._pool_manager
    tasks = manager.task_manager
    dead: dict[int, tuple[int, float]] = {}  # pid -> (exit code, when it was reaped)
    expire, start = manager.handle_worker_expiration, tasks.task_start

    def handle_worker_expiration(expiration: tuple[int, int]) -> None:
        now = time.monotonic()
        for pid in [p for p, (_, when) in dead.items() if now - when > 10]:
            del dead[pid]  # pids are reused: forget old deaths
        dead[expiration[0]] = (expiration[1], now)
        expire(expiration)

    def task_start(task_id: int, worker_id: int | None) -> None:
        start(task_id, worker_id)
        if worker_id in dead:
            code = dead[worker_id][0]
            error = ProcessExpired("Abnormal termination", code, worker_id)  # type: ignore[no-untyped-call]
            tasks.task_done(task_id, Result(ResultStatus.ERROR, error))

    setattr(manager, "handle_worker_expiration", handle_worker_expiration)  # noqa: B010
    setattr(tasks, "task_start", task_start)  # noqa: B010


def _outcome(future: Future[Rendered], timeout: float | None) -> Rendered | BaseException:
    """What a finished future means for its job; a broken pool is returned, not raised."""
    from pebble import ProcessExpired

    try:
        return future.result()
    except FutureTimeout:
        return _timed_out(timeout)
    except ProcessExpired as exc:
        return WorkerDied(f"the worker process died while rendering it (exit code "
                          f"{exc.exitcode}: a crash or the memory limit; check this record)")
    except (BrokenProcessPool, CancelledError) as exc:
        return exc
    except Exception as exc:
        _log.debug("a record failed in a worker", exc_info=exc)  # with the worker's traceback
        return exc


def _stop(pool: Any) -> None:
    """Stop a pool and its workers now (jobs still queued are dropped)."""
    if pool is None:
        return
    pool.stop()
    try:
        pool.join(timeout=30)
    except (FutureTimeout, RuntimeError):  # pragma: no cover - pebble kills what is left
        _log.warning("worker processes did not stop in 30 s")


def _chain(first: Iterable[Job], rest: Iterator[Job]) -> Iterator[Job]:
    yield from first
    yield from rest
