"""A product for tests: renders a stub, and kills its worker process on one record."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from grantdocs.batch import Job, OutputFile, Rendered, Settings
from grantdocs.products import Kind


@dataclass(frozen=True)
class Poison(Kind):
    """Like a letter product, but ``os._exit`` in the worker for the record ``bad``."""

    bad: str = ""

    def start(self, settings: Settings, fmts: Sequence[str]) -> Any:
        return None

    def render(self, state: Any, job: Job, fmts: Sequence[str]) -> Rendered:
        if job.reference == self.bad:
            os._exit(9)  # what a segfault or the OOM killer looks like to the pool
        files = tuple(OutputFile(name, "granted", fmt, f"{job.reference}\n".encode())
                      for name, fmt in zip(self.names(job, fmts), fmts, strict=True))
        return Rendered(job.reference, "nb", files)


def poison(bad: str) -> Poison:
    return Poison("poison-test", "Test", ("html",), frozenset({"granted"}), ("*/letter-*.html",),
                  preload=("tests.poison_product",), bad=bad)
