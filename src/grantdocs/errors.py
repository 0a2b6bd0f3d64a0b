"""Problems found in input records, with where they are and how to fix them."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Location:
    """Where a value came from: file, 1-based row as a spreadsheet shows it, field."""

    file: str | None = None
    row: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = [self.file or "<input>"]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(self.field)
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Issue:
    """One error or warning about one record."""

    severity: Severity
    message: str
    location: Location = field(default_factory=Location)
    hint: str | None = None
    reference: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity.value}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def to_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
            "file": self.location.file,
            "row": self.location.row,
            "field": self.location.field,
            "reference": self.reference,
        }


def error(message: str, location: Location | None = None, hint: str | None = None) -> Issue:
    return Issue(Severity.ERROR, message, location or Location(), hint)


def warning(message: str, location: Location | None = None, hint: str | None = None) -> Issue:
    return Issue(Severity.WARNING, message, location or Location(), hint)


class InputError(Exception):
    """A whole input file cannot be read (exit code 2)."""


class RecordRefused(Exception):
    """A valid record for which a document cannot be made; the message says why and what to do.

    Raised while rendering (a returned workbook that belongs to another
    decision); the batch records it as that record's error, not as a crash.
    """
