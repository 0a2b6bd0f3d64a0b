"""How much of any input grantdocs reads: one settings object, safe defaults, env vars.

Every reader checks its input against :func:`current_limits` before it holds the
input in memory, so a file made to exhaust memory or time is refused with one
clear message instead: the message names the limit, its value and how to raise
it. Each limit is an environment variable (``GRANTDOCS_MAX_FILE_MB=200``); the
README's "Limits" section lists them. A limit applies to one value: a file, a
row, a cell, a list.

>>> Limits.from_env({"GRANTDOCS_MAX_ROWS": "500"}).max_rows
500
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path

from grantdocs import messages as M
from grantdocs.catalog import Text
from grantdocs.errors import ConfigError, InputError

ENV_PREFIX = "GRANTDOCS_"
MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The limits on inputs. Each field is also the environment variable
    ``GRANTDOCS_<FIELD>`` (upper case), e.g. ``GRANTDOCS_MAX_CELL_CHARS``."""

    max_file_mb: float = 100.0
    """Size of a caseworker's CSV or XLSX file, in MB (MiB): 100 MB is about 150,000 rows."""
    max_json_mb: float = 50.0
    """Size of a JSON input, in MB. JSON is parsed whole (about 5 MB of memory per MB)."""
    max_rows: int = 200_000
    """Rows of one sheet or cases of one JSON file."""
    max_columns: int = 1_000
    """Columns of one row, up to its last cell with a value."""
    max_cell_chars: int = 32_767
    """Characters in one cell or JSON string: Excel's own limit."""
    max_list_items: int = 200
    """Items of one list: conditions, target groups, result goals, budget lines, reasons."""
    max_return_mb: float = 5.0
    """Size of a returned accounts workbook (XLSX), in MB: a real one is about 20 KB."""
    max_zip_members: int = 100
    """Parts (zip members) of a returned workbook: grantdocs writes about 10."""
    max_inflated_mb: float = 50.0
    """Size of all the parts of a returned workbook once inflated, counted while inflating."""
    max_zip_ratio: int = 100
    """How many times one part of an XLSX file (a return or a caseworker's sheet) may
    inflate (parts over 1 MB): a real sheet inflates 5 to 25 times."""
    max_return_rows: int = 2_000
    """Rows read of a returned workbook's sheets: rows past it are never read."""
    max_return_cell_chars: int = 2_000
    """Characters in one cell of a returned workbook (a cost line's name or comment)."""
    max_xlsx_members: int = 1_000
    """Parts (zip members) of a caseworker's XLSX file: a few per sheet."""
    max_xlsx_inflated_mb: float = 1_000.0
    """A caseworker's XLSX file's parts once inflated, counted while inflating (100 MB of
    XLSX is about 600 MB of XML)."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """The defaults, with each ``GRANTDOCS_MAX_...`` variable that is set replacing one.

        A value that is not a positive number is a :class:`ConfigError` (exit 2).
        """
        env = os.environ if environ is None else environ
        values: dict[str, float | int] = {}
        for item in fields(cls):
            name = env_var(item.name)
            text = env.get(name, "").strip()
            if not text:
                continue
            kind = float if item.type == "float" else int
            try:
                value = kind(text.replace("_", ""))
            except ValueError:
                value = 0
            if not value > 0 or value != value:  # also refuses nan
                positive = M.LIMIT_NOT_POSITIVE if kind is float else M.LIMIT_NOT_WHOLE
                raise ConfigError(positive(variable=name, value=repr(text)))
            values[item.name] = value
        return cls(**values)  # type: ignore[arg-type]

    def items(self) -> Iterator[tuple[str, float | int]]:
        """(environment variable, value) of every limit, in the documented order."""
        for item in fields(self):
            yield env_var(item.name), getattr(self, item.name)

    def check_file(self, path: Path, file: str, *, json: bool = False) -> None:
        """Refuse a file over the size limit before anything of it is read."""
        name = "max_json_mb" if json else "max_file_mb"
        limit_mb: float = getattr(self, name)
        size = path.stat().st_size
        if size > limit_mb * MB:
            too_large = M.JSON_TOO_LARGE if json else M.FILE_TOO_LARGE
            raise InputError(too_large(file=file, size=f"{size / MB:.1f}", limit=f"{limit_mb:g}",
                                       variable=env_var(name)))

    def check_rows(self, file: str | Text, count: int) -> None:
        """Refuse a file once it has more rows (or JSON cases) than the limit."""
        if count > self.max_rows:
            raise InputError(M.TOO_MANY_ROWS(file=file, limit=f"{self.max_rows:,}",
                                             variable=env_var("max_rows")))

    def check_columns(self, file: str | Text, row: int, cells: Sequence[object]) -> None:
        """Refuse a file with a row that has a value past the last column allowed."""
        if len(cells) <= self.max_columns:
            return
        used = next((n for n in range(len(cells), 0, -1) if _has_value(cells[n - 1])), 0)
        if used > self.max_columns:
            raise InputError(M.TOO_MANY_COLUMNS(file=file, row=row, column=f"{used:,}",
                                                limit=f"{self.max_columns:,}",
                                                variable=env_var("max_columns")))

    def cell_problem(self, value: object) -> M.Text | None:
        """Why one cell (or JSON string) is refused, or None: too many characters."""
        if isinstance(value, str) and len(value) > self.max_cell_chars:
            return M.CELL_TOO_LONG(count=f"{len(value):,}", limit=f"{self.max_cell_chars:,}",
                                   variable=env_var("max_cell_chars"))
        return None

    def list_problem(self, value: object) -> M.Text | None:
        """Why one list is refused, or None: too many items."""
        if isinstance(value, list | tuple) and len(value) > self.max_list_items:
            return M.LIST_TOO_LONG(count=f"{len(value):,}", limit=f"{self.max_list_items:,}",
                                   variable=env_var("max_list_items"))
        return None


def _has_value(cell: object) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def env_var(name: str) -> str:
    """The environment variable of the limit ``name`` (a :class:`Limits` field)."""
    return ENV_PREFIX + name.upper()


def how_to_raise(name: str) -> str:
    """The sentence that says how the limit ``name`` is raised."""
    return f"raise the limit: set the environment variable {env_var(name)}"


def current_limits() -> Limits:
    """The limits in force: the defaults and the environment, read now (not cached, so a
    test or a service that changes the environment is obeyed at once)."""
    return Limits.from_env()
