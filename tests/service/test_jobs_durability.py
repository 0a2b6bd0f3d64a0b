"""What a batch's serial steps flush to disk, and in which order (in process, SQLite).

Planning and assembly are the parts of a batch that a second worker does not shorten,
so they flush once instead of once per file: planning writes every chunk file without
an fsync and flushes them all with one ``syncfs`` before the chunk rows that name them
are committed; assembly packs outputs that their chunks' own manifests flushed already,
so only ``files.zip`` (and its folder) is fsynced, before the batch is marked done.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from grantdocs.service import plan as plan_module
from grantdocs.service.chunks import run_chunk
from grantdocs.service.context import batch_folder
from grantdocs.service.jobs import context
from grantdocs.service.plan import plan_batch
from grantdocs.service.settings import ServiceSettings
from tests.service.jobs_support import (
    assert_each_once,
    batch_row,
    chunk_rows,
    make_batch,
    read_zip,
    upload,
)


def _fsynced_paths(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the path of every ``os.fsync`` made from Python from now on."""
    paths: list[str] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        paths.append(os.readlink(f"/proc/self/fd/{fd}"))
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return paths


def test_planning_flushes_the_chunk_files_once_before_the_rows_that_name_them(
        fast: ServiceSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    batch_id = make_batch(fast, upload(tmp_path, 6, with_errors=False))
    folder = batch_folder(fast.data_dir, batch_id)
    fsynced = _fsynced_paths(monkeypatch)
    flushes: list[tuple[list[str], int]] = []
    real_flush = plan_module.sync_filesystem

    def flush(where: Path) -> None:
        files = sorted(p.name for p in (folder / "input").glob("chunk-*"))
        flushes.append((files, len(chunk_rows(fast, batch_id))))
        real_flush(where)

    monkeypatch.setattr(plan_module, "sync_filesystem", flush)
    assert plan_batch(context(fast), batch_id) == [1, 2, 3]
    # one flush, when every chunk file was there and no chunk row yet
    assert flushes == [([f"chunk-{n:04d}.{e}json" for n in (1, 2, 3) for e in ("", "rows.")],
                        0)]
    assert not [p for p in fsynced if p.startswith(str(folder))]
    assert [c.number for c in chunk_rows(fast, batch_id)] == [1, 2, 3]
    assert batch_row(fast, batch_id).status == "running"


def test_assembly_fsyncs_files_zip_before_the_batch_is_done_and_nothing_else(
        fast: ServiceSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = context(fast)
    batch_id = make_batch(fast, upload(tmp_path, 4, with_errors=False), formats="html")
    folder = batch_folder(fast.data_dir, batch_id)
    numbers = plan_batch(ctx, batch_id)
    assert numbers == [1, 2]
    run_chunk(ctx, batch_id, 1)
    assert batch_row(fast, batch_id).status == "running"
    fsynced: list[tuple[str, str]] = []  # each fsync's path, and the batch's status then
    real = os.fsync

    def fsync(fd: int) -> None:
        fsynced.append((os.readlink(f"/proc/self/fd/{fd}"), batch_row(fast, batch_id).status))
        real(fd)

    flushed: list[Path] = []
    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr("grantdocs.batch.manifest.sync_filesystem", flushed.append)
    run_chunk(ctx, batch_id, 2)  # the last chunk: its worker assembles
    assert batch_row(fast, batch_id).status == "done"
    assert_each_once(read_zip(folder / "files.zip"), 4)
    # The last chunk's own manifest flushed its outputs (one syncfs, of its folder); the
    # assembly's staging manifest was neither flushed nor fsynced.
    assert flushed == [folder / "chunks" / "0002"]
    assert not [p for p, _ in fsynced if "/.assemble-" in p]
    # files.zip under its temporary name, then the batch folder, while the batch ran
    in_folder = [(p, s) for p, s in fsynced if p == str(folder) or Path(p).parent == folder]
    assert len(in_folder) == 2
    (zip_part, first), (folder_itself, second) = in_folder
    assert Path(zip_part).name.startswith(".files.zip") and zip_part.endswith(".part")
    assert folder_itself == str(folder)
    assert first == second == "running"
