"""Input readers: JSON, CSV and XLSX files of cases, one record per case.

>>> for record in read_cases("vedtak.xlsx"):  # doctest: +SKIP
...     if record.case is None:
...         print(*record.issues, sep="\\n")

:func:`read_cases` raises :class:`grantdocs.errors.InputError` when the file as a
whole cannot be read (missing, unknown type, corrupt, required column absent);
problems with single records are :class:`~grantdocs.errors.Issue` objects on
the :class:`ReadRecord`, so one bad row does not stop the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from grantdocs import messages as M
from grantdocs.errors import InputError
from grantdocs.limits import current_limits
from grantdocs.readers.coerce import parse_date
from grantdocs.readers.columns import (
    COLUMNS,
    REQUIRED,
    Column,
    column_for,
    column_map,
    load_column_map,
    path_for,
)
from grantdocs.readers.csvfile import read_csv
from grantdocs.readers.jsonfile import read_json
from grantdocs.readers.record import ReadRecord
from grantdocs.readers.xlsxfile import read_xlsx

__all__ = [
    "COLUMNS",
    "REQUIRED",
    "SUFFIXES",
    "Column",
    "ReadRecord",
    "column_for",
    "load_column_map",
    "parse_date",
    "path_for",
    "read_cases",
]

Reader = Callable[[Path, str, str | None, Mapping[str, str] | None], Iterator[ReadRecord]]
_READERS: dict[str, Reader] = {
    ".json": lambda path, file, sheet, mapping: read_json(path, file),
    ".csv": read_csv,
    ".xlsx": read_xlsx,
    ".xlsm": read_xlsx,
}
SUFFIXES: tuple[str, ...] = (".json", ".csv", ".xlsx")


def read_cases(path: str | Path, *, sheet: str | None = None,
               columns: Path | Mapping[str, str] | None = None) -> Iterator[ReadRecord]:
    """The cases of a .json, .csv or .xlsx file, one :class:`ReadRecord` each, streamed.

    The file, its shape and (for spreadsheets) its header row are checked before
    this returns; InputError names the file and says what is wrong. The header
    row is found among the first rows of the sheet (title rows above it are
    skipped); ``sheet`` names the workbook's sheet to read, else the first
    visible sheet with a header row is read. ``columns`` maps the caseworker's own
    headers to ours: a TOML file of ``"Beløp vi ga" = "Innvilget beløp"`` (see
    :func:`~grantdocs.readers.columns.load_column_map`), or such pairs as a mapping.

    A sheet without a column that some of its decisions need (grants without
    "Innvilget beløp") raises InputError at the first such row: one error for
    the column, not one per row.
    """
    file = str(path)
    source = Path(path)
    suffix = source.suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        unknown = (M.SPREADSHEET_FILE_TYPE if suffix in (".xls", ".ods", ".numbers")
                   else M.UNKNOWN_FILE_TYPE)
        raise InputError(unknown(file=file, suffix=repr(suffix or "(no suffix)"),
                                 known=", ".join(SUFFIXES)))
    if not source.exists():
        raise InputError(M.NO_SUCH_FILE(file=file))
    if not source.is_file():
        raise InputError(M.NOT_A_FILE(file=file))
    try:
        current_limits().check_file(source, file, json=suffix == ".json")
    except OSError as exc:
        raise InputError(M.CANNOT_READ(file=file, reason=str(exc.strerror or exc))) from None
    if isinstance(columns, Path):
        mapping: Mapping[str, str] | None = load_column_map(columns)
    else:
        mapping = column_map(columns, M.COLUMN_MAPPING()) if columns else None
    try:
        return reader(source, file, sheet, mapping)
    except OSError as exc:
        raise InputError(M.CANNOT_READ(file=file, reason=str(exc.strerror or exc))) from None
