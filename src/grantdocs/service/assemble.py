"""The end of a batch: one manifest for every chunk, and ``files.zip``.

The merged manifest lists the batch's failed records (read at planning) and every
row of every chunk's own manifest, with the user's file name and row in place of
the chunk's. Only outputs whose bytes match their chunk's manifest (size and
SHA-256) are listed and packed. The files are hard-linked into a private staging
folder under their final names and zipped from there by the CLI's own packer
(:func:`grantdocs.bundle.zip_outputs`: sorted, fixed timestamps, streamed), to a
temporary name, fsynced and renamed: ``files.zip`` is never partial.

Exactly one worker assembles: the one whose transaction finished the last chunk
(see :func:`grantdocs.service.chunks.finish_chunk`), or after a crash the one sweep
that wins the conditional update of the batch (:func:`claim_stale_assembly`).
Were two to run anyway, both would write the same bytes under the same name.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select, update

from grantdocs.batch.manifest import (
    BatchResult,
    OutputRecord,
    manifest_rows,
    verified_outputs,
    write_manifest,
)
from grantdocs.bundle import zip_outputs
from grantdocs.service.context import Context, utcnow
from grantdocs.service.db import Batch, Chunk
from grantdocs.service.plan import INVALID, chunk_dir, chunk_input, chunk_rows

FILES_ZIP = "files.zip"

log = logging.getLogger("grantdocs.service.jobs")


def load_list(path: Path) -> list[object]:
    try:
        value = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return []
    return value if isinstance(value, list) else []


def _given_up(folder: Path, number: int, upload: str, rows: list[object]) -> list[OutputRecord]:
    """The records of a chunk that crashed its worker every time: failed rows."""
    cases = load_list(chunk_input(folder, number))
    out = []
    for case, row in zip(cases, rows, strict=False):
        decision = case.get("decision", {}) if isinstance(case, dict) else {}
        out.append(OutputRecord(
            reference=decision.get("case_number") if isinstance(decision, dict) else None,
            kind=None, language=None, format=None, path=None, pages=None, bytes=None,
            sha256=None, status="failed", file=upload, row=row if isinstance(row, int) else None,
            error="the worker rendering this record stopped every time it was tried; "
                  "it was not written"))
    return out


def merged_rows(folder: Path, chunks: list[tuple[int, str]],
                upload: str) -> tuple[list[OutputRecord], dict[str, Path]]:
    """The batch's manifest rows, and the file behind each listed output's final name."""
    rows = [OutputRecord(**r) for r in load_list(folder / "chunks" / INVALID)
            if isinstance(r, dict)]
    sources: dict[str, Path] = {}
    for number, status in chunks:
        user_rows = load_list(chunk_rows(folder, number))
        if status == "failed":
            rows += _given_up(folder, number, upload, user_rows)
            continue
        out = chunk_dir(folder, number)
        good = verified_outputs(out)
        for rec in manifest_rows(out):
            if rec.path and rec.path not in good:
                continue  # a row whose file is missing or changed is never listed
            row = rec.row
            if isinstance(row, int) and 0 < row <= len(user_rows):
                mapped = user_rows[row - 1]
                row = mapped if isinstance(mapped, int) else None
            rec = replace(rec, file=upload, row=row)
            if rec.path:
                name = rec.path
                if name in sources:  # two chunks' records sanitised to one name: rare
                    name = f"{number:04d}-{name}"
                sources[name] = out / rec.path
                rec = replace(rec, path=name)
            rows.append(rec)
    return rows, sources


def _clear_staging(folder: Path, older_than: float) -> None:
    """Remove the staging folders of assemblers that died (older than a lease)."""
    now = time.time()
    for stale in folder.glob(".assemble-*"):
        with contextlib.suppress(OSError):
            if stale.is_dir() and not stale.is_symlink() and \
                    now - stale.stat().st_mtime > older_than:
                shutil.rmtree(stale, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def assemble(ctx: Context, batch_id: str) -> bool:
    """Write the merged manifest and ``files.zip`` of a finished batch; mark it done.

    False when the batch is not (or no longer) running: done already, or failed.
    """
    with ctx.sessions.begin() as session:
        batch = session.get(Batch, batch_id)
        if batch is None or batch.status != "running":
            return False
        upload = batch.upload_name
        chunks = [(c.number, c.status) for c in session.scalars(
            select(Chunk).where(Chunk.batch_id == batch_id).order_by(Chunk.number))]
    if any(status not in ("done", "failed") for _, status in chunks):
        return False
    folder = ctx.folder(batch_id)
    log.info("batch %s: assembling (worker %s)", batch_id, ctx.worker)
    _clear_staging(folder, ctx.timings.lease)
    rows, sources = merged_rows(folder, chunks, upload)
    staging = Path(tempfile.mkdtemp(prefix=".assemble-", dir=folder))
    try:
        for name, source in sources.items():
            os.link(source, staging / name)
        # the outputs were flushed by their chunk's own manifest; the zip is fsynced
        write_manifest(staging, BatchResult(outputs=rows), durable=False)
        zip_outputs(staging, rows, folder / FILES_ZIP)
        _fsync_dir(folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    with ctx.sessions.begin() as session:
        session.execute(update(Batch).where(Batch.id == batch_id, Batch.status == "running")
                        .values(status="done", updated_at=utcnow()))
    log.info("batch %s: assembled, %d files (worker %s)", batch_id, len(sources), ctx.worker)
    return True


def claim_stale_assembly(ctx: Context, batch_id: str, older_than: dt.datetime) -> bool:
    """Take over the assembly of a batch left running with every chunk finished."""
    with ctx.sessions.begin() as session:
        taken = session.execute(
            update(Batch).where(Batch.id == batch_id, Batch.status == "running",
                                Batch.updated_at < older_than).values(updated_at=utcnow()))
        return bool(taken.rowcount == 1)
