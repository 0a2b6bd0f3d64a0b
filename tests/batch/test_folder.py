"""The output folder: one run at a time, unique stems, ordinary files, a true manifest."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from grantdocs.batch import run_batch
from grantdocs.batch.jobs import StemCounter
from grantdocs.cli import cli
from grantdocs.errors import FolderBusy
from grantdocs.files import folder_lock
from tests.batch.stub import assert_folder_true, stub, write_cases


def test_one_run_at_a_time_per_folder(tmp_path: Path) -> None:
    source = write_cases(tmp_path / "cases.json", 3)
    out = tmp_path / "out"
    out.mkdir()
    with folder_lock(out):  # another run holds the folder
        with pytest.raises(FolderBusy, match="another grantdocs run is writing to"):
            run_batch([source], out, ("txt",), kind=stub(), jobs=1)
        run = CliRunner().invoke(cli, ["letters", str(source), "--out", str(out),
                                       "--format", "html", "--jobs", "1"])
        assert run.exit_code == 2 and "another grantdocs run is writing to" in run.output
    assert list(out.iterdir()) == []  # nothing touched, and no lock file
    assert run_batch([source], out, ("txt",), kind=stub(), jobs=1).count("written") == 3


def test_stems_never_collide(tmp_path: Path) -> None:
    """Two records named alike get X and X-2; a third whose own name is X-2 gets X-3."""
    stems = StemCounter()
    assert [stems.unique(s) for s in ("X", "X", "X-2", "X", "Y")] == ["X", "X-2", "X-2-2",
                                                                      "X-3", "Y"]
    source = write_cases(tmp_path / "cases.json", 1)
    doc = json.loads(source.read_text("utf-8"))
    first = doc["cases"][0]
    twin = json.loads(json.dumps(first))  # another case number (a repeated one is an error)
    twin["decision"]["case_number"] = first["decision"]["case_number"].replace("/", "-")
    third = json.loads(json.dumps(first))  # ... that makes the same file name stem
    third["decision"]["case_number"] = first["decision"]["case_number"].replace("/", ".")
    third["organisation"]["name"] += " 2"
    doc["cases"] = [first, twin, third]
    source.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    out = tmp_path / "out"
    result = run_batch([source], out, ("txt",), kind=stub(), jobs=1)
    paths = [o.path for o in result.outputs if o.path]
    assert len(paths) == len(set(paths)) == 3
    assert_folder_true(out)
    again = run_batch([source], out, ("txt",), kind=stub(), jobs=1)
    assert again.count("kept") == 3 and again.count("written") == 0


def test_outputs_are_ordinary_files(tmp_path: Path) -> None:
    source = write_cases(tmp_path / "cases.json", 3)
    old = os.umask(0o022)
    try:
        out = tmp_path / "out"
        run_batch([source], out, ("txt",), kind=stub(), jobs=2)
    finally:
        os.umask(old)
    modes = {p.name: p.stat().st_mode & 0o777 for p in out.iterdir()}
    assert len(modes) == 5 and set(modes.values()) == {0o644}, modes  # 3 files, 2 manifests


def test_outputs_reach_the_disk_before_the_manifest_that_lists_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No fsync per output; one flush of the filesystem after the last output is written and
    before the manifest listing them is (the manifest and its temporary file keep an fsync)."""
    import grantdocs.batch.manifest as manifest
    import grantdocs.files as files

    source = write_cases(tmp_path / "cases.json", 4)
    out = tmp_path / "out"
    events: list[str] = []
    real_fsync, real_sync, real_replace = os.fsync, files.sync_filesystem, os.replace

    def fsync(fd: int) -> None:
        events.append("fsync " + Path(os.readlink(f"/proc/self/fd/{fd}")).name)
        real_fsync(fd)

    def sync(folder: Path) -> None:
        assert folder == out
        events.append("syncfs")
        real_sync(folder)

    def replace(src: str, dst: str | Path) -> None:
        events.append("rename " + Path(dst).name)
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(manifest, "sync_filesystem", sync)
    run_batch([source], out, ("txt",), kind=stub(), jobs=1)
    outputs = sorted(p.name for p in out.glob("*.txt"))
    assert len(outputs) == 4
    assert not [e for e in events if e.startswith("fsync ") and ".txt" in e], events
    last_output = max(events.index(f"rename {name}") for name in outputs)
    final_manifest = len(events) - 1 - events[::-1].index("rename manifest.json")
    assert last_output < events.index("syncfs", last_output) < final_manifest, events
    assert events[final_manifest - 1].startswith("fsync .manifest.json"), events
    assert set(assert_folder_true(out)) == set(outputs)


def test_sync_filesystem_flushes_the_folder(tmp_path: Path) -> None:
    import sys

    from grantdocs.files import _syncfs, atomic_write, sync_filesystem

    if sys.platform == "linux":
        assert _syncfs() is not None  # syncfs(2) itself, not the os.sync() fallback
    atomic_write(tmp_path / "a.txt", b"bytes", fsync=False)
    sync_filesystem(tmp_path)  # syncfs(2) through ctypes; raises nothing, leaves the file
    assert (tmp_path / "a.txt").read_bytes() == b"bytes"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_a_failed_record_leaves_a_true_manifest(tmp_path: Path) -> None:
    source = write_cases(tmp_path / "cases.json", 5)
    doc = json.loads(source.read_text("utf-8"))
    doc["cases"][2]["organisation"]["org_number"] = "123"  # invalid
    source.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    out = tmp_path / "out"
    result = run_batch([source], out, ("txt",), kind=stub(), jobs=2)
    assert (result.count("written"), result.count("failed"), result.exit_code) == (4, 1, 1)
    rows = json.loads((out / "manifest.json").read_text("utf-8"))["outputs"]
    failed = [r for r in rows if r["status"] == "failed"]
    assert len(failed) == 1 and failed[0]["row"] is not None and failed[0]["error"]
    assert len(assert_folder_true(out)) == 4
