"""Spreadsheets (CSV and XLSX) with one case per row and Norwegian headers."""

from __future__ import annotations

import codecs
import csv
import difflib
import re
import zipfile
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from pydantic import ValidationError

from grantdocs.errors import CoerceError, InputError, Issue, Location, error, warning
from grantdocs.limits import MB, Limits, current_limits
from grantdocs.model import Case
from grantdocs.readers.coerce import COERCERS, cell_text
from grantdocs.readers.columns import BY_PATH
from grantdocs.readers.header import (
    MIN_HEADERS,
    SEARCH_ROWS,
    Candidate,
    Layout,
    analyse_header,
    check_needed,
    find_candidate,
    is_empty,
)
from grantdocs.readers.record import ReadRecord, validation_issues

Row = Sequence[object]
Rows = Generator[tuple[int, Row], None, None]

# Sheets a caseworker's workbook may name for the decisions; they are tried first.
PREFERRED_SHEETS = ("vedtak", "vedtak og søknader")


def _set(data: dict[str, Any], path: str, value: object) -> None:
    *parents, leaf = path.split(".")
    target = data
    for part in parents:
        target = target.setdefault(part, {})
    target[leaf] = value


def _as_written(value: object) -> str | None:
    """A cell as text, even an Excel error value (to name the case in its own issues)."""
    try:
        return cell_text(value)
    except CoerceError:
        return str(value)


def _within_limits(layout: Layout, row_number: int, cells: Row, limits: Limits,
                   issues: list[Issue]) -> Row:
    """The row with every cell over the length limit blanked, and an error for each.

    A row with values in more columns than the limit refuses the file (InputError).
    """
    limits.check_columns(layout.where or layout.file, row_number, cells)
    headers = {index: layout.columns[path] for path, index in layout.index.items()}
    kept = list(cells)
    for index, cell in enumerate(cells):
        problem = limits.cell_problem(cell)
        if problem is not None:
            name = headers.get(index, f"column {get_column_letter(index + 1)}")
            issues.append(error(f"{name}: {problem}", Location(layout.file, row_number, name)))
            kept[index] = None
    return kept


def build_record(layout: Layout, row_number: int, cells: Row, *, first: bool,
                 limits: Limits | None = None) -> ReadRecord:
    """Read, coerce and validate one data row.

    A cell over :attr:`Limits.max_cell_chars` or a list over
    :attr:`Limits.max_list_items` is an error of this record only.
    """
    file = layout.file
    limits = limits or current_limits()
    issues: list[Issue] = list(layout.warnings) if first else []
    cells = _within_limits(layout, row_number, cells, limits, issues)
    values = {
        path: cells[index] if index < len(cells) else None for path, index in layout.index.items()
    }
    for index in range(layout.width, len(cells)):
        if not is_empty([cells[index]]):
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
        if (problem := limits.list_problem(result)) is not None:
            issues.append(error(f"{header}: {problem}", Location(file, row_number, header)))
            failed.add(path)
            continue
        if result is not None:
            _set(data, path, result)

    if layout.absent:
        check_needed(layout, row_number, data["decision"].get("kind"))
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
    reference = _as_written(values.get("decision.case_number"))
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
        columns=dict(layout.columns),
    )


def _find_header(file: str, rows: Iterable[tuple[int, Row]],
                 mapping: Mapping[str, str] | None) -> Layout:
    candidate = find_candidate(rows, mapping)
    if candidate is None:
        raise InputError(
            f"{file}: the file is empty; expected a header row and one row per case"
        )
    return analyse_header(file, candidate.row, candidate.cells, mapping=mapping)


def _records(layout: Layout, rows: Rows) -> Iterator[ReadRecord]:
    limits = current_limits()
    first = True
    count = 0
    try:
        for number, row in rows:
            if number == layout.header_row:
                limits.check_columns(layout.where or layout.file, number, row)
            if number <= layout.header_row or is_empty(row):
                continue
            count += 1
            limits.check_rows(layout.where or layout.file, count)
            yield build_record(layout, number, row, first=first, limits=limits)
            first = False
    finally:
        rows.close()  # close the file even when the caller stops early


# --- CSV ---------------------------------------------------------------------


@dataclass(frozen=True)
class _CsvFormat:
    encoding: str
    delimiter: str
    skip_lines: int  # an Excel "sep=;" line before the header


def _decodes(path: Path, encoding: str) -> tuple[bool, int]:
    """Whether the whole file decodes, streamed; else the line of the first bad byte."""
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 1
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return False, line + chunk.count(b"\n", 0, max(exc.start, 0))
            line += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False, line
    return True, line


def _encoding(path: Path, file: str) -> str:
    """UTF-8 (with or without a BOM), else Windows-1252, which Norwegian Excel writes
    for "CSV (semikolondelt)".

    Trying UTF-8 first is safe for Norwegian text. In UTF-8 every byte from 0x80 up
    belongs to a sequence: a lead byte 0xC2-0xF4 followed by one to three bytes
    0x80-0xBF. In Windows-1252 the letters æ ø å Æ Ø Å é ü ... are single bytes
    0xC0-0xFF, and the bytes 0x80-0xBF are punctuation and symbols (€ „ – — ’ « »
    NBSP ° ½ ...), so Windows-1252 text is only valid UTF-8 if every such letter is
    followed by one to three of those symbols, which real names and addresses never
    are. A file that is valid UTF-8 is read as UTF-8; one that is not is read as
    Windows-1252, which then must decode too (it leaves five bytes undefined).
    ASCII text is the same in both.
    """
    utf8, _ = _decodes(path, "utf-8")
    if utf8:
        return "utf-8-sig"
    cp1252, line = _decodes(path, "cp1252")
    if cp1252:
        return "cp1252"
    raise InputError(
        f"{file}: line {line} is neither UTF-8 nor Windows-1252 text; in Excel, save the "
        "sheet as 'CSV UTF-8 (kommadelt) (*.csv)'"
    )


def _count_outside_quotes(line: str, char: str) -> int:
    return len(re.findall(re.escape(char), re.sub(r'"[^"]*"', "", line)))


def _sniff(path: Path, file: str, encoding: str) -> _CsvFormat:
    """The delimiter: the one of ; , and tab that splits the first lines the most.

    The first lines may be title rows with no delimiter at all, so the lines
    where the header row may be are all looked at, not only the first.
    """
    counts = dict.fromkeys((";", ",", "\t"), 0)
    seen = 0
    with path.open(encoding=encoding, newline="") as stream:
        for line in stream:
            if not line.strip():
                continue
            if seen == 0 and (match := re.fullmatch(r"sep=(.)\r?\n?", line, re.IGNORECASE)):
                return _CsvFormat(encoding, match[1], 1)
            for delimiter in counts:
                counts[delimiter] = max(counts[delimiter], _count_outside_quotes(line, delimiter))
            seen += 1
            if seen >= SEARCH_ROWS:
                break
    if not seen:
        raise InputError(f"{file}: the file is empty; expected a header row and one row per case")
    best = max(counts, key=lambda d: counts[d])
    return _CsvFormat(encoding, best if counts[best] else ",", 0)


def _csv_rows(path: Path, file: str, fmt: _CsvFormat) -> Rows:
    # No field can be longer than the file, and the file is within its size limit, so
    # a long field is read whole and refused as one record's error (Limits.max_cell_chars)
    # instead of stopping the file at csv's own 128 KiB limit.
    csv.field_size_limit(max(csv.field_size_limit(), int(current_limits().max_file_mb * MB) + 1))
    with path.open(encoding=fmt.encoding, newline="") as stream:
        for _ in range(fmt.skip_lines):
            stream.readline()
        reader = csv.reader(stream, delimiter=fmt.delimiter)
        number = 0
        try:
            for number, row in enumerate(reader, start=1):
                yield number, row
        except csv.Error as exc:
            raise InputError(f"{file}: row {number + 1} cannot be read as CSV: {exc}") from None


def read_csv(path: Path, file: str, sheet: str | None = None,
             mapping: Mapping[str, str] | None = None) -> Iterator[ReadRecord]:
    """Check the file and find its header row now; read the rows lazily.

    A CSV file has one sheet, so ``sheet`` is not used; ``mapping`` holds the
    caseworker's own headers (:func:`~grantdocs.readers.columns.load_column_map`).
    """
    fmt = _sniff(path, file, _encoding(path, file))
    rows = _csv_rows(path, file, fmt)
    try:
        layout = _find_header(file, rows, mapping)
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


def _sheet_order(workbook: Any) -> list[str]:
    """The visible sheets, those named "Vedtak" (or "Vedtak og søknader") first."""
    visible = [str(ws.title) for ws in workbook.worksheets if ws.sheet_state == "visible"]
    preferred = [n for p in PREFERRED_SHEETS for n in visible if n.strip().casefold() == p]
    return preferred + [n for n in visible if n not in preferred]


def _named_sheet(workbook: Any, file: str, sheet: str) -> str:
    names = [str(ws.title) for ws in workbook.worksheets]
    if sheet in names:
        return sheet
    folded = {n.strip().casefold(): n for n in names}
    if sheet.strip().casefold() in folded:
        return folded[sheet.strip().casefold()]
    close = difflib.get_close_matches(sheet, names, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise InputError(
        f"{file}: the workbook has no sheet {sheet!r}; {hint}"
        f"its sheets are {', '.join(map(repr, names))}"
    )


def _pick_sheet(workbook: Any, file: str, sheet: str | None,
                mapping: Mapping[str, str] | None) -> tuple[str, Candidate]:
    """The named sheet, else the first visible sheet with a header row, and that row.

    A sheet has a header row when one of its first rows names at least
    :data:`MIN_HEADERS` columns; when no sheet has one, the sheet whose rows
    come closest is used, so the error names what is missing there.
    """
    if sheet is not None:
        name = _named_sheet(workbook, file, sheet)
        candidate = _candidate(workbook, name, file, mapping)
        if candidate is None:
            raise InputError(f"{_where(file, name)}: the sheet is empty; expected a header row "
                             "and one row per case")
        return name, candidate
    order = _sheet_order(workbook)
    if not order:
        raise InputError(f"{file}: the workbook has no visible worksheet")
    best: tuple[str, Candidate] | None = None
    for name in order:
        candidate = _candidate(workbook, name, file, mapping)
        if candidate is None:
            continue
        if candidate.known >= MIN_HEADERS:
            return name, candidate
        if best is None or candidate.known > best[1].known:
            best = (name, candidate)
    if best is None:
        raise InputError(f"{file}: the workbook is empty; expected a header row and one row "
                         "per case")
    if best[1].known == 0:
        sheets = ", ".join(map(repr, order))
        raise InputError(
            f"{file}: no sheet has a header row in its first {SEARCH_ROWS} rows (sheets "
            f"{sheets}); name the columns as Saksnummer, Vedtak, ... or pick the sheet "
            "with --sheet NAME"
        )
    return best


def _candidate(workbook: Any, sheet: str, file: str,
               mapping: Mapping[str, str] | None) -> Candidate | None:
    with closing(_sheet_rows(workbook, sheet, file)) as rows:
        return find_candidate(rows, mapping)


def _where(file: str, sheet: str) -> str:
    return f"{file}, sheet {sheet!r}"


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


def read_xlsx(path: Path, file: str, sheet: str | None = None,
              mapping: Mapping[str, str] | None = None) -> Iterator[ReadRecord]:
    """Check the workbook, pick the sheet and find its header row now; read the rows lazily.

    ``sheet`` names the sheet to read; by default the first visible sheet with a
    header row is read (a sheet named "Vedtak" first).
    """
    workbook = _open_workbook(path, file)
    try:
        name, candidate = _pick_sheet(workbook, file, sheet, mapping)
    finally:
        workbook.close()
    layout = analyse_header(file, candidate.row, candidate.cells, _where(file, name), mapping)
    return _records(layout, _xlsx_rows(path, file, name))
