"""Worker processes: a crash or a hang costs one record, workers are replaced, and when
workers cannot start at all the batch still runs in this process."""

from __future__ import annotations

import logging
import signal
import threading
import time
from pathlib import Path

import psutil
import pytest

from grantdocs.batch import run_batch
from tests.batch.stub import assert_folder_true, reference, stub, write_cases


def test_a_record_that_kills_its_worker_fails_alone(tmp_path: Path) -> None:
    source = write_cases(tmp_path / "cases.json", 12)
    result = run_batch([source], tmp_path / "out", ("txt",), kind=stub(bad=reference(4)),
                       jobs=2)
    failed = [o for o in result.outputs if o.status == "failed"]
    assert [o.reference for o in failed] == [reference(4)]
    assert "worker process died while rendering it" in (failed[0].error or "")
    assert result.count("written") == 11
    assert set(assert_folder_true(tmp_path / "out")) == {
        o.path for o in result.outputs if o.status == "written"}


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_record_over_the_time_limit_is_a_failed_row(tmp_path: Path, jobs: int) -> None:
    # 2 s: the hanging record sleeps an hour, the others render in microseconds, so the
    # limit is far from both even when the machine is loaded (the default is 300 s).
    source = write_cases(tmp_path / "cases.json", 6)
    started = time.monotonic()
    result = run_batch([source], tmp_path / "out", ("txt",), kind=stub(hang=reference(2)),
                       jobs=jobs, timeout=2)
    assert time.monotonic() - started < 60
    failed = [o for o in result.outputs if o.status == "failed"]
    assert [o.reference for o in failed] == [reference(2)]
    assert "longer than 2 s" in (failed[0].error or "")
    assert result.count("written") == 5 and result.exit_code == 1
    assert_folder_true(tmp_path / "out")


def test_workers_are_replaced_after_max_tasks(tmp_path: Path) -> None:
    source = write_cases(tmp_path / "cases.json", 12)
    result = run_batch([source], tmp_path / "out", ("txt",), kind=stub(show_pid=True),
                       jobs=2, max_tasks=2)
    assert result.count("written") == 12
    pids = {(tmp_path / "out" / o.path).read_text().split()[1]
            for o in result.outputs if o.path}
    assert len(pids) >= 6  # 12 jobs, at most 2 per worker
    assert str(psutil.Process().pid) not in pids  # all of them in workers


def test_a_worker_killed_from_outside_costs_nothing(tmp_path: Path) -> None:
    """The job of a worker killed by someone else (an operator, the OOM killer) runs again."""
    source = write_cases(tmp_path / "cases.json", 24)
    out = tmp_path / "out"
    killed: list[int] = []

    def kill_one() -> None:
        deadline = time.monotonic() + 120
        while len(list(out.glob("*.txt"))) < 4 and time.monotonic() < deadline:
            time.sleep(0.02)
        workers = psutil.Process().children()
        if workers:
            workers[0].send_signal(signal.SIGKILL)
            killed.append(workers[0].pid)

    killer = threading.Thread(target=kill_one)
    killer.start()
    result = run_batch([source], out, ("txt",), kind=stub(delay=0.1), jobs=2)
    killer.join()
    assert killed
    assert (result.count("written"), result.count("failed")) == (24, 0)
    assert len(assert_folder_true(out)) == 24


def test_workers_that_cannot_start_fall_back_to_this_process(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    source = write_cases(tmp_path / "cases.json", 4)
    with caplog.at_level(logging.WARNING, logger="grantdocs.batch.workers"):
        result = run_batch([source], tmp_path / "out", ("txt",),
                           kind=stub(start_fails_in_workers=True, show_pid=True), jobs=2)
    assert result.count("written") == 4
    assert "worker processes could not start" in caplog.text
    pids = {(tmp_path / "out" / o.path).read_text().split()[1]
            for o in result.outputs if o.path}
    assert pids == {str(psutil.Process().pid)}
    assert_folder_true(tmp_path / "out")


def test_no_worker_is_left_after_a_run(tmp_path: Path) -> None:
    source = write_cases(tmp_path / "cases.json", 8)
    # This test process's other children (the service tests' session servers, when they
    # ran first in it) are not this run's; a worker that has exited but is not yet reaped
    # (a zombie: no memory, no CPU) is not left running, as in test_batch.py.
    before = {p.pid for p in psutil.Process().children()}
    run_batch([source], tmp_path / "out", ("txt",), kind=stub(), jobs=2)
    left = [p for p in psutil.Process().children() if p.pid not in before and _running(p)]
    assert left == []


def _running(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
