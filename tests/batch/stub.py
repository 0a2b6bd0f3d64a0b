"""A small document kind for the engine's tests: a text file per record, with faults on demand.

It plans like every kind (real records, validated), but renders in microseconds, so the
tests are about the engine: what happens when a worker dies, hangs, is replaced or
interrupted, not about letters.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grantdocs.batch import Job, OutputFile, Rendered, Settings
from grantdocs.products import Kind
from tests.helpers import make_case


@dataclass(frozen=True)
class Stub(Kind):
    """``bad`` kills its worker, ``hang`` never finishes, every job takes ``delay`` seconds."""

    bad: str = ""
    hang: str = ""
    delay: float = 0.0
    show_pid: bool = False  # put the worker's pid in each file (not deterministic)
    start_fails_in_workers: bool = False

    def start(self, settings: Settings, fmts: Sequence[str]) -> Any:
        if self.start_fails_in_workers and multiprocessing.parent_process() is not None:
            raise RuntimeError("this kind cannot start in a worker process")
        return None

    def render(self, state: Any, job: Job, fmts: Sequence[str]) -> Rendered:
        if job.reference == self.bad:
            os._exit(9)  # what a segfault or the OOM killer looks like to the pool
        if job.reference == self.hang:
            time.sleep(3600)
        time.sleep(self.delay)
        text = f"{job.reference}\n" + (f"{os.getpid()}\n" if self.show_pid else "")
        files = tuple(OutputFile(name, "granted", fmt, text.encode())
                      for name, fmt in zip(self.names(job, fmts), fmts, strict=True))
        return Rendered(job.reference, "nb", files)


def stub(**faults: Any) -> Stub:
    return Stub("stub", "Stub", ("txt",), frozenset({"granted"}), ("*/letter-*.html",),
                preload=("tests.batch.stub",), **faults)


def reference(i: int) -> str:
    return f"22/{i + 1:05d}-1"


def write_cases(path: Path, n: int, *, changed: int | None = None) -> Path:
    """``n`` granted cases to ``path`` (JSON); ``changed`` gets another reason text."""
    cases = []
    for i in range(n):
        decision: dict[str, Any] = {"case_number": reference(i)}
        if i == changed:
            decision["reason_text"] = "Vi har lagt vekt på at budsjettet er realistisk."
        case = make_case("granted", "nb", decision=decision,
                         organisation={"name": f"Lag nummer {i}"})
        cases.append(case.model_dump(mode="json"))
    path.write_text(json.dumps({"schema_version": "1", "cases": cases}, ensure_ascii=False),
                    "utf-8")
    return path


def assert_folder_true(out: Path) -> dict[str, dict[str, Any]]:
    """No partial file, no journal, and a manifest that lists exactly the files, verified."""
    import hashlib

    from grantdocs.batch import JOURNAL

    assert not list(out.glob(".*.part"))
    assert not (out / JOURNAL).exists()
    rows = json.loads((out / "manifest.json").read_text("utf-8"))["outputs"]
    listed = {r["path"]: r for r in rows if r["path"]}
    assert set(listed) == {p.name for p in out.glob("*.txt")}
    for name, row in listed.items():
        data = (out / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"] and len(data) == row["bytes"]
        assert data.decode().startswith(row["reference"] + "\n")
    return listed
