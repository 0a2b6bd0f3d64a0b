"""XLSX input: the sheet that holds the decisions, then its rows.

The file is read once, within ``max_file_mb``, and its zip container is checked like a
returned workbook's (:func:`grantdocs.readers.zipguard.vet_sheet_zip`: parts, inflated
size and ratio, counted while inflating) before openpyxl parses those same bytes.
"""

from __future__ import annotations

import difflib
import io
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from contextlib import closing
from pathlib import Path
from typing import Any

from grantdocs import messages_files as F
from grantdocs import messages_readers as R
from grantdocs.catalog import Text
from grantdocs.errors import AccountsError, InputError
from grantdocs.limits import MB, current_limits, env_var
from grantdocs.readers.header import (
    MIN_HEADERS,
    SEARCH_ROWS,
    Candidate,
    analyse_header,
    find_candidate,
)
from grantdocs.readers.record import ReadRecord
from grantdocs.readers.tabular import Rows, records
from grantdocs.readers.zipguard import vet_sheet_zip

# Sheets a caseworker's workbook may name for the decisions; they are tried first.
PREFERRED_SHEETS = ("vedtak", "vedtak og søknader")


def _xlsx_errors() -> tuple[type[Exception], ...]:
    """What a damaged or hostile workbook raises from inside openpyxl: malformed or expanding
    XML (ElementTree's ParseError and lxml's XMLSyntaxError are SyntaxErrors), corrupt
    deflate data (zlib.error, EOFError), and the zip and openpyxl errors (#7).

    openpyxl is imported when a workbook is read, not with the readers: a CSV or JSON
    input (``grantdocs validate``, a job worker's batch) never needs it (0.1-0.2 CPU-s).
    """
    from openpyxl.utils.exceptions import InvalidFileException

    return (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError,
            SyntaxError, zlib.error, EOFError)


def _vetted_bytes(path: Path, file: str) -> bytes:
    """The file's bytes, once its size and its zip container passed the limits (#2)."""
    limits = current_limits()
    with path.open("rb") as fh:
        data = fh.read(int(limits.max_file_mb * MB) + 1)
    if len(data) > limits.max_file_mb * MB:
        raise InputError(F.SHEET_FILE_TOO_LARGE(file=file, limit=f"{limits.max_file_mb:g}",
                                                variable=env_var("max_file_mb")))
    try:
        vet_sheet_zip(data, limits)
    except AccountsError as exc:
        raise InputError(_refused(exc, file)) from None
    return data


def _refused(exc: AccountsError, file: str) -> Text:
    """The zip guard's refusal of a caseworker's sheet, its reason kept with its code."""
    params = dict(exc.text.params) if exc.text is not None else {}
    why = params.get("why")
    if isinstance(why, Text):
        return F.SHEET_REFUSED(file=file, why=why)
    return F.SHEET_CANNOT_OPEN(file=file, reason=str(params.get("reason", exc)))


def _open_workbook(data: bytes, file: str) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _xlsx_errors() as exc:
        why = " ".join(str(exc).split())  # openpyxl's messages run over several lines
        raise InputError(F.SHEET_CANNOT_OPEN(file=file, reason=why)) from None


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
    listed = ", ".join(map(repr, names))
    if close:
        raise InputError(R.NO_SUCH_SHEET(file=file, sheet=repr(sheet), close=repr(close[0]),
                                         names=listed))
    raise InputError(R.NO_SUCH_SHEET_NO_MATCH(file=file, sheet=repr(sheet), names=listed))


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
            raise InputError(R.SHEET_EMPTY(where=_where(file, name)))
        return name, candidate
    order = _sheet_order(workbook)
    if not order:
        raise InputError(R.NO_VISIBLE_SHEET(file=file))
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
        raise InputError(R.WORKBOOK_EMPTY(file=file))
    if best[1].known == 0:
        sheets = ", ".join(map(repr, order))
        raise InputError(R.NO_SHEET_HAS_HEADER(file=file, rows=SEARCH_ROWS, sheets=sheets))
    return best


def _candidate(workbook: Any, sheet: str, file: str,
               mapping: Mapping[str, str] | None) -> Candidate | None:
    with closing(_sheet_rows(workbook, sheet, file)) as rows:
        return find_candidate(rows, mapping)


def _where(file: str, sheet: str) -> Text:
    return R.IN_SHEET(file=file, sheet=repr(sheet))


def _sheet_rows(workbook: Any, sheet: str, file: str) -> Rows:
    worksheet = workbook[sheet]
    worksheet.reset_dimensions()  # the stored dimensions may be wrong; read every cell
    cells = worksheet.iter_rows(values_only=True)
    number = 0
    try:
        for number, row in enumerate(cells, start=1):
            yield number, row
    except _xlsx_errors() as exc:
        raise InputError(R.SHEET_ROW_UNREADABLE(file=file, sheet=repr(sheet), row=number + 1,
                                                reason=str(exc))) from None
    finally:
        cells.close()


def _xlsx_rows(data: bytes, file: str, sheet: str) -> Rows:
    workbook = _open_workbook(data, file)
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
    data = _vetted_bytes(path, file)
    workbook = _open_workbook(data, file)
    try:
        name, candidate = _pick_sheet(workbook, file, sheet, mapping)
    finally:
        workbook.close()
    layout = analyse_header(file, candidate.row, candidate.cells, _where(file, name), mapping)
    return records(layout, _xlsx_rows(data, file, name))
