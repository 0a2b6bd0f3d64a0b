"""#10: SIGTERM of the parent (how systemd, docker and Kubernetes stop a process) is a
graceful stop: the files being written are finished, the manifest is written, no worker is
left behind, and the command exits 143; the rerun finishes the batch."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

from tests.hostile._out import grantdocs, sample_cases, write_cases

N = 8


def test_sigterm_writes_the_manifest_and_exits_143(tmp_path: Path) -> None:
    """#10: SIGTERM mid-batch with two workers."""
    source = write_cases(tmp_path / "in.json", sample_cases(N))
    out = tmp_path / "out"
    args = ["letters", str(source), "--out", str(out), "--format", "pdf", "-j2", "-q"]
    proc = subprocess.Popen([sys.executable, "-m", "grantdocs", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=os.environ.copy())
    try:
        deadline = time.monotonic() + 180
        while len(list(out.glob("*.pdf"))) < 2 and time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.1)
        workers = psutil.Process(proc.pid).children(recursive=True)
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 143, stderr
    assert "Traceback" not in stderr
    assert not list(out.glob(".*.part"))
    assert not (out / ".grantdocs-journal.jsonl").exists()
    rows = json.loads((out / "manifest.json").read_text("utf-8"))["outputs"]
    listed = {r["path"]: r for r in rows if r["path"]}
    assert listed and set(listed) == {p.name for p in out.glob("*.pdf")}
    for name, row in listed.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == row["sha256"]
    # The workers stop with their parent: none is left running a moment later.
    _gone, alive = psutil.wait_procs(workers, timeout=5)
    assert not [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    again = grantdocs(*args)
    assert again.returncode == 0, again.stderr
    rows = json.loads((out / "manifest.json").read_text("utf-8"))["outputs"]
    assert len(rows) == N and {r["status"] for r in rows} == {"written", "kept"}
