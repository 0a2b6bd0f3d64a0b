"""A sheet the caseworker has uploaded and checked, before it is generated: a draft.

``POST /app/uploads`` keeps the sheet under ``<data>/drafts/<id>/`` (the file, as
``sheet<suffix>``, and ``draft.json``: whose it is, when, and what checking it
found) and shows the issues by row and column. Checking runs in a render worker
(:func:`check_sheet`), with the project's readers and the same checks, input limits and
zip guard as a batch (:func:`grantdocs.service.plan.read_upload`), in the caseworker's
written form (the library's own messages, :mod:`grantdocs.i18n`). No table: a draft is
a folder, removed a day after it was made (:data:`DRAFT_SECONDS`).

``POST /app/uploads/{id}/generate`` makes the batch through
:func:`grantdocs.service.batches.start_batch`, the code of ``POST /api/v1/batches``,
with the draft's id as the idempotency key: pressing the button twice gives one batch.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from grantdocs.files import atomic_write

DRAFTS = "drafts"
DRAFT_FILE = "draft.json"
DRAFT_SECONDS = 24 * 60 * 60


@dataclass
class Draft:
    """What ``draft.json`` holds."""

    id: str
    token_id: int
    name: str
    created: str
    total: int = 0
    valid: int = 0
    refused: str | None = None
    issues: list[dict[str, Any]] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i.get("code") == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.issues if i.get("code") == "warning")


def drafts_dir(data_dir: Path) -> Path:
    return data_dir / DRAFTS


def draft_folder(data_dir: Path, draft_id: str) -> Path:
    if not (len(draft_id) == 32 and draft_id.isalnum()):
        raise ValueError(f"not a draft id: {draft_id!r}")
    return drafts_dir(data_dir) / draft_id


def new_draft_id() -> str:
    return uuid.uuid4().hex


def sheet_path(data_dir: Path, draft: Draft) -> Path:
    """Where the draft's sheet is kept: ``sheet<suffix>``, a name grantdocs chooses (the
    caseworker's name is for messages only, so a sheet named ``draft.json`` cannot
    overwrite the draft's own record)."""
    return draft_folder(data_dir, draft.id) / f"sheet{Path(draft.name).suffix.lower()}"


def save_draft(data_dir: Path, draft: Draft) -> None:
    folder = draft_folder(data_dir, draft.id)
    atomic_write(folder / DRAFT_FILE, json.dumps(asdict(draft), ensure_ascii=False).encode())


def load_draft(data_dir: Path, draft_id: str, token_id: int) -> Draft | None:
    """The draft, if it is there and the caseworker's (else None: a 404 to them)."""
    try:
        folder = draft_folder(data_dir, draft_id)
        data = json.loads((folder / DRAFT_FILE).read_bytes())
        draft = Draft(**data)
    except (ValueError, OSError, TypeError):
        return None
    return draft if draft.token_id == token_id else None


def clear_old_drafts(data_dir: Path, now: float | None = None) -> None:
    """Remove drafts older than :data:`DRAFT_SECONDS` (also ones left half-made)."""
    limit = (time.time() if now is None else now) - DRAFT_SECONDS
    root = drafts_dir(data_dir)
    if not root.is_dir():
        return
    for folder in root.iterdir():
        try:
            old = folder.is_dir() and not folder.is_symlink() and folder.stat().st_mtime < limit
        except OSError:
            continue
        if old:
            shutil.rmtree(folder, ignore_errors=True)


def utc_stamp() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def check_sheet(path: str, name: str, lang: str) -> tuple[int, int, str | None,
                                                          list[dict[str, Any]]]:
    """In a render worker: (records, valid records, why the file is refused, issues).

    Each issue is ``{row, column, code ("error" or "warning"), message, message_code}``
    with the message (and its hint) in ``lang`` and naming ``name``, not the server's copy.
    """
    from grantdocs.batch.digest import Settings
    from grantdocs.errors import GrantdocsError
    from grantdocs.i18n import error_text
    from grantdocs.service.plan import read_upload

    written: Any = "nn" if lang == "nn" else "nb"
    try:
        planned = read_upload(Path(path), name, Settings(), written)
    except GrantdocsError as exc:
        return 0, 0, error_text(exc, written).replace(path, name), []
    issues = sorted(planned.issues, key=lambda i: (
        i.get("row") is None, i.get("row") or 0, i.get("code") != "error"))
    return planned.total, len(planned.cases), None, issues
