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


class GrantdocsError(Exception):
    """Base of every error grantdocs raises on purpose.

    ``exit_code`` is the command-line exit status for the kind; the CLI maps it in
    one place (``cli/options.py``). 2 means "the run could not start or the input
    cannot be used as a whole", 1 "this record or file cannot be made".
    """

    exit_code: int = 2


class InputError(GrantdocsError):
    """A whole input file cannot be read (exit code 2)."""


class ConfigError(GrantdocsError):
    """A scheme, issuer or templates setting is missing or wrong (exit code 2)."""


class TemplateError(GrantdocsError):
    """A template is missing, broken, or uses a variable the context lacks."""


class FolderBusy(GrantdocsError):
    """Another grantdocs run is writing to the output folder."""


class CoerceError(GrantdocsError, ValueError):
    """A cell or option value that cannot be read; the message says what is expected."""


class RecordRefused(GrantdocsError):
    """A valid record for which a document cannot be made; the message says why and what to do.

    Raised while rendering (a returned workbook that belongs to another
    decision); the batch records it as that record's error, not as a crash.
    """

    exit_code = 1


class AccountsError(RecordRefused):
    """A returned workbook cannot be used: unreadable, altered, or for another decision."""


class NotApplicable(GrantdocsError, ValueError):
    """The document does not exist for this decision (a rejection has no report)."""

    exit_code = 1
