"""Repeated issues as one line each, with the rows they are on.

A clean sheet of 40 grants without e-mail addresses would otherwise print "no
e-mail address for the organisation" 40 times, and people stop reading
warnings. Issues with the same file, severity, column, message and hint are one
:class:`IssueGroup`; the groups keep the order in which their first issue came.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from grantdocs.errors import Issue, Severity


def row_ranges(rows: Iterable[int]) -> str:
    """Row numbers as short ranges: [2, 3, 4, 7, 9, 10] -> "2-4, 7, 9-10"."""
    numbers = sorted(set(rows))
    parts: list[str] = []
    start = 0
    while start < len(numbers):
        end = start
        while end + 1 < len(numbers) and numbers[end + 1] == numbers[end] + 1:
            end += 1
        first, last = numbers[start], numbers[end]
        parts.append(str(first) if first == last else f"{first}-{last}")
        start = end + 1
    return ", ".join(parts)


@dataclass
class IssueGroup:
    """Issues that say the same thing about the same column, on one or more rows."""

    first: Issue
    rows: list[int] = field(default_factory=list)
    count: int = 0

    @property
    def is_error(self) -> bool:
        return self.first.severity is Severity.ERROR

    def __str__(self) -> str:
        if self.count == 1:
            return str(self.first)
        where = self.first.location
        parts = [where.file or "<input>"]
        if self.rows:
            parts.append(f"row{'s' if len(set(self.rows)) > 1 else ''} {row_ranges(self.rows)}")
        if where.field:
            parts.append(where.field)
        text = f"{', '.join(parts)}: {self.first.severity.value}: {self.first.message}"
        if self.first.hint:
            text += f" ({self.first.hint})"
        return text


def group_issues(issues: Iterable[Issue]) -> list[IssueGroup]:
    """One group per file, severity, column, message and hint, in order of first occurrence."""
    groups: dict[tuple[object, ...], IssueGroup] = {}
    for issue in issues:
        where = issue.location
        key = (where.file, issue.severity, where.field, issue.message, issue.hint)
        group = groups.get(key)
        if group is None:
            group = groups[key] = IssueGroup(issue)
        group.count += 1
        if where.row is not None:
            group.rows.append(where.row)
    return list(groups.values())
