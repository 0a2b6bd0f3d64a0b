"""Caseworker inputs built from the samples, changed in one place, written to tmp_path."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tests.helpers import SAMPLES, in_process


def sample_rows() -> list[list[str]]:
    """The rows of samples/decisions.csv: the header, then one row per case."""
    text = (SAMPLES / "decisions.csv").read_text("utf-8-sig")
    return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=";")]


def csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    path.write_bytes(csv_bytes(rows))
    return path


def sample_cases() -> list[dict[str, Any]]:
    data = json.loads((SAMPLES / "decisions.json").read_text("utf-8"))
    cases: list[dict[str, Any]] = data["cases"]
    return cases


def grantdocs(*args: str | Path, env: Mapping[str, str] | None = None,
              timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """The command line in process (:func:`tests.helpers.in_process`), with ``env`` added to
    the environment."""
    return in_process(*args, env=env, timeout=timeout)
