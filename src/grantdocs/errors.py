"""Problems found in input records, with where they are and how to fix them."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum, StrEnum

from grantdocs.messages import Text


class ExitCode(IntEnum):
    """The command line's exit statuses, documented once here and in the README.

    The CLI maps every :class:`GrantdocsError` to its kind's ``exit_code`` in one
    place (``cli/options.py``); a batch's own status is ``BatchResult.exit_code``.
    """

    OK = 0
    """Everything asked for was written (or, for ``validate``, no record has an error)."""
    RECORDS_FAILED = 1
    """Some records, or a returned workbook, could not be made; the rest were written."""
    UNUSABLE = 2
    """The run could not start: a usage error, or a configuration or input file that cannot
    be used as a whole (missing, not the kind of file expected, a malformed date option)."""
    OUTPUT_UNWRITABLE = 3
    """The output folder could not be written (disk full, read-only, no permission): no file
    is left partial, the manifest still reads, and a rerun after the fix keeps what was
    written."""
    INTERRUPTED = 130
    """Ctrl-C (SIGINT): finished files and the manifest are kept; rerun to finish."""
    TERMINATED = 143
    """SIGTERM (systemd, docker, Kubernetes stopping it): as Ctrl-C, finished files and the
    manifest are kept, the workers end; rerun to finish."""


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
    text: Text | None = None
    """The message as a catalog entry with its values (``message`` is its English form)."""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def code(self) -> str | None:
        """The message's stable code (``GD-E012``), see :mod:`grantdocs.messages`."""
        return self.text.code if self.text is not None else None

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity.value}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def to_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
            "file": self.location.file,
            "row": self.location.row,
            "field": self.location.field,
            "reference": self.reference,
        }


def issue(severity: Severity, message: str | Text, location: Location | None = None,
          hint: str | None = None, reference: str | None = None) -> Issue:
    """An issue; a :class:`Text` message brings its code and its hint (unless ``hint`` is given)."""
    if isinstance(message, Text):
        return Issue(severity, str(message), location or Location(),
                     hint if hint is not None else message.render_hint(), reference, message)
    return Issue(severity, message, location or Location(), hint, reference)


def error(message: str | Text, location: Location | None = None,
          hint: str | None = None) -> Issue:
    return issue(Severity.ERROR, message, location, hint)


def warning(message: str | Text, location: Location | None = None,
            hint: str | None = None) -> Issue:
    return issue(Severity.WARNING, message, location, hint)


class GrantdocsError(Exception):
    """Base of every error grantdocs raises on purpose.

    ``exit_code`` is the command-line exit status for the kind; the CLI maps it in
    one place (``cli/options.py``). 2 means "the run could not start or the input
    cannot be used as a whole", 1 "this record or file cannot be made".
    """

    exit_code: int = ExitCode.UNUSABLE
    text: Text | None = None
    """The message as a catalog entry (:mod:`grantdocs.messages`), when it was raised with one."""

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        if args and isinstance(args[0], Text):
            self.text = args[0]

    def __str__(self) -> str:
        if self.text is not None and self.args and self.args[0] is self.text:
            return str(self.text)
        return super().__str__()


class InputError(GrantdocsError):
    """A whole input file cannot be read (exit code 2)."""


class ConfigError(GrantdocsError):
    """A scheme, issuer or templates setting is missing or wrong (exit code 2)."""


class TemplateError(GrantdocsError):
    """A template is missing, broken, or uses a variable the context lacks."""


class FolderBusy(GrantdocsError):
    """Another grantdocs run is writing to the output folder."""


class OutputUnwritable(GrantdocsError):
    """The output folder (or the --zip or print file) cannot be written: full or read-only."""

    exit_code = ExitCode.OUTPUT_UNWRITABLE


class CoerceError(GrantdocsError, ValueError):
    """A cell or option value that cannot be read; the message says what is expected."""


class RecordRefused(GrantdocsError):
    """A valid record for which a document cannot be made; the message says why and what to do.

    Raised while rendering (a returned workbook that belongs to another
    decision); the batch records it as that record's error, not as a crash.
    """

    exit_code = ExitCode.RECORDS_FAILED


class ResourceRefused(RecordRefused):
    """A template asked for a URL or a file outside the allowed folders: that record fails.

    Raised in place of the fetcher's refusal (a BaseException in WeasyPrint), so
    it fails only its record, in this process or, pickled, from a worker.
    """


class MemoryLimit(RecordRefused):
    """Rendering one record needed more memory than a worker may use (RLIMIT_AS)."""


class RenderTimeout(GrantdocsError):
    """Rendering one record took longer than the per-job time limit (``--timeout``)."""

    exit_code = 1


class WorkerDied(GrantdocsError):
    """The worker process died while rendering one record (a crash or the memory limit)."""

    exit_code = 1


class AccountsError(RecordRefused):
    """A returned workbook cannot be used: unreadable, altered, or for another decision."""


class NotApplicable(GrantdocsError, ValueError):
    """The document does not exist for this decision (a rejection has no report)."""

    exit_code = ExitCode.RECORDS_FAILED


class CaseRefused(GrantdocsError):
    """The case breaks a scheme rule, so no document is made for it (exit code 1).

    ``issues`` holds every error and warning :func:`grantdocs.rules.check_case`
    found; the message lists each one. Pass ``check=False`` to a render function
    to render such a case anyway.
    """

    exit_code = ExitCode.RECORDS_FAILED

    def __init__(self, issues: list[Issue] | tuple[Issue, ...], reference: str | None = None
                 ) -> None:
        from grantdocs.messages import CASE_REFUSED

        self.issues = list(issues)
        self.reference = reference
        head = CASE_REFUSED()
        lines = [f"{reference}: {head}" if reference else str(head)]
        lines += [f"  {issue}" for issue in self.issues]
        super().__init__("\n".join(lines))
        self.text = head
