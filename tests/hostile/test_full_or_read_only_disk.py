"""A full disk or a read-only output folder (#7's OSError part): one clear message, exit
code 3 (``ExitCode.OUTPUT_UNWRITABLE``), no partial file, a manifest that still reads, and a
rerun after the fix that keeps what was written.

The folder is a small tmpfs mounted for the test (the suite runs as root) and unmounted
after it, whatever happens.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostile._out import SAMPLES, grantdocs, sample_cases, write_cases

UNWRITABLE = 3


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True, timeout=30)


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A 100 KiB tmpfs: room for a few HTML letters, not for 24."""
    point = tmp_path / "disk"
    point.mkdir()
    _mount("-t", "tmpfs", "-o", "size=100k", "tmpfs", str(point))
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False, timeout=30)


def _consistent(out: Path) -> list[dict[str, object]]:
    """No temporary file left, and a manifest that reads and matches the files it lists."""
    assert not list(out.glob(".*.part"))
    rows: list[dict[str, object]] = json.loads((out / "manifest.json").read_text("utf-8"))[
        "outputs"]
    for row in rows:
        if row["path"]:
            data = (out / str(row["path"])).read_bytes()
            assert hashlib.sha256(data).hexdigest() == row["sha256"]
    return rows


def _one_clear_error(stderr: str, what: str) -> None:
    assert "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and what in errors[0], stderr


def test_a_full_disk_stops_cleanly_and_the_rerun_finishes(tmp_path: Path, disk: Path) -> None:
    """#7 (disk full): exit 3, one message, nothing partial, the manifest reads."""
    source = write_cases(tmp_path / "in.json", sample_cases(24))
    out = disk / "letters"
    done = grantdocs("letters", source, "--out", out, "--format", "html", "-j1", "-q")
    assert done.returncode == UNWRITABLE, done.stderr
    _one_clear_error(done.stderr, "No space left on device")
    _consistent(out)
    _mount("-o", "remount,size=20m", str(disk))
    again = grantdocs("letters", source, "--out", out, "--format", "html", "-j1", "-q")
    assert again.returncode == 0, again.stderr
    rows = _consistent(out)
    assert len(rows) == 24 and {r["status"] for r in rows} <= {"written", "kept"}
    assert len(list(out.glob("*.html"))) == 24


def test_a_read_only_folder_is_one_clear_error(tmp_path: Path, disk: Path) -> None:
    """#7 (read-only): a rerun, --force, and a new folder all exit 3 with one message."""
    source = write_cases(tmp_path / "in.json", sample_cases(2))
    out = disk / "letters"
    first = grantdocs("letters", source, "--out", out, "--format", "html", "-j1", "-q")
    assert first.returncode == 0, first.stderr
    manifest = (out / "manifest.json").read_bytes()
    _mount("-o", "remount,ro", str(disk))
    try:
        for extra in ((), ("--force",)):
            done = grantdocs("letters", source, "--out", out, "--format", "html", "-j1", "-q",
                             *extra)
            assert done.returncode == UNWRITABLE, done.stderr
            _one_clear_error(done.stderr, "Read-only file system")
        fresh = grantdocs("letters", source, "--out", disk / "new", "--format", "html", "-q")
        assert fresh.returncode == UNWRITABLE, fresh.stderr
        _one_clear_error(fresh.stderr, "Read-only file system")
        assert (out / "manifest.json").read_bytes() == manifest
        assert len(_consistent(out)) == 2
    finally:
        _mount("-o", "remount,rw", str(disk))


def test_stats_on_a_full_disk_is_one_clear_error(tmp_path: Path, disk: Path) -> None:
    """#7 (disk full, a command outside the batch engine): exit 3, one message, no file."""
    # as much as the disk takes (unbuffered: nothing left to flush at close)
    with (disk / "filler").open("wb", buffering=0) as filler, contextlib.suppress(OSError):
        for _ in range(200):
            filler.write(b"\0" * 4096)
    target = disk / "stats.xlsx"
    done = grantdocs("stats", SAMPLES / "decisions.json", "--out", target)
    assert done.returncode == UNWRITABLE, done.stderr
    _one_clear_error(done.stderr, "No space left on device")
    assert not target.exists() and not list(disk.glob(".*.part"))
