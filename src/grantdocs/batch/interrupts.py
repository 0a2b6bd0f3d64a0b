"""Ctrl-C during a run: deferred while a file and its journal line are being written."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class Interrupts:
    """Defer Ctrl-C while a file and its journal line are being written.

    Python runs signal handlers in the main thread between bytecodes, so a
    handler that only raises outside critical sections is enough: the
    interrupt then lands after the rename *and* the journal line, never
    between them.
    """

    def __init__(self) -> None:
        self.depth = 0
        self.pending = False
        self._old: Any = None
        self._installed = False

    def __enter__(self) -> Interrupts:
        if threading.current_thread() is threading.main_thread():
            self._old = signal.signal(signal.SIGINT, self._handler)
            self._installed = True
        return self

    def __exit__(self, *exc: object) -> None:
        if self._installed:
            signal.signal(signal.SIGINT, self._old)

    def _handler(self, signum: int, frame: object) -> None:
        if self.depth:
            self.pending = True
        else:
            raise KeyboardInterrupt

    @contextmanager
    def critical(self) -> Iterator[None]:
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1
            if not self.depth and self.pending:
                self.pending = False
                raise KeyboardInterrupt
