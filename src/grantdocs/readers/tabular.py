"""Spreadsheet rows to records: what CSV and XLSX files share (one case per row, Norwegian headers).

The formats themselves are read in :mod:`~grantdocs.readers.csvfile` and
:mod:`~grantdocs.readers.xlsxfile`.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from pydantic import ValidationError

from grantdocs import messages as M
from grantdocs.errors import CoerceError, InputError, Issue, Location, error, warning
from grantdocs.limits import Limits, current_limits
from grantdocs.model import Case
from grantdocs.readers.coerce import COERCERS, cell_text
from grantdocs.readers.columns import BY_PATH
from grantdocs.readers.header import (
    Layout,
    analyse_header,
    check_needed,
    find_candidate,
    is_empty,
)
from grantdocs.readers.record import ReadRecord, validation_issues

Row = Sequence[object]
Rows = Generator[tuple[int, Row], None, None]



def _set(data: dict[str, Any], path: str, value: object) -> None:
    *parents, leaf = path.split(".")
    target = data
    for part in parents:
        target = target.setdefault(part, {})
    target[leaf] = value


def column_letter(number: int) -> str:
    """The spreadsheet letter of column ``number`` (1 is A), as openpyxl names it.

    openpyxl is imported only here, when a row has a problem to name by its letter: reading
    a CSV file needs nothing else of it (its import costs 0.1-0.2 CPU-s).
    """
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(number))


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
            name = headers.get(index, str(M.LETTER_COLUMN(letter=column_letter(index + 1))))
            issues.append(error(M.in_column(name, problem),
                                Location(layout.file, row_number, name)))
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
            letter = column_letter(index + 1)
            issues.append(warning(M.VALUE_WITHOUT_HEADER(letter=letter),
                                  Location(file, row_number, str(M.LETTER_COLUMN(letter=letter)))))

    data: dict[str, Any] = {"organisation": {}, "application": {}, "decision": {}}
    failed: set[str] = set()
    for path, value in values.items():
        header = layout.columns[path]
        try:
            result = COERCERS[BY_PATH[path].kind](value)
        except CoerceError as exc:
            unread = M.in_column(header, exc.text) if exc.text else f"{header}: {exc}"
            issues.append(error(unread, Location(file, row_number, header)))
            failed.add(path)
            continue
        if (problem := limits.list_problem(result)) is not None:
            issues.append(error(M.in_column(header, problem), Location(file, row_number, header)))
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


def find_header(file: str, rows: Iterable[tuple[int, Row]],
                 mapping: Mapping[str, str] | None) -> Layout:
    candidate = find_candidate(rows, mapping)
    if candidate is None:
        raise InputError(M.EMPTY_FILE(file=file))
    return analyse_header(file, candidate.row, candidate.cells, mapping=mapping)


def records(layout: Layout, rows: Rows) -> Iterator[ReadRecord]:
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
