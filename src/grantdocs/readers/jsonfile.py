"""JSON input: a list of cases, or ``{"schema_version": "1", "cases": [...]}``."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from grantdocs import messages as M
from grantdocs.errors import CoerceError, InputError, Issue, Location, error, warning
from grantdocs.limits import Limits, current_limits
from grantdocs.messages import Text
from grantdocs.model import SCHEMA_VERSION, Case
from grantdocs.readers.coerce import COERCERS
from grantdocs.readers.columns import BY_PATH
from grantdocs.readers.record import ReadRecord, validation_issues

_ROUND_KEYS = frozenset({"schema_version", "cases", "$schema"})
_SECTIONS = ("organisation", "application", "decision")
# A number where the model wants text (an org number typed without quotes) is read as text.
_NUMBER_AS_TEXT = frozenset({"text", "org_number", "account", "postcode"})


def _load(path: Path, file: str) -> Any:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(M.JSON_NOT_UTF8(file=file, byte=exc.start)) from None
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise InputError(M.JSON_INVALID(file=file, line=exc.lineno, column=exc.colno,
                                        reason=exc.msg)) from None
    except RecursionError:
        raise InputError(M.JSON_TOO_DEEP(file=file)) from None


def _numbers_as_text(case: Mapping[str, Any]) -> dict[str, Any]:
    data = dict(case)
    for section in _SECTIONS:
        values = data.get(section)
        if not isinstance(values, Mapping):
            continue
        fixed = dict(values)
        for name, value in values.items():
            column = BY_PATH.get(f"{section}.{name}")
            if (
                column is not None
                and column.kind in _NUMBER_AS_TEXT
                and isinstance(value, int | Decimal)
                and not isinstance(value, bool)
            ):
                with contextlib.suppress(CoerceError):
                    fixed[name] = COERCERS[column.kind](value)
        data[section] = fixed
    return data


def _over_limits(item: object, limits: Limits) -> Iterator[tuple[str, Text]]:
    """(path, problem) of every string or list in ``item`` over its limit, walked without
    recursion (the parser allows deeper nesting than a recursive walk would)."""
    stack: list[tuple[str, object]] = [("", item)]
    while stack:
        path, value = stack.pop()
        problem = limits.cell_problem(value) or limits.list_problem(value)
        if problem is not None:
            yield path or "(case)", problem
        elif isinstance(value, Mapping):
            stack.extend((f"{path}.{key}" if path else str(key), v) for key, v in value.items())
        elif isinstance(value, list):
            stack.extend((f"{path}[{index}]", v) for index, v in enumerate(value))


def build_record(file: str, number: int, item: object, extra: Sequence[Issue],
                 limits: Limits | None = None) -> ReadRecord:
    """Validate the ``number``-th (1-based) case of a JSON file.

    A string over :attr:`Limits.max_cell_chars` or a list over
    :attr:`Limits.max_list_items` is an error of this case only.
    """
    location = Location(file, number)
    issues = list(extra)
    if not isinstance(item, Mapping):
        issues.append(error(M.CASE_NOT_OBJECT(number=number, kind=type(item).__name__),
                            location))
        return ReadRecord(location, None, tuple(issues))
    case: Case | None = None
    oversized = [
        error(M.in_column(path, problem), Location(file, number, path))
        for path, problem in _over_limits(item, limits or current_limits())
    ]
    if oversized:  # not validated: a long value would be copied into every error
        issues.extend(oversized)
    else:
        try:
            case = Case.model_validate(_numbers_as_text(item))
        except ValidationError as exc:
            issues.extend(validation_issues(exc, file=file, row=number, columns={}))
    if any(issue.is_error for issue in issues):
        case = None
    decision = item.get("decision")
    reference = decision.get("case_number") if isinstance(decision, Mapping) else None
    if reference is not None:  # name the case in its own issues, as rules.check_case does
        issues = [replace(i, reference=str(reference)) if i.location.row else i for i in issues]
    return ReadRecord(location, case, tuple(issues))


def _records(file: str, cases: Sequence[object], extra: Sequence[Issue]) -> Iterator[ReadRecord]:
    limits = current_limits()
    for number, item in enumerate(cases, start=1):
        yield build_record(file, number, item, extra if number == 1 else (), limits)


def read_json(path: Path, file: str) -> Iterator[ReadRecord]:
    """Parse the file and check its shape now; validate the cases lazily."""
    data = _load(path, file)
    extra: list[Issue] = []
    if isinstance(data, list):
        cases: list[object] = data
    elif isinstance(data, dict):
        if "cases" not in data:
            keys = ", ".join(sorted(map(repr, data))) or M.NO_KEYS()
            raise InputError(M.JSON_OBJECT_WITHOUT_CASES(file=file, keys=keys))
        version = data.get("schema_version", SCHEMA_VERSION)
        if str(version) != SCHEMA_VERSION:
            raise InputError(M.SCHEMA_VERSION_UNSUPPORTED(
                file=file, version=repr(version), supported=repr(SCHEMA_VERSION)))
        if not isinstance(data["cases"], list):
            raise InputError(M.CASES_NOT_LIST(file=file))
        cases = data["cases"]
        for key in sorted(set(data) - _ROUND_KEYS):
            extra.append(warning(M.UNKNOWN_TOP_LEVEL_KEY(key=repr(key)), Location(file, None, key)))
    else:
        raise InputError(M.JSON_NOT_CASES(file=file, kind=type(data).__name__))
    current_limits().check_rows(file, len(cases))
    return _records(file, cases, extra)
