"""Ctrl-C and SIGTERM during a run: deferred while a file and its journal line are being
written."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class Terminated(KeyboardInterrupt):
    """SIGTERM (the stop signal of systemd, docker and Kubernetes): stop like Ctrl-C.

    A KeyboardInterrupt, so everything that stops cleanly on Ctrl-C (the workers,
    the manifest) does so here too; the command line then exits 143 (128 + 15).
    """


class Interrupts:
    """Defer Ctrl-C and SIGTERM while a file and its journal line are being written.

    Python runs signal handlers in the main thread between bytecodes, so a
    handler that only raises outside critical sections is enough: the
    interrupt then lands after the rename *and* the journal line, never
    between them.
    """

    def __init__(self) -> None:
        self.depth = 0
        self.pending: KeyboardInterrupt | None = None
        self._old: dict[int, Any] = {}

    def __enter__(self) -> Interrupts:
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                self._old[signum] = signal.signal(signum, self._handler)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, old in self._old.items():
            signal.signal(signum, old)
        self._old.clear()

    def _handler(self, signum: int, frame: object) -> None:
        stop = Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()
        if self.depth:
            if not isinstance(self.pending, Terminated):  # SIGTERM wins over Ctrl-C
                self.pending = stop
        else:
            raise stop

    @contextmanager
    def critical(self) -> Iterator[None]:
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1
            if not self.depth and self.pending is not None:
                stop, self.pending = self.pending, None
                raise stop
