"""Finding and reading the header row of a caseworker's sheet.

Exported lists often carry a title row or two above the headers ("Vedtak
tilskudd 2022", a date, a blank row), so the header row is searched for among
the first :data:`SEARCH_ROWS` non-empty rows: it is the row in which the most
cells are known headers (the earliest such row on a tie). Row numbers stay the
sheet's own, so messages point at the row the caseworker sees.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from grantdocs import messages as M
from grantdocs.catalog import Text
from grantdocs.errors import CoerceError, InputError, Issue, Location, warning
from grantdocs.readers.coerce import cell_text
from grantdocs.readers.columns import (
    BY_PATH,
    COLUMNS,
    REQUIRED,
    closest_header,
    column_for,
    path_for,
    suggest,
)

Row = Sequence[object]

SEARCH_ROWS = 10
"""How many non-empty rows at the top of a sheet may hold the header row."""

MIN_HEADERS = 3
"""Known headers a row needs to count as a sheet's header row when sheets are compared."""


@dataclass
class Layout:
    """What the header row says: which column holds which model path."""

    file: str
    header_row: int
    index: dict[str, int] = field(default_factory=dict)  # model path -> column index
    columns: dict[str, str] = field(default_factory=dict)  # model path -> header as written
    width: int = 0  # number of cells in the header row, up to the last header
    warnings: list[Issue] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # headers that name no column
    where: str | Text = ""  # the file (and sheet), for file-level errors
    absent: list[str] = field(default_factory=list)  # columns some decisions need, not there


@dataclass(frozen=True)
class Candidate:
    """The likeliest header row of one sheet: its number, cells and known headers."""

    row: int
    cells: Row
    known: int


def is_empty(row: Row) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row)


def header_text(cell: object) -> str | None:
    try:
        return cell_text(cell)
    except CoerceError:
        return str(cell)


def known_headers(cells: Row, mapping: Mapping[str, str] | None = None) -> int:
    """How many different columns a row's cells name."""
    paths = {path_for(text, mapping) for cell in cells if (text := header_text(cell)) is not None}
    paths.discard(None)
    return len(paths)


def find_candidate(rows: Iterable[tuple[int, Row]],
                   mapping: Mapping[str, str] | None = None) -> Candidate | None:
    """The row among the first non-empty ones that names the most columns; None if empty."""
    best: Candidate | None = None
    seen = 0
    for number, row in rows:
        if is_empty(row):
            continue
        known = known_headers(row, mapping)
        if best is None or known > best.known:
            best = Candidate(number, tuple(row), known)
        seen += 1
        if seen >= SEARCH_ROWS:
            break
    return best


def analyse_header(file: str, row_number: int, cells: Row, where: str | Text | None = None,
                   mapping: Mapping[str, str] | None = None) -> Layout:
    """Map the header row to model paths; raise InputError if required columns are missing.

    ``where`` names the file (and sheet) in file-level errors; it defaults to
    ``file``. ``mapping`` holds the caseworker's own headers (:func:`load_column_map`).
    A missing column is one error for the file, with the unknown header that looks
    most like it, never an error on every row.
    """
    where = where or file
    layout = Layout(file, row_number, where=where)
    for index, cell in enumerate(cells):
        header = header_text(cell)
        if header is None:
            continue
        layout.width = index + 1
        path = path_for(header, mapping)
        location = Location(file, row_number, header)
        if path is None:
            layout.unknown.append(header)
            close = suggest(header)
            unknown = (M.UNKNOWN_COLUMN(header=repr(header), close=repr(close)) if close
                       else M.UNKNOWN_COLUMN_NO_MATCH(header=repr(header)))
            layout.warnings.append(warning(unknown, location))
        elif path in layout.index:
            first = layout.columns[path]
            layout.warnings.append(warning(
                M.SAME_FIELD_TWICE(header=repr(header), first=repr(first), ours=column_for(path)),
                location))
        else:
            layout.index[path] = index
            layout.columns[path] = header
    missing = [path for path in REQUIRED if path not in layout.index]
    if missing and not layout.index:
        raise InputError(M.NO_HEADER_ROW(
            where=where, rows=SEARCH_ROWS, examples=", ".join(column_for(p) for p in REQUIRED)))
    if missing:
        names = M.joined([describe_column(path, layout.unknown) for path in missing])
        missing_columns = M.COLUMNS_MISSING if len(missing) > 1 else M.COLUMN_MISSING
        raise InputError(missing_columns(where=where, names=names, row=row_number))
    layout.absent = [c.path for c in COLUMNS if c.needed_for and c.path not in layout.index]
    return layout


def check_needed(layout: Layout, row_number: int, kind: object) -> None:
    """Raise InputError when a row's decision needs a column the sheet does not have.

    Without the column every such row would fail on its own, and the errors would
    point at the values (kr 0 granted ...) instead of the one missing column.
    """
    for path in layout.absent:
        column = BY_PATH[path]
        if kind in column.needed_for:
            raise InputError(M.COLUMN_NEEDED(
                where=layout.where, row=row_number, what=column.what,
                names=describe_column(path, layout.unknown), header_row=layout.header_row))


def describe_column(path: str, unknown: list[str]) -> M.Param:
    """A column for a "missing" message: its header, two others, and the likeliest
    unknown header of the sheet ("did you mean ...?")."""
    headers = BY_PATH[path].headers
    text: M.Param = repr(headers[0])
    if len(headers) > 1:
        text = M.OR_HEADERS(header=text, others=" / ".join(repr(h) for h in headers[1:3]))
    close = closest_header(path, unknown)
    if close is not None:
        text = M.DID_YOU_MEAN_COLUMN(column=text, close=repr(close))
    return text
