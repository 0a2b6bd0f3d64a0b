"""The Huey consumer that ``grantdocs worker`` runs, and the one ``grantdocs serve`` starts.

Each worker is a process forked by Huey (rendering is CPU work: threads would share
one core). Every worker process also sweeps (see :func:`grantdocs.service.chunks.sweep`)
every ``GRANTDOCS_SWEEP_SECONDS`` between tasks, so recovery needs no extra process
and works with any number of worker machines. A worker process dies with its
consumer (``PR_SET_PDEATHSIG`` on Linux): a consumer killed with SIGKILL leaves no
worker rendering on behind its back; the leases of its chunks run out and other
workers take them.

``grantdocs serve`` runs its workers as a child process (``grantdocs worker``), not
in the web server's process: Huey's consumer wants the main thread and its signals,
and forking a threaded server is unsafe. That child stops when its parent is gone.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported when used: see grantdocs.service.queue.load_huey
    from huey import Huey
    from huey.consumer import Consumer

log = logging.getLogger("grantdocs.service.worker")

_PR_SET_PDEATHSIG = 1


def die_with_parent(expected_parent: int) -> None:
    """Ask Linux to SIGKILL this process when its parent dies (no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != expected_parent:  # the parent died before the request
        os._exit(1)


def make_consumer(huey: Huey, workers: int, sweep: Callable[[], object],
                  sweep_every: float) -> Consumer:
    """A process-per-worker consumer whose workers sweep between tasks."""
    from huey.consumer import Consumer, Scheduler, Worker

    parent = os.getpid()

    class SweepingWorker(Worker):  # type: ignore[misc]
        def initialize(self) -> None:
            die_with_parent(parent)
            self._next_sweep = 0.0
            super().initialize()

        def loop(self, now: Any = None) -> None:
            if time.monotonic() >= self._next_sweep:
                try:
                    sweep()
                except Exception:  # a database hiccup: try again at the next sweep
                    log.exception("the sweep failed")
                self._next_sweep = time.monotonic() + sweep_every
            super().loop(now)

    class OrphanFreeScheduler(Scheduler):  # type: ignore[misc]
        def initialize(self) -> None:
            die_with_parent(parent)
            super().initialize()

    class SweepingConsumer(Consumer):  # type: ignore[misc]
        worker_class = SweepingWorker
        scheduler_class = OrphanFreeScheduler

    # periodic=False: no periodic tasks. The SQLite queue cannot block, so an idle worker
    # polls it, the wait growing from initial_delay to max_delay; max_delay is how late a
    # new task (a batch's plan, or the chunks its planner enqueued for the other workers)
    # or a sweep is seen. At 1 s the second worker of a 4-5 s batch started up to 1 s
    # after the first; at 0.1 s a poll (one indexed SELECT on an open connection, 6 us of CPU)
    # ten times a second costs an idle `grantdocs worker --workers 2` about 0.2 % of a core
    # more (0.2-0.5 % before, 0.4-0.7 % after, over 10 s). Redis blocks on its list instead.
    return SweepingConsumer(huey, workers=max(1, workers), worker_type="process",
                            periodic=False, initial_delay=0.05, max_delay=0.1,
                            health_check_interval=2)


def run_consumer(consumer: Consumer, watch_parent: int | None = None) -> None:
    """Run the consumer in the foreground until SIGINT/SIGTERM (or its parent is gone)."""
    from huey.consumer import ConsumerStopped

    consumer.start()
    health = time.monotonic()
    while True:
        if watch_parent is not None and os.getppid() != watch_parent:
            log.warning("the server that started this worker is gone; stopping")
            consumer.stop(graceful=False)
            break
        try:
            health = consumer.loop(health)
        except ConsumerStopped:
            break
    consumer.huey.notify_interrupted_tasks()


class WorkerProcess:
    """``grantdocs worker`` as a child of ``grantdocs serve``: :meth:`stop` ends it."""

    def __init__(self, args: list[str], env: dict[str, str] | None = None) -> None:
        env = dict(os.environ, **(env or {}), GRANTDOCS_WORKER_PARENT=str(os.getpid()))
        self.process = subprocess.Popen([sys.executable, "-m", "grantdocs", "worker", *args],
                                        env=env)

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM (running chunks are given back at once), then SIGKILL after ``timeout``."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
