"""What the engine passes around: jobs, what a worker sends back, and the document kind.

A :class:`DocumentKind` tells the engine what a record becomes; the engine
knows no kind itself (the kinds live in :mod:`grantdocs.products` and import
this module, never the other way round).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from grantdocs.batch.manifest import OutputRecord
from grantdocs.errors import Location

if TYPE_CHECKING:
    from grantdocs.batch.digest import Settings
    from grantdocs.batch.manifest import BatchResult
    from grantdocs.model import Case


@dataclass(frozen=True, slots=True)
class Job:
    """One record to render: the validated case, where it came from, and its file stem."""

    case_json: str
    reference: str
    location: Location
    stem: str
    input_hash: str
    organisation: str = ""
    extra: str = ""  # kind-specific inputs, as JSON (a checklist's returned workbook)


@dataclass(frozen=True, slots=True)
class OutputFile:
    """One file a job produced: its name in the output folder and what it is."""

    name: str
    kind: str
    format: str
    data: bytes
    pages: int | None = None


@dataclass(frozen=True, slots=True)
class Rendered:
    """Everything a worker sends back for one job."""

    reference: str
    language: str
    files: tuple[OutputFile, ...]


class DocumentKind(Protocol):
    """What the engine needs to know about a document kind (letters, report templates ...).

    Instances are sent to worker processes, so they must pickle.
    """

    @property
    def name(self) -> str:
        """The ``document`` column of its manifest rows: letters, report-templates, ..."""

    @property
    def label(self) -> str:
        """Shown on the progress bar."""

    @property
    def formats(self) -> tuple[str, ...]: ...

    @property
    def kinds(self) -> frozenset[str]:
        """The manifest ``kind`` values it writes (other rows in a shared folder are kept)."""

    @property
    def templates(self) -> tuple[str, ...]:
        """Globs in the templates folders that decide its bytes (for incremental runs)."""

    @property
    def preload(self) -> tuple[str, ...]:
        """Modules a worker imports before its first job."""

    def check_formats(self, formats: Sequence[str]) -> tuple[str, ...]: ...

    def skip_reason(self, case: Case) -> str | None:
        """Why ``case`` gets no document of this kind, or None when it gets one."""

    def names(self, job: Job, fmts: Sequence[str]) -> list[str]:
        """The files ``job`` writes, in the order :meth:`render` returns them."""

    def plan(self, inputs: Sequence[Path | str], settings: Settings,
             result: BatchResult) -> Iterator[Job]:
        """One job per record to render; failed and skipped records go into ``result``."""

    def start(self, settings: Settings, fmts: Sequence[str]) -> Any:
        """What a worker builds once and reuses for every job."""

    def render(self, state: Any, job: Job, fmts: Sequence[str]) -> Rendered: ...


def failed_row(reference: str | None, where: Location, message: str) -> OutputRecord:
    """The manifest row of a record that produced nothing."""
    return OutputRecord(reference, None, None, None, None, None, None, None, "failed",
                        error=message, file=where.file, row=where.row, field=where.field)


class StemCounter:
    """Unique file stems: a second record with the same stem gets "-2", and so on.

    Every stem handed out is remembered, so a record whose own stem happens to
    be "X-2" never collides with the second "X".
    """

    def __init__(self) -> None:
        self._used: set[str] = set()
        self._next: dict[str, int] = {}

    def unique(self, stem: str) -> str:
        candidate, n = stem, self._next.get(stem, 1)
        while candidate in self._used:
            n += 1
            candidate = f"{stem}-{n}"
        self._next[stem] = n
        self._used.add(candidate)
        return candidate


_SAFE = re.compile(r"[^A-Za-z0-9]+")
_TRANSLIT = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "å": "aa", "Å": "Aa",
                           "đ": "d", "Đ": "D", "ŋ": "n", "Ŋ": "N", "ŧ": "t", "Ŧ": "T", "ß": "ss"})


_EMPTY_PART = "dokument"  # a part that sanitises to nothing
_MIN_PART = 16  # characters kept for each later part when an early one is long
#: Names Windows reserves whatever the extension (compared without case).
WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"{dev}{n}" for dev in ("COM", "LPT") for n in range(10)})


def safe_stem(*parts: str, max_length: int = 80) -> str:
    """A readable, portable file name stem: ASCII letters, digits and hyphens only.

    No path separators, dots or control characters survive, so the name cannot
    leave the output folder whatever the input says. Every part keeps its place
    (one that sanitises to nothing becomes ``dokument``, and a long part leaves
    room for the later ones), joined by ``_``, which no part contains: a stem of
    (reference, organisation) always has exactly one ``_``, so a document kind's
    ``_suffix`` can never make another kind's name (a letter for an organisation
    called "arsrapport" is not a report template), and a stem is never a name
    Windows reserves (``CON``, ``NUL``, ``COM1`` ...).
    """
    cleaned = []
    for part in parts or ("",):
        ascii_text = unicodedata.normalize("NFKD", part.translate(_TRANSLIT))
        ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii")
        cleaned.append(_SAFE.sub("-", ascii_text).strip("-") or _EMPTY_PART)
    room = max_length - (len(cleaned) - 1)
    out: list[str] = []
    for i, part in enumerate(cleaned):
        later = sum(min(len(p), _MIN_PART) for p in cleaned[i + 1:])
        out.append(part[:max(1, room - later)].strip("-") or _EMPTY_PART)
        room -= len(out[-1])
    stem = "_".join(out)
    return f"{stem}_{_EMPTY_PART}" if stem.upper() in WINDOWS_RESERVED else stem
