"""One record read from an input file, and turning validation errors into Issues."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from grantdocs import messages as M
from grantdocs.errors import Issue, Location, error
from grantdocs.messages import Param, Text
from grantdocs.model import Case
from grantdocs.readers.columns import column_for, what


@dataclass(frozen=True)
class ReadRecord:
    """A case as read from one row (CSV, XLSX) or one list item (JSON).

    ``location`` names the file and row (field None); ``case`` is None when any
    issue is an error; ``columns`` maps model paths to the headers as written in
    the file.
    """

    location: Location
    case: Case | None
    issues: tuple[Issue, ...] = ()
    columns: Mapping[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.case is not None

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(issue for issue in self.issues if issue.is_error)

    def field_for(self, path: str) -> str:
        """The header of the column holding a model path, or the path itself."""
        return field_for(self.columns, path)

    def locate(self, path: str) -> Location:
        """Where the value at a model path came from: file, row and column header."""
        return Location(self.location.file, self.location.row, self.field_for(path))


_LAST_PART = re.compile(r"(\[\d+\]|\.[^.\[\]]+)$")


def field_for(columns: Mapping[str, str], path: str) -> str:
    """The header of the column holding ``path`` (or an enclosing path), as the sheet
    writes it; for a column the sheet lacks, our header for it ("E-post").

    With no columns at all (JSON input) the path is the field: ``path`` itself.
    """
    current = path
    while current:
        if current in columns:
            return columns[current]
        shorter = _LAST_PART.sub("", current)
        if shorter == current:
            break
        current = shorter
    if not columns:
        return path
    return column_for(re.sub(r"\[\d+\].*$", "", path))


def loc_path(loc: Sequence[int | str]) -> str:
    """A pydantic error location as a path: ("application", "budget_lines", 0, "amount") ->
    "application.budget_lines[0].amount"."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


# Errors of a model validator are located at the model; name the field they are about.
_MODEL_ERROR_PATHS = {"application": "application.period_end"}

_TOP_LEVEL = {
    "organisation": "the organisation's details",
    "application": "the application's details",
    "decision": "the decision's details",
}


def _what(path: str) -> str:
    base = re.sub(r"\[\d+\]", "", path)
    if base in _TOP_LEVEL:
        return _TOP_LEVEL[base]
    described = what(base)
    return described if described != base else f"a value for {path}"


def describe(err: ErrorDetails, label: Param, path: str) -> Text:
    """A readable message for one pydantic error, starting with the field's label."""
    kind = err["type"]
    ctx: dict[str, Any] = dict(err.get("ctx") or {})
    value = err.get("input")
    message = err["msg"]
    if kind == "missing" or (
        value is None and (kind.endswith("_type") or kind in ("enum", "string_too_short"))
    ):
        return M.REQUIRED(label=label, what=_what(path))
    if kind == "string_too_short":
        return M.EMPTY(label=label, what=_what(path))
    if (own := M.by_code(kind)) is not None:  # a model validator's message (PydanticCustomError)
        return M.in_column(label, own(**{key: str(v) for key, v in ctx.items()}))
    if kind in ("value_error", "assertion_error"):
        message = re.sub(r"^(Value|Assertion) error, ", "", message)
        return M.INVALID(label=label, problem=message)
    if kind == "greater_than_equal":
        return M.NEGATIVE(label=label, value=repr(value))
    if kind == "decimal_max_places":
        return M.TOO_MANY_ORE(label=label, value=str(value))
    if kind in ("decimal_max_digits", "decimal_whole_digits"):
        return M.TOO_LARGE(label=label, value=str(value))
    if kind == "string_too_long":
        return M.TOO_LONG(label=label, maximum=str(ctx.get("max_length")))
    if kind == "extra_forbidden":
        return M.UNKNOWN_FIELD(label=label)
    if kind.startswith(("date_", "datetime_")):
        return M.NOT_ISO_DATE(label=label, value=repr(value))
    if kind.startswith("decimal_") or kind in ("float_parsing", "float_type", "int_parsing"):
        return M.NOT_NUMBER_AMOUNT(label=label, value=repr(value))
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return M.NOT_AN_OBJECT(label=label, kind=type(value).__name__)
    if kind in ("tuple_type", "list_type"):
        return M.NOT_A_LIST(label=label, kind=type(value).__name__)
    return M.INVALID(label=label, problem=message)


def validation_issues(
    exc: ValidationError,
    *,
    file: str | None,
    row: int | None,
    columns: Mapping[str, str],
    skip: frozenset[str] = frozenset(),
) -> list[Issue]:
    """Issues for every error of a failed ``Case.model_validate``.

    Errors at a path in ``skip`` (values that already failed to be read, and
    were reported) are left out. Each issue is located at the column's header
    (tabular input) or at the dotted path (JSON).
    """
    issues: list[Issue] = []
    for err in exc.errors(include_url=False):
        path = loc_path(err["loc"])
        own = err["type"] == "value_error" or M.by_code(err["type"]) is not None
        if own and path in _MODEL_ERROR_PATHS:
            path = _MODEL_ERROR_PATHS[path]
        header = field_for(columns, path)
        column_path = next((p for p, h in columns.items() if h == header), path)
        if column_path in skip:
            continue
        label: Param = header
        if header != path and path != column_path:
            index = re.match(r"\[(\d+)\]", path[len(column_path) :])
            if index:
                label = M.ITEM(column=header, number=int(index[1]) + 1)
        issues.append(error(describe(err, label, path), Location(file, row, header)))
    if not issues and not skip:  # pragma: no cover - pydantic always reports something
        issues.append(error(str(exc), Location(file, row)))
    return issues
