"""Planning a batch: read the upload once, record its issues, split the valid records
into chunks.

The upload is read with the project's readers and checked like ``grantdocs
validate`` (the hostile-input limits included), in a worker, never in the web
process. Every issue keeps the row number of the user's own file. The valid
records are written, ``GRANTDOCS_CHUNK_SIZE`` at a time, as JSON files of cases
(``input/chunk-NNNN.json``), each with the user's row of every case beside it
(``chunk-NNNN.rows.json``) so that the merged manifest names the user's rows, not
the chunk's. Records that are invalid are failed rows of the batch at once
(``chunks/invalid.json``); they are never rendered.

The batch row moves from ``queued`` to ``running`` in the same transaction that
inserts its chunks, and only if it is still ``queued``: two planners of one batch
(a task that arrived twice) cannot both plan it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update

from grantdocs.batch.digest import Settings
from grantdocs.batch.jobs import DocumentKind
from grantdocs.batch.manifest import OutputRecord
from grantdocs.errors import ConfigError, GrantdocsError, Issue
from grantdocs.files import atomic_write, sync_filesystem
from grantdocs.i18n import Lang, issue_dict
from grantdocs.resources import DATA_DIR
from grantdocs.service.context import Context, utcnow
from grantdocs.service.db import Batch, Chunk

INVALID = "invalid.json"


def chunk_input(folder: Path, number: int) -> Path:
    return folder / "input" / f"chunk-{number:04d}.json"


def chunk_rows(folder: Path, number: int) -> Path:
    return folder / "input" / f"chunk-{number:04d}.rows.json"


def chunk_dir(folder: Path, number: int) -> Path:
    return folder / "chunks" / f"{number:04d}"


def upload_path(folder: Path, upload_name: str) -> Path:
    """The upload under ``input/``: by its name, else the one file there."""
    named = folder / "input" / Path(upload_name).name
    if named.is_file():
        return named
    files = [p for p in (folder / "input").glob("*") if p.is_file()
             and not p.name.startswith("chunk-")]
    if len(files) == 1:
        return files[0]
    raise ConfigError(f"the upload {upload_name!r} is not in {folder / 'input'}")


def _bundled(what: str, name: str | None) -> Path | None:
    """A bundled issuer profile or scheme, by name only: a client never names a server file."""
    if not name:
        return None
    file = DATA_DIR / f"{what}s" / f"{name}.toml"
    if "/" in name or "\\" in name or name.startswith(".") or not file.is_file():
        known = ", ".join(sorted(p.stem for p in (DATA_DIR / f"{what}s").glob("*.toml")))
        raise ConfigError(f"{what} {name!r} is not known; use one of {known}")
    return file


def engine_settings(batch: Batch) -> Settings:
    return Settings(scheme=_bundled("scheme", batch.scheme),
                    issuer=_bundled("issuer", batch.issuer))


def kind_of(batch: Batch) -> DocumentKind:
    from grantdocs.products import KINDS

    kind = KINDS.get(batch.kind)
    if kind is None:
        raise ConfigError(f"{batch.kind} cannot be made as a batch job yet; use one of "
                          f"{', '.join(KINDS)}")
    return kind


def formats_of(batch: Batch) -> tuple[str, ...]:
    try:
        return kind_of(batch).check_formats(batch.formats.split(","))
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


@dataclass
class Planned:
    """What reading the upload gave: issues, failed rows, and the valid cases with their rows."""

    issues: list[dict[str, Any]] = field(default_factory=list)
    invalid: list[OutputRecord] = field(default_factory=list)
    cases: list[tuple[dict[str, Any], int | None]] = field(default_factory=list)
    total: int = 0


def _issue(issue: Issue, upload: str, name: str, lang: Lang | None) -> dict[str, Any]:
    if lang is None:
        message, hint = issue.message, issue.hint
    else:  # the library's own message and hint, in the language asked for
        shown = issue_dict(issue, lang)
        given = shown["hint"]
        message, hint = str(shown["message"]), str(given) if given else None
    message = message.replace(upload, name)
    if hint:
        message += f" ({hint})"
    return {"row": issue.location.row, "column": issue.location.field,
            "code": issue.severity.value, "message": message, "message_code": issue.code}


def read_upload(path: Path, name: str, settings: Settings, lang: Lang | None = None) -> Planned:
    """Every record of the upload checked; the issues name the user's file and rows.

    Their messages are in English (the API's language), or in ``lang`` (the
    caseworker's pages ask for nb or nn); ``message_code`` is the message's code.
    """
    from grantdocs.validate import check_inputs

    planned = Planned()
    for checked in check_inputs([path], settings.scheme):
        planned.total += 1
        planned.issues += [_issue(i, str(path), name, lang) for i in checked.issues]
        row = checked.location.row
        if checked.case is None:
            first = next((i for i in checked.issues if i.is_error), None)
            planned.invalid.append(OutputRecord(
                reference=first.reference if first else None, kind=None, language=None,
                format=None, path=None, pages=None, bytes=None, sha256=None, status="failed",
                error=first.message.replace(str(path), name) if first else "invalid record",
                file=name, row=row, field=first.location.field if first else None))
        else:
            planned.cases.append((checked.case.model_dump(mode="json"), row))
    return planned


def plan_batch(ctx: Context, batch_id: str) -> list[int]:
    """Plan a queued batch; the numbers of the chunks to enqueue (none: nothing to do)."""
    with ctx.sessions.begin() as session:
        batch = session.get(Batch, batch_id)
        if batch is None or batch.status != "queued":
            return []
        if session.scalar(select(func.count()).select_from(Chunk)
                          .where(Chunk.batch_id == batch_id)):
            return []  # planned, and its chunks are the sweep's
    folder = ctx.folder(batch_id)
    try:
        settings = engine_settings(batch)
        formats_of(batch)
        settings.check()
        path = upload_path(folder, batch.upload_name)
        planned = read_upload(path, batch.upload_name, settings)
    except GrantdocsError as exc:  # the client sees its own file's name, not our folders
        message = str(exc).replace(str(folder / "input") + "/", "")
        fail_batch(ctx, batch_id, message.replace(str(ctx.settings.data_dir), "<data>"))
        return []
    size = ctx.timings.chunk_size
    groups = [planned.cases[i:i + size] for i in range(0, len(planned.cases), size)]
    (folder / "chunks").mkdir(parents=True, exist_ok=True)
    # Each file atomic, and all of them flushed by one syncfs before the rows that name
    # them are committed. An fsync each (17 for 120 letters in chunks of 15) made planning
    # 0.4-1.5 s for 50 ms of CPU on a loaded machine, 0.15-0.4 s with one syncfs; planning
    # is the part of a batch that a second worker does not shorten.
    atomic_write(folder / "chunks" / INVALID,
                 json.dumps([asdict(r) for r in planned.invalid], ensure_ascii=False).encode(),
                 fsync=False)
    for number, group in enumerate(groups, 1):
        atomic_write(chunk_input(folder, number),
                     json.dumps([case for case, _ in group], ensure_ascii=False).encode(),
                     fsync=False)
        atomic_write(chunk_rows(folder, number), json.dumps([row for _, row in group]).encode(),
                     fsync=False)
    sync_filesystem(folder)
    position = 0
    with ctx.sessions.begin() as session:
        moved = session.execute(
            update(Batch).where(Batch.id == batch_id, Batch.status == "queued").values(
                status="running", total=planned.total, failed=len(planned.invalid),
                written=0, issues=planned.issues, updated_at=utcnow()))
        if moved.rowcount != 1:
            session.rollback()
            return []
        for number, group in enumerate(groups, 1):
            session.add(Chunk(batch_id=batch_id, number=number, first=position,
                              last=position + len(group) - 1, status="queued", attempts=0,
                              lease_until=ctx.lease_until(ctx.timings.requeue)))
            position += len(group)
    return list(range(1, len(groups) + 1))


def fail_batch(ctx: Context, batch_id: str, error: str) -> None:
    """The batch as a whole cannot be made: its upload or its settings are unusable."""
    with ctx.sessions.begin() as session:
        session.execute(update(Batch).where(Batch.id == batch_id,
                                            Batch.status.in_(("queued", "running")))
                        .values(status="failed", error=error, updated_at=utcnow()))
