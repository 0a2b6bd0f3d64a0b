"""The output folder's record of what it holds: the manifest and the journal.

Each finished output is appended at once to a journal in the output folder
(``.grantdocs-journal.jsonl``, one flushed JSON line per output), so progress
survives a killed parent; the journal is folded into the manifest
(``manifest.json`` and ``manifest.csv``) at the end of a run and at the start
of the next one. The manifest lists only files that exist with the SHA-256 it
gives.

The journal is flushed but not fsynced, and a batch writes its outputs without
an fsync each: after a power cut a journal line may be missing or an output cut
short, and then that output is only made again, because every row is verified
(size and SHA-256) before it is kept. The manifest itself is written after one
flush of the folder's filesystem (:func:`~grantdocs.files.sync_filesystem`), so
on disk it never lists a file that is not there in full.
"""

from __future__ import annotations

import csv
import itertools
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from grantdocs import __version__
from grantdocs.csvsafe import csv_safe
from grantdocs.errors import Issue, Location, Severity
from grantdocs.files import atomic_open, is_regular, open_nofollow, sha256_file, sync_filesystem
from grantdocs.messages import Text

MANIFEST_JSON = "manifest.json"
MANIFEST_CSV = "manifest.csv"
MANIFEST_FIELDS = (
    "reference", "kind", "language", "format", "path", "pages", "bytes", "sha256", "status",
    "error", "file", "row", "field", "input_hash", "organisation", "document",
)
JOURNAL = ".grantdocs-journal.jsonl"


@dataclass(slots=True)
class OutputRecord:
    """One row of the manifest: an output written or kept, or a record that failed."""

    reference: str | None
    kind: str | None
    language: str | None
    format: str | None
    path: str | None
    pages: int | None
    bytes: int | None
    sha256: str | None
    status: str  # written | kept | skipped | failed
    error: str | None = None
    file: str | None = None
    row: int | None = None
    field: str | None = None
    input_hash: str | None = None
    organisation: str | None = None
    document: str | None = None  # the document kind that made it: letters, report-templates, ...


@dataclass
class BatchResult:
    """What a run did: one manifest row per output (or failed or skipped record), and issues.

    ``carried`` holds the rows of other document kinds that share the output
    folder; they stay in the manifest untouched and are not counted.
    """

    outputs: list[OutputRecord] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    carried: list[OutputRecord] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if not i.is_error]

    def count(self, status: str) -> int:
        return sum(1 for o in self.outputs if o.status == status)

    def fail(self, record: OutputRecord, hint: str | None = None,
             text: Text | None = None) -> None:
        """Record a failed record, and its error as an issue (``text``: its coded message)."""
        self.outputs.append(record)
        self.issues.append(Issue(
            Severity.ERROR, record.error or "failed",
            Location(record.file, record.row, record.field),
            hint if hint is not None or text is None else text.render_hint(), record.reference,
            text))

    @property
    def exit_code(self) -> int:
        return 1 if self.errors or self.count("failed") else 0

    def summary(self) -> dict[str, Any]:
        return {
            "written": self.count("written"),
            "kept": self.count("kept"),
            "skipped": self.count("skipped"),
            "failed": self.count("failed"),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "exit_code": self.exit_code,
        }


_INT_FIELDS = frozenset({"pages", "bytes", "row"})
#: Longer paths are not ours (names are at most 80 characters and a suffix).
_MAX_PATH = 255


def _record(row: object) -> OutputRecord | None:
    """A manifest or journal row as a record; None when it is not one (a corrupt row).

    Every field must have its type (text, or a whole number for pages, bytes and
    row) or be missing, the status must be given, and a path must be a plain name.
    """
    if not isinstance(row, dict):
        return None
    known: dict[str, Any] = {k: row.get(k) for k in MANIFEST_FIELDS}  # types checked next
    for key, value in known.items():
        wanted = int if key in _INT_FIELDS else str
        if value is not None and type(value) is not wanted:  # bool is no int here
            return None
    path = known["path"]
    if known["status"] is None or (path is not None and len(path) > _MAX_PATH):
        return None
    return OutputRecord(**known)


def _warn(notes: list[Issue] | None, file: str, message: str) -> None:
    if notes is not None:
        notes.append(Issue(Severity.WARNING, message, Location(file),
                           "it is rebuilt from the files that still match"))


def manifest_rows(out_dir: Path, notes: list[Issue] | None = None) -> list[OutputRecord]:
    """Every row of the folder's manifest.json (none when it is missing or unreadable).

    An unreadable manifest and every corrupt row are skipped, each with a
    warning added to ``notes``.
    """
    file = out_dir / MANIFEST_JSON
    if not is_regular(file):  # missing, or a symlink that is not followed
        return []
    try:
        with open_nofollow(file) as fh:
            rows = json.loads(fh.read().decode("utf-8"))["outputs"]
        if not isinstance(rows, list):
            raise TypeError("outputs is not a list")
    except (OSError, ValueError, KeyError, TypeError, RecursionError) as exc:
        _warn(notes, str(file), f"the manifest cannot be read ({type(exc).__name__}); "
                                "its rows are skipped")
        return []
    records = [_record(row) for row in rows]
    if None in records:
        _warn(notes, str(file), f"{records.count(None)} corrupt manifest rows skipped")
    return [rec for rec in records if rec is not None]


def read_manifest(out_dir: Path, rows: list[OutputRecord] | None = None,
                  notes: list[Issue] | None = None) -> dict[str, OutputRecord]:
    """The outputs the folder's manifest (or ``rows`` read from it) and journal record.

    By relative path; journal lines (a run that did not finish) override the
    manifest. A journal line that is cut short (also inside a UTF-8 character,
    after a power cut) or corrupt is skipped, with a warning in ``notes``.
    Nothing is checked against the files here: see :func:`verified_outputs`.
    """
    rows = manifest_rows(out_dir, notes) if rows is None else rows
    found = {rec.path: rec for rec in rows if rec.path}
    journal = out_dir / JOURNAL
    if not is_regular(journal):  # missing, or a symlink that is never followed
        return found
    skipped = []
    with open_nofollow(journal) as fh:
        for number, line in enumerate(fh, 1):
            try:
                rec = _record(json.loads(line))  # bytes: bad UTF-8 is a ValueError too
            except (ValueError, RecursionError):
                rec = None
            if rec is None and line.strip():
                skipped.append(number)
            elif rec is not None and rec.path:
                found[rec.path] = rec
    if skipped:
        _warn(notes, str(journal), f"journal lines {', '.join(map(str, skipped[:10]))} "
                                   "skipped: cut short or corrupt")
    return found


def verified_outputs(out_dir: Path, rows: list[OutputRecord] | None = None,
                     notes: list[Issue] | None = None) -> dict[str, OutputRecord]:
    """The recorded outputs whose file exists with the recorded size and SHA-256."""
    good = {}
    for name, rec in read_manifest(out_dir, rows, notes).items():
        path = out_dir / name
        if (rec.status in ("written", "kept") and rec.sha256 and _inside(out_dir, name)
                and is_regular(path) and path.stat().st_size == rec.bytes
                and sha256_file(path) == rec.sha256):
            good[name] = rec
    return good


def _inside(out_dir: Path, name: str) -> bool:
    return "/" not in name and "\\" not in name and not name.startswith(".") and (
        out_dir / name).parent == out_dir


def write_manifest(out_dir: Path, result: BatchResult, *, durable: bool = True) -> None:
    """Write manifest.json and manifest.csv (atomically) from ``result`` (outputs, then carried).

    The CSV's text fields are made safe for spreadsheets (:func:`~grantdocs.csvsafe.csv_safe`:
    a leading ``'`` where a field would be a formula); the JSON holds them as they are.

    Rows are streamed to the files one at a time, so writing a manifest of many
    thousand rows does not build it whole in memory.

    The files it lists were written without an fsync each; they are flushed
    first, all at once, so the manifest never reaches the disk before them.
    ``durable=False`` skips that flush and the manifest's own fsyncs: for a
    manifest that only goes into an archive which is itself made durable (the
    service's ``files.zip``), listing files already flushed by their own run.
    """
    if durable and (result.outputs or result.carried):
        sync_filesystem(out_dir)
    summary = json.dumps(result.summary(), ensure_ascii=False, indent=2).replace("\n", "\n  ")
    with atomic_open(out_dir / MANIFEST_JSON, "w", fsync=durable) as fh:
        fh.write(f'{{\n  "grantdocs_version": {json.dumps(__version__)},\n'
                 f'  "summary": {summary},\n  "outputs": [')
        rows = itertools.chain(result.outputs, result.carried)
        empty = True
        for output in rows:
            row = json.dumps(asdict(output), ensure_ascii=False, indent=2).replace("\n", "\n    ")
            fh.write(("" if empty else ",") + "\n    " + row)
            empty = False
        fh.write("]\n}" if empty else "\n  ]\n}")
    with atomic_open(out_dir / MANIFEST_CSV, "w", fsync=durable) as fh:
        writer = csv.DictWriter(fh, fieldnames=MANIFEST_FIELDS, lineterminator="\n")
        writer.writeheader()
        for output in itertools.chain(result.outputs, result.carried):
            writer.writerow({k: csv_safe(v) if isinstance(v, str) else v
                             for k, v in asdict(output).items()})


class Journal:
    """Append-only record of finished outputs, one flushed JSON line each.

    It is created new (``O_EXCL``, ``O_NOFOLLOW``): whatever was left under its
    name (a symlink included) is removed first, never followed.
    """

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / JOURNAL
        self.path.unlink(missing_ok=True)
        flags = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND
                 | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
        self._fh = os.fdopen(os.open(self.path, flags, 0o666), "w", encoding="utf-8")

    def add(self, record: OutputRecord) -> None:
        self._fh.write(json.dumps(asdict(record), ensure_ascii=False) + "\n")
        self._fh.flush()

    def close(self) -> None:
        self._fh.close()

    def remove(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)


def fold_previous(out: Path, name: str, kinds: frozenset[str],
                  notes: list[Issue] | None = None
                  ) -> tuple[dict[str, OutputRecord], list[OutputRecord]]:
    """Fold an unfinished run's journal into the manifest.

    Returns the verified outputs of the document kind ``name`` (whose manifest
    kinds are ``kinds``), and the rows of other document kinds sharing the
    folder, which are carried over as they are: their files verified, their
    skipped and failed records kept. Corrupt rows and journal lines are
    skipped, with a warning each in ``notes``.
    """
    def mine(row: OutputRecord) -> bool:
        return row.document == name if row.document else row.kind in kinds

    rows = manifest_rows(out, notes)
    others = [r for r in rows if not r.path and r.document and not mine(r)]
    previous = verified_outputs(out, rows, notes)
    if os.path.lexists(out / JOURNAL) or os.path.lexists(out / MANIFEST_JSON):
        folded = BatchResult(outputs=sorted(previous.values(), key=lambda o: o.path or ""),
                             carried=others)
        write_manifest(out, folded)
        (out / JOURNAL).unlink(missing_ok=True)
    own = {p: r for p, r in previous.items() if mine(r)}
    carried = sorted((r for p, r in previous.items() if p not in own), key=lambda o: o.path or "")
    return own, carried + others
