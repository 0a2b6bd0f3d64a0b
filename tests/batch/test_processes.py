"""The engine as real processes: Ctrl-C, scripts without a main guard, scripts from stdin.

The README's own guard-less example is run (once, for both its checks) in
tests/library/test_readme.py.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from grantdocs.batch import run_batch
from tests.batch.stub import assert_folder_true, stub, write_cases
from tests.helpers import ROOT

# A bulk command on the stub kind: the CLI's shared body, so Ctrl-C is handled as in
# `grantdocs letters`.
BULK = """\
import sys
from pathlib import Path
from grantdocs.batch import Settings
from grantdocs.cli.batch import run_product
from tests.batch.stub import stub
run_product(stub(delay=0.05), [Path(sys.argv[1])], Path(sys.argv[2]), ("txt",), Settings(),
            jobs=2, timeout=60, force=False, quiet=True, as_json=True, zip_file=None)
"""


def python(*args: str | Path, **kwargs: object) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, *map(str, args)], cwd=kwargs.pop("cwd", ROOT),
                            env=env, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, **kwargs)  # type: ignore[call-overload]


def test_ctrl_c_exits_130_with_a_true_folder_and_the_rerun_finishes(tmp_path: Path) -> None:
    source = write_cases(tmp_path / "cases.json", 120)
    out = tmp_path / "out"
    proc = python("-c", BULK, source, out)
    deadline = time.monotonic() + 120
    while len(list(out.glob("*.txt"))) < 10:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the batch made no progress"
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Interrupted" in err and "Traceback" not in err
    done = assert_folder_true(out)
    assert 10 <= len(done) < 120
    rerun = run_batch([source], out, ("txt",), kind=stub(), jobs=2)
    assert (rerun.count("kept"), rerun.count("written")) == (len(done), 120 - len(done))
    assert len(assert_folder_true(out)) == 120


def test_a_script_without_a_main_guard_runs_once(tmp_path: Path) -> None:
    source = write_cases(tmp_path / "cases.json", 8)
    script = tmp_path / "noguard.py"
    script.write_text(
        "from grantdocs.batch import run_batch\n"
        "from tests.batch.stub import stub\n"
        "print('top level ran')\n"
        f"r = run_batch([{str(source)!r}], {str(tmp_path / 'out')!r}, ['txt'], kind=stub(),\n"
        "              jobs=2)\n"
        "print('written', r.count('written'))\n", "utf-8")
    proc = python(script)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert out.splitlines() == ["top level ran", "written 8"]
    assert "Traceback" not in err and err.strip() == ""


def test_a_script_read_from_stdin_renders_in_workers(tmp_path: Path) -> None:
    source = write_cases(tmp_path / "cases.json", 6)
    script = (
        "import os\n"
        "from grantdocs.batch import run_batch\n"
        "from tests.batch.stub import stub\n"
        f"r = run_batch([{str(source)!r}], {str(tmp_path / 'out')!r}, ['txt'],\n"
        "              kind=stub(show_pid=True), jobs=2)\n"
        "print(os.getpid(), r.count('written'))\n"
    )
    proc = python("-", stdin=subprocess.PIPE)
    out, err = proc.communicate(script, timeout=300)
    assert proc.returncode == 0, err
    pid, written = out.split()
    assert written == "6" and "could not start" not in err
    pids = {p.read_text().split()[1] for p in (tmp_path / "out").glob("*.txt")}
    assert pids and pid not in pids
