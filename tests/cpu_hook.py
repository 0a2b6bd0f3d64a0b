"""CPU seconds per test, for finding what makes the suite slow on a loaded machine.

Off unless ``GRANTDOCS_TEST_CPU`` names a file: then each test's set-up, call and
tear-down append one line to it: the CPU seconds (user + system) of this process
and of the children it reaped meanwhile (commands, worker pools), and the test's
id (phases under ``GRANTDOCS_TEST_CPU_MIN`` seconds, 0.05 unless set, are left out).
Wall-clock ``--durations`` grow with other people's load on a shared machine;
CPU seconds do not. Summarise with
``sort -t$'\\t' -k1 -n -r "$GRANTDOCS_TEST_CPU" | head -40``.
"""

from __future__ import annotations

import os
import resource
from collections.abc import Generator

import pytest

_FILE = os.environ.get("GRANTDOCS_TEST_CPU")
_MIN = float(os.environ.get("GRANTDOCS_TEST_CPU_MIN", "0.05"))  # shorter phases: not listed


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _record(phase: str, item: pytest.Item, seconds: float) -> None:
    if _FILE and seconds >= _MIN:
        with open(_FILE, "a", encoding="utf-8") as fh:
            fh.write(f"{seconds:.2f}\t{phase}\t{item.nodeid}\n")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    start = _cpu()
    try:
        return (yield)
    finally:
        _record("setup", item, _cpu() - start)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    start = _cpu()
    try:
        return (yield)
    finally:
        _record("call", item, _cpu() - start)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None
                            ) -> Generator[None, None, None]:
    start = _cpu()
    try:
        return (yield)
    finally:
        _record("teardown", item, _cpu() - start)
