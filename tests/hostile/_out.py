"""What the output-side hostile tests share: sample cases, and the command in a process.

The tests drive the command line in process (:func:`tests.helpers.in_process`); with
``GRANTDOCS_TEST_SUBPROCESS=1`` they drive ``python -m grantdocs`` in a child process, so the
same test runs against an older checkout too (``PYTHONPATH=<old>/src``).
"""

from __future__ import annotations

import copy
import csv
import json
import subprocess
from pathlib import Path
from typing import Any

from tests.helpers import in_process

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def sample_cases(count: int) -> list[dict[str, Any]]:
    """The first ``count`` cases of samples/decisions.json, deep-copied (to mutate)."""
    data = json.loads((SAMPLES / "decisions.json").read_text("utf-8"))
    return copy.deepcopy(data["cases"][:count])


def write_cases(path: Path, cases: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"schema_version": "1", "cases": cases}, ensure_ascii=False),
                    "utf-8")
    return path


def grantdocs(*args: str | Path, timeout: float = 120,
              env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command line (in process; a child process bounded in time, see above)."""
    return in_process(*args, env=env, timeout=timeout)


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def manifest_json(out: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads((out / "manifest.json").read_text("utf-8"))["outputs"]
    return rows
