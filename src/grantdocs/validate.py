"""Read and validate records without making anything: the step before every document.

The batch engine plans its jobs from :func:`check_inputs`; the CLI's
``validate``, ``stats``, ``read-accounts`` and ``repayment-claim`` use it (or
:func:`cases_by_reference`) with no batch at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from grantdocs.errors import Issue, Location, Severity
from grantdocs.model import Case
from grantdocs.readers import read_cases
from grantdocs.readers.duplicates import CaseNumbers
from grantdocs.rules import check_case, check_signers
from grantdocs.scheme import Issuer, load_issuer, load_scheme

if TYPE_CHECKING:
    from grantdocs.batch.manifest import BatchResult


@dataclass(frozen=True)
class Checked:
    """A record after reading and validation: a case, or the errors that stop it."""

    location: Location
    case: Case | None
    issues: tuple[Issue, ...]


def check_inputs(inputs: Sequence[Path | str], scheme: Path | None = None, *,
                 sheet: str | None = None, columns: Path | None = None,
                 breaches_as_warnings: bool = False,
                 issuer: Issuer | None = None) -> Iterator[Checked]:
    """Read every input and validate each record; errors and warnings per record.

    ``sheet`` and ``columns`` say how spreadsheets are read (see :func:`read_cases`).
    A case number seen before, in this input or an earlier one, is an error on the
    later record that names the earlier one. ``breaches_as_warnings`` keeps a case
    that breaks a scheme rule, the breach as a warning: statistics describe what
    was decided, so only records that cannot be read stay out. With ``issuer``, who
    signs is checked against its profile too (:func:`~grantdocs.rules.check_signers`).
    """
    rules = load_scheme(scheme)
    case_numbers = CaseNumbers()  # a repeated case number is an error on the later row
    for path in inputs:
        for record in read_cases(path, sheet=sheet, columns=columns):
            issues = list(record.issues)
            case = record.case
            if case is not None:
                breaches = check_case(case, rules, record.locate)
                if breaches_as_warnings:
                    breaches = [replace(i, severity=Severity.WARNING) for i in breaches]
                issues += breaches
                if issuer is not None:
                    issues += check_signers(case, issuer, record.locate)
            if (repeated := case_numbers.check(record)) is not None:
                issues.append(repeated)
            if any(i.is_error for i in issues):
                case = None
            yield Checked(record.location, case, tuple(issues))


@dataclass
class CasesByReference:
    """The valid cases of some inputs by reference, and why the invalid ones are invalid."""

    valid: dict[str, Case] = field(default_factory=dict)
    invalid: dict[str, str] = field(default_factory=dict)  # reference -> "where: first error"


def cases_by_reference(inputs: Sequence[Path | str], scheme: Path | None = None, *,
                       sheet: str | None = None,
                       columns: Path | None = None) -> CasesByReference:
    """Every valid case of ``inputs`` by its reference (the first of a repeated reference wins)."""
    found = CasesByReference()
    for checked in check_inputs(inputs, scheme, sheet=sheet, columns=columns):
        if checked.case is not None:
            found.valid.setdefault(checked.case.reference, checked.case)
            continue
        first = next((i for i in checked.issues if i.is_error), None)
        if first is not None and first.reference:
            found.invalid[first.reference] = f"{first.location}: {first.message}"
    return found


def validate_inputs(inputs: Iterable[Path | str], scheme: Path | None = None, *,
                    sheet: str | None = None, columns: Path | None = None,
                    issuer: Path | str | None = None) -> BatchResult:
    """Read and check every record against the scheme and the issuer profile (IMDi by
    default, loaded and checked first); write nothing."""
    from grantdocs.batch.manifest import BatchResult, OutputRecord

    result = BatchResult()
    profile = load_issuer(issuer)
    for checked in check_inputs(list(inputs), scheme, sheet=sheet, columns=columns,
                                issuer=profile):
        result.issues.extend(checked.issues)
        if checked.case is None:
            result.outputs.append(OutputRecord(
                None, None, None, None, None, None, None, None, "failed",
                file=checked.location.file, row=checked.location.row))
    return result
