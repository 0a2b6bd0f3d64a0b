"""A returned workbook's sheets as grids of values, read within limits.

The bytes are vetted first (:func:`grantdocs.readers.zipguard.vetted_zip`), then openpyxl
reads them in read-only mode, streaming each sheet once: only the first
``max_return_rows`` rows and the columns the reader needs, so a far-away cell at row
1,048,576 costs nothing, and a sheet the reader does not need is never parsed. Every text
is checked against ``max_return_cell_chars``. Any parser error (damaged XML, an entity,
bad values) becomes one :class:`~grantdocs.errors.AccountsError`: "not a readable XLSX
workbook", never a traceback.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from grantdocs import messages_files as F
from grantdocs.errors import AccountsError
from grantdocs.limits import Limits, current_limits, env_var
from grantdocs.readers.zipguard import read_regular_file, vetted_zip


@dataclass(frozen=True)
class Grid:
    """The values of one sheet's first rows (1-based like the sheet)."""

    title: str
    rows: tuple[tuple[Any, ...], ...]

    @property
    def max_row(self) -> int:
        return len(self.rows)

    def value(self, row: int, column: int) -> Any:
        if 1 <= row <= len(self.rows):
            values = self.rows[row - 1]
            return values[column - 1] if 1 <= column <= len(values) else None
        return None

    def ref(self, row: int, column: int) -> str:
        return f"{self.title}!{get_column_letter(column)}{row}"


def _unreadable(exc: BaseException) -> AccountsError:
    why = " ".join(str(exc).split())[:300]
    return AccountsError(F.RETURN_UNREADABLE(kind=type(exc).__name__, reason=why))


def source_bytes(source: Path | str | bytes, limits: Limits) -> bytes:
    """The workbook's bytes: a regular file within the size limit (#18), or bytes given."""
    return source if isinstance(source, bytes) else read_regular_file(source, limits)


class ReturnBook:
    """An opened returned workbook: its sheet names and, on demand, a sheet's grid."""

    def __init__(self, source: Path | str | bytes, limits: Limits | None = None, *,
                 cached: bool = True) -> None:
        self.limits = limits or current_limits()
        self.data = source_bytes(source, self.limits)
        vetted = vetted_zip(self.data, self.limits)
        try:
            self._wb = load_workbook(io.BytesIO(vetted), read_only=True)
            self._cached = (load_workbook(io.BytesIO(vetted), read_only=True, data_only=True)
                            if cached else None)
            self.sheetnames: list[str] = list(self._wb.sheetnames)
        except Exception as exc:  # damaged XML, refused entities, missing parts
            raise _unreadable(exc) from None

    def _grid(self, wb: Any, name: str, columns: int) -> Grid:
        limits = self.limits
        try:
            rows = tuple(wb[name].iter_rows(min_row=1, max_row=limits.max_return_rows,
                                            max_col=columns, values_only=True))
        except Exception as exc:
            raise _unreadable(exc) from None
        grid = Grid(name, rows)
        for number, values in enumerate(rows, start=1):
            for column, value in enumerate(values, start=1):
                if isinstance(value, str) and len(value) > limits.max_return_cell_chars:
                    raise AccountsError(F.RETURN_CELL_TOO_LONG(
                        cell=grid.ref(number, column), count=f"{len(value):,}",
                        limit=f"{limits.max_return_cell_chars:,}",
                        variable=env_var("max_return_cell_chars")))
        return grid

    def grid(self, name: str, columns: int) -> Grid:
        return self._grid(self._wb, name, columns)

    def cached_grid(self, name: str, columns: int) -> Grid | None:
        """The values last saved for formula cells (None when not opened for them)."""
        if self._cached is None or name not in self.sheetnames:
            return None
        return self._grid(self._cached, name, columns)

    def close(self) -> None:
        for wb in (self._wb, self._cached):
            if wb is not None:
                wb.close()
