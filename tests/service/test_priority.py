"""The CPU priority of the service's processes (:mod:`grantdocs.service.priority`).

The processes a real ``grantdocs serve``, started with no priority setting, starts are
read with ``os.sched_getscheduler`` and ``psutil``: its job workers (``grantdocs worker``
and the processes it forks, which render) run under ``SCHED_IDLE`` at nice 19, its
synchronous render workers under ``SCHED_BATCH`` at the server's nice, and the server
itself under ``SCHED_OTHER``. The other choices are checked on a thread of the test
process (Linux keeps the policy and the nice value per thread, so the test process itself
is not lowered).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator

import psutil
import pytest

from grantdocs.service import priority
from tests.helpers import cli
from tests.service.conftest import COLD, Server, start, stop


@pytest.fixture(scope="module")
def default_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``grantdocs serve --workers 1`` with no priority given (the other tests' servers are
    told ``low``, see conftest)."""
    folder = tmp_path_factory.mktemp("default-priority")
    # An empty variable is no setting, for click as for the service.
    running = start(folder / "data", folder / "server.log", workers=1,
                    env={"GRANTDOCS_WORKER_PRIORITY": "", **COLD})  # it renders nothing
    try:
        yield running
    finally:
        stop(running.process, running.pid)


def family(server: Server) -> dict[str, list[psutil.Process]]:
    """The server's processes by role, once its job worker has forked its own workers."""
    deadline = time.monotonic() + 60
    while True:
        children = psutil.Process(server.pid).children(recursive=True)
        lines = {child.pid: " ".join(child.cmdline()) for child in children}
        jobs = [c for c in children if " worker " in f"{lines[c.pid]} "]
        render = [c for c in children if "spawn_main" in lines[c.pid]]
        if len(jobs) >= 2 and render:  # the consumer and at least one forked worker
            return {"jobs": jobs, "render": render}
        assert time.monotonic() < deadline, f"the server's workers did not start: {lines}"
        time.sleep(0.1)


def test_the_job_workers_run_idle_and_the_server_does_not(default_server: Server) -> None:
    server = default_server
    roles = family(server)
    jobs = {p.pid: priority.policy_name(p.pid) for p in roles["jobs"]}
    assert set(jobs.values()) == {"SCHED_IDLE"}, jobs
    assert {p.nice() for p in roles["jobs"]} == {19}  # what is left where SCHED_IDLE is refused
    assert os.sched_getscheduler(server.pid) == os.SCHED_OTHER
    assert psutil.Process(server.pid).nice() == 0
    render = {p.pid: os.sched_getscheduler(p.pid) for p in roles["render"]}
    assert set(render.values()) == {os.SCHED_BATCH}, render
    assert {p.nice() for p in roles["render"]} == {0}


def test_the_tests_servers_render_batches_at_nice_19_and_serve_at_0(server: Server) -> None:
    """The servers of the other tests are told ``low`` (conftest): their job side (the
    consumer and the processes it forks) at nice 19, the API process at its own priority,
    so that /healthz and one-letter requests are answered while a batch takes the cores."""
    roles = family(server)
    assert {p.nice() for p in roles["jobs"]} == {19}, roles["jobs"]
    assert {priority.policy_name(p.pid) for p in roles["jobs"]} == {"SCHED_OTHER"}
    assert psutil.Process(server.pid).nice() == 0


def on_a_thread(action: Callable[[], str]) -> tuple[str, str, int]:
    """``action()`` on a new thread: what it returned, then that thread's policy and nice."""
    seen: list[tuple[str, str, int]] = []

    def run() -> None:
        applied = action()
        seen.append((applied, priority.policy_name(0), os.getpriority(os.PRIO_PROCESS, 0)))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(10)
    return seen[0]


@pytest.mark.parametrize(("choice", "expected"), [
    ("idle", ("SCHED_IDLE", "SCHED_IDLE", 19)),
    ("low", ("nice 19", "SCHED_OTHER", 19)),
    ("normal", ("normal", "SCHED_OTHER", 0)),
])
def test_each_priority_lowers_the_calling_worker_as_it_says(
        choice: priority.Priority, expected: tuple[str, str, int]) -> None:
    assert os.getpriority(os.PRIO_PROCESS, 0) == 0, "the test process must start at nice 0"
    assert on_a_thread(lambda: priority.lower_batch_worker(choice)) == expected
    assert priority.policy_name(0) == "SCHED_OTHER"  # the test's own thread is untouched


def test_idle_falls_back_to_nice_19_where_sched_idle_is_refused(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(pid: int, policy: int, param: os.sched_param) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "sched_setscheduler", refuse)
    assert on_a_thread(lambda: priority.lower_batch_worker("idle")) == (
        "nice 19", "SCHED_OTHER", 19)


def test_render_workers_are_batch_with_idle_and_untouched_otherwise() -> None:
    assert on_a_thread(lambda: priority.mark_interactive_renderer("idle")) == (
        "SCHED_BATCH", "SCHED_BATCH", 0)
    assert on_a_thread(lambda: priority.mark_interactive_renderer("low")) == (
        "unchanged", "SCHED_OTHER", 0)


def test_the_setting_is_read_from_the_environment_and_shown_in_help() -> None:
    assert priority.configured({}) == "idle"
    assert priority.configured({"GRANTDOCS_WORKER_PRIORITY": " Low "}) == "low"
    assert priority.configured({"GRANTDOCS_WORKER_PRIORITY": "normal"}) == "normal"
    shown = cli("worker", "--help")
    assert shown.exit_code == 0
    assert "--priority [idle|low|normal]" in shown.output and "SCHED_IDLE" in shown.output
    assert "GRANTDOCS_WORKER_PRIORITY" in shown.output
    served = cli("serve", "--help")
    assert "--worker-priority [idle|low|normal]" in served.output
