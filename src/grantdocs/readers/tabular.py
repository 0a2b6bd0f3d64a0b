"""Spreadsheets (CSV and XLSX) with one case per row and Norwegian headers."""

from __future__ import annotations

import codecs
import csv
import difflib
import re
import zipfile
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from pydantic import ValidationError

from grantdocs.errors import CoerceError, InputError, Issue, Location, error, warning
from grantdocs.model import Case
from grantdocs.readers.coerce import COERCERS, cell_text, raw_value
from grantdocs.readers.columns import BY_PATH, COLUMNS, REQUIRED, column_for, path_for
from grantdocs.readers.record import ReadRecord, validation_issues

Row = Sequence[object]
Rows = Generator[tuple[int, Row], None, None]

# Sheets a caseworker's workbook may name for the decisions; else the first visible sheet.
PREFERRED_SHEETS = ("vedtak", "vedtak og søknader")

_KNOWN_HEADERS = [h for c in COLUMNS for h in c.headers]


@dataclass
class Layout:
    """What the header row says: which column holds which model path."""

    file: str
    header_row: int
    index: dict[str, int] = field(default_factory=dict)  # model path -> column index
    columns: dict[str, str] = field(default_factory=dict)  # model path -> header as written
    width: int = 0  # number of cells in the header row, up to the last header
    warnings: list[Issue] = field(default_factory=list)


def _is_empty(row: Row) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row)


def _header_text(cell: object) -> str | None:
    try:
        return cell_text(cell)
    except CoerceError:
        return str(cell)


def analyse_header(file: str, row_number: int, cells: Row) -> Layout:
    """Map the header row to model paths; raise InputError if required columns are missing."""
    layout = Layout(file, row_number)
    unknown: list[str] = []
    for index, cell in enumerate(cells):
        header = _header_text(cell)
        if header is None:
            continue
        layout.width = index + 1
        path = path_for(header)
        location = Location(file, row_number, header)
        if path is None:
            unknown.append(header)
            close = difflib.get_close_matches(header, _KNOWN_HEADERS, n=1, cutoff=0.75)
            hint = f"did you mean {close[0]!r}?" if close else "rename it if it should be read"
            layout.warnings.append(warning(f"unknown column {header!r} is ignored", location, hint))
        elif path in layout.index:
            first = layout.columns[path]
            layout.warnings.append(
                warning(
                    f"column {header!r} holds the same field as column {first!r} "
                    f"({column_for(path)}); only {first!r} is read",
                    location,
                    "remove one of the two columns",
                )
            )
        else:
            layout.index[path] = index
            layout.columns[path] = header
    missing = [path for path in REQUIRED if path not in layout.index]
    if missing and not layout.index:
        raise InputError(
            f"{file}: row {row_number}, the first non-empty row, has none of the expected "
            f"headers (such as {', '.join(column_for(p) for p in REQUIRED)}); "
            "the first row must be the header row"
        )
    if missing:
        names = ", ".join(_describe_column(path) for path in missing)
        raise InputError(
            f"{file}: required column{'s' if len(missing) > 1 else ''} missing: {names}; "
            f"add {'them' if len(missing) > 1 else 'it'} to the header row (row {row_number})"
        )
    return layout


def _describe_column(path: str) -> str:
    headers = BY_PATH[path].headers
    text = repr(headers[0])
    if len(headers) > 1:
        text += f" (or {' / '.join(repr(h) for h in headers[1:])})"
    return text


def _set(data: dict[str, Any], path: str, value: object) -> None:
    *parents, leaf = path.split(".")
    target = data
    for part in parents:
        target = target.setdefault(part, {})
    target[leaf] = value


def build_record(layout: Layout, row_number: int, cells: Row, *, first: bool) -> ReadRecord:
    """Read, coerce and validate one data row."""
    file = layout.file
    issues: list[Issue] = list(layout.warnings) if first else []
    values = {
        path: cells[index] if index < len(cells) else None for path, index in layout.index.items()
    }
    raw = {path: raw_value(value) for path, value in values.items()}
    for index in range(layout.width, len(cells)):
        if not _is_empty([cells[index]]):
            letter = get_column_letter(index + 1)
            issues.append(
                warning(
                    f"column {letter} has a value but no header; the value is ignored",
                    Location(file, row_number, f"column {letter}"),
                    "give the column a header, or clear the cell",
                )
            )

    data: dict[str, Any] = {"organisation": {}, "application": {}, "decision": {}}
    failed: set[str] = set()
    for path, value in values.items():
        header = layout.columns[path]
        try:
            result = COERCERS[BY_PATH[path].kind](value)
        except CoerceError as exc:
            issues.append(error(f"{header}: {exc}", Location(file, row_number, header)))
            failed.add(path)
            continue
        if result is not None:
            _set(data, path, result)

    case: Case | None = None
    try:
        case = Case.model_validate(data)
    except ValidationError as exc:
        issues.extend(
            validation_issues(
                exc, file=file, row=row_number, columns=layout.columns, skip=frozenset(failed)
            )
        )
    if any(issue.is_error for issue in issues):
        case = None
    reference = raw.get("decision.case_number")
    if reference is not None:  # name the case in its own issues, as rules.check_case does
        issues = [
            replace(i, reference=str(reference)) if i.location.row == row_number else i
            for i in issues
        ]
    order = {header: layout.index[path] for path, header in layout.columns.items()}
    issues.sort(
        key=lambda i: (
            i.location.row != layout.header_row,
            order.get(i.location.field or "", len(cells)),
        )
    )
    return ReadRecord(
        location=Location(file, row_number),
        case=case,
        issues=tuple(issues),
        raw=raw,
        columns=dict(layout.columns),
    )


def _find_header(file: str, rows: Iterable[tuple[int, Row]]) -> Layout:
    for number, row in rows:
        if not _is_empty(row):
            return analyse_header(file, number, row)
    raise InputError(f"{file}: the file is empty; expected a header row and one row per case")


def _records(layout: Layout, rows: Rows) -> Iterator[ReadRecord]:
    first = True
    try:
        for number, row in rows:
            if number <= layout.header_row or _is_empty(row):
                continue
            yield build_record(layout, number, row, first=first)
            first = False
    finally:
        rows.close()  # close the file even when the caller stops early


# --- CSV ---------------------------------------------------------------------


@dataclass(frozen=True)
class _CsvFormat:
    delimiter: str
    skip_lines: int  # an Excel "sep=;" line before the header


def _check_utf8(path: Path, file: str) -> None:
    """Decode the whole file as a stream, so a bad byte fails before any record is read."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                line += chunk.count(b"\n", 0, max(exc.start, 0))
                raise InputError(
                    f"{file}: line {line} is not UTF-8 text; in Excel, save the sheet as "
                    "'CSV UTF-8 (kommadelt) (*.csv)'"
                ) from None
            line += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise InputError(f"{file}: the file ends in the middle of a UTF-8 character") from None


def _count_outside_quotes(line: str, char: str) -> int:
    return len(re.findall(re.escape(char), re.sub(r'"[^"]*"', "", line)))


def _sniff(path: Path, file: str) -> _CsvFormat:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        for line in stream:
            if not line.strip():
                continue
            if match := re.fullmatch(r"sep=(.)\r?\n?", line, re.IGNORECASE):
                return _CsvFormat(match[1], 1)
            counts = {d: _count_outside_quotes(line, d) for d in (";", ",", "\t")}
            best = max(counts, key=lambda d: counts[d])
            return _CsvFormat(best if counts[best] else ",", 0)
    raise InputError(f"{file}: the file is empty; expected a header row and one row per case")


def _csv_rows(path: Path, file: str, fmt: _CsvFormat) -> Rows:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        for _ in range(fmt.skip_lines):
            stream.readline()
        reader = csv.reader(stream, delimiter=fmt.delimiter)
        number = 0
        try:
            for number, row in enumerate(reader, start=1):
                yield number, row
        except csv.Error as exc:
            raise InputError(f"{file}: row {number + 1} cannot be read as CSV: {exc}") from None


def read_csv(path: Path, file: str) -> Iterator[ReadRecord]:
    """Check the file and its header now; read the rows lazily."""
    _check_utf8(path, file)
    fmt = _sniff(path, file)
    rows = _csv_rows(path, file, fmt)
    try:
        layout = _find_header(file, rows)
    finally:
        rows.close()
    return _records(layout, _csv_rows(path, file, fmt))


# --- XLSX --------------------------------------------------------------------

_XLSX_ERRORS = (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError)


def _open_workbook(path: Path, file: str) -> Any:
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except _XLSX_ERRORS as exc:
        raise InputError(f"{file}: cannot be opened as an Excel workbook (.xlsx): {exc}") from None


def _pick_sheet(workbook: Any, file: str) -> str:
    """A sheet named "Vedtak" (or "Vedtak og søknader") if visible, else the first visible."""
    visible = [str(ws.title) for ws in workbook.worksheets if ws.sheet_state == "visible"]
    if not visible:
        raise InputError(f"{file}: the workbook has no visible worksheet")
    for preferred in PREFERRED_SHEETS:
        for name in visible:
            if name.strip().casefold() == preferred:
                return name
    return visible[0]


def _sheet_rows(workbook: Any, sheet: str, file: str) -> Rows:
    worksheet = workbook[sheet]
    worksheet.reset_dimensions()  # the stored dimensions may be wrong; read every cell
    cells = worksheet.iter_rows(values_only=True)
    number = 0
    try:
        for number, row in enumerate(cells, start=1):
            yield number, row
    except _XLSX_ERRORS as exc:
        raise InputError(
            f"{file}: sheet {sheet!r}, row {number + 1} cannot be read: {exc}"
        ) from None
    finally:
        cells.close()


def _xlsx_rows(path: Path, file: str, sheet: str) -> Rows:
    workbook = _open_workbook(path, file)
    try:
        yield from _sheet_rows(workbook, sheet, file)
    finally:
        workbook.close()


def read_xlsx(path: Path, file: str) -> Iterator[ReadRecord]:
    """Check the workbook and its header now; read the rows lazily."""
    workbook = _open_workbook(path, file)
    try:
        sheet = _pick_sheet(workbook, file)
        rows = _sheet_rows(workbook, sheet, file)
        try:
            layout = _find_header(file, rows)
        finally:
            rows.close()
    finally:
        workbook.close()
    return _records(layout, _xlsx_rows(path, file, sheet))
