"""Scheme rules and issuer profiles as data files.

A scheme file (TOML) holds everything a year, a municipality or another grant
scheme changes: limits, sub-goals, criteria, reason texts, the audit threshold,
the control clause, appeal body and deadline, legal references. An issuer
profile holds the letterhead: names, address, signatories, default language.
Both are validated on load, and an error names the file and the setting.
"""

from __future__ import annotations

import datetime as dt
import stat
import tomllib
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from grantdocs.errors import ConfigError
from grantdocs.formatting import format_amount, format_percent
from grantdocs.model import Decision, Language
from grantdocs.resources import DATA_DIR

DEFAULT_SCHEME = DATA_DIR / "schemes" / "imdi-integreringsarbeid-2022.toml"
DEFAULT_ISSUER = DATA_DIR / "issuers" / "imdi.toml"



class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(_Data):
    """The same text in Bokmål and Nynorsk, each written natively."""

    nb: str
    nn: str

    def __call__(self, lang: str) -> str:
        return self.nb if lang == "nb" else self.nn


class LocalizedList(_Data):
    nb: tuple[str, ...]
    nn: tuple[str, ...]

    def __call__(self, lang: str) -> tuple[str, ...]:
        return self.nb if lang == "nb" else self.nn

    @model_validator(mode="after")
    def _same_length(self) -> LocalizedList:
        if len(self.nb) != len(self.nn):
            raise ValueError("nb and nn lists must have the same number of items")
        return self


class SubGoal(_Data):
    code: str
    text: Localized
    target_groups: Localized


class Reason(_Data):
    code: str
    text: Localized
    criterion: int | None = Field(
        None, description="1-based index into criteria that this reason cites."
    )


# Amounts in a scheme are kroner a grant could be: not negative, at most 12 whole digits.
_MAX_KRONER = Decimal("999999999999")


class Limits(_Data):
    measure_min: Decimal = Field(ge=0, le=_MAX_KRONER,
                                 description="Smallest grant for a single measure (kroner).")
    project_budget_max: Decimal = Field(gt=0, le=_MAX_KRONER,
                                        description="Largest annual project budget (kroner).")
    audit_threshold: Decimal = Field(ge=0, le=_MAX_KRONER,
                                     description="Grants at or above this need audited accounts.")
    deviation_explain_pct: Decimal = Field(
        Decimal(15), ge=0, le=1000,
        description="Budget-line deviation (percent) that needs an explanation."
    )


class Appeal(_Data):
    body: Localized
    deadline_weeks: int = Field(3, ge=1, le=52, description="Weeks to appeal (fvl. § 29: 3).")
    law: Localized
    right_section: str = "§ 28"
    deadline_section: str = "§ 29"
    form_section: str = "§ 32"
    reasons_section: str = "§§ 24 og 25"
    information_section: str = "§ 27"
    access_sections: str = "§§ 18 og 19"


class Reporting(_Data):
    deadline_month_day: str = Field(
        "03-01", description="Default report deadline in the year after the grant, MM-DD."
    )
    accounts_law: Localized
    audit_text: Localized

    @model_validator(mode="after")
    def _real_day(self) -> Reporting:
        """A day every year has (so not 02-29), checked now and not at each letter."""
        text = self.deadline_month_day
        try:
            if len(text) != 5 or text[2] != "-" or not (text[:2] + text[3:]).isdigit():
                raise ValueError
            dt.date(2001, int(text[:2]), int(text[3:]))
        except ValueError:
            raise ValueError(f"deadline_month_day {text!r} is not a day of every year; "
                             'write it as MM-DD, e.g. "03-01"') from None
        return self


class Audit(_Data):
    standard: str = Field(description="ISRS 4400 or SA 805.")
    procedures: LocalizedList


class Scheme(_Data):
    id: str
    year: int = Field(ge=2000, le=2100)
    name: Localized
    administrator: Localized
    chapter: int = Field(ge=1)
    post: int = Field(ge=1)
    limits: Limits
    sub_goals: tuple[SubGoal, ...]
    criteria: LocalizedList
    reasons: tuple[Reason, ...]
    appeal: Appeal
    reporting: Reporting
    control: Localized
    breach: Localized
    use_of_funds: Localized
    audit: Audit

    @model_validator(mode="after")
    def _unique_codes(self) -> Scheme:
        for what, codes in (
            ("sub_goals", [g.code for g in self.sub_goals]),
            ("reasons", [r.code for r in self.reasons]),
        ):
            if len(set(codes)) != len(codes):
                raise ValueError(f"{what} codes must be unique, got {codes}")
        for reason in self.reasons:
            if reason.criterion is not None and not 1 <= reason.criterion <= len(self.criteria.nb):
                raise ValueError(f"reason {reason.code!r} cites criterion {reason.criterion}, "
                                 f"but there are {len(self.criteria.nb)}")
        return self

    def sub_goal(self, code: str) -> SubGoal | None:
        return next((g for g in self.sub_goals if g.code == code), None)

    def reason(self, code: str) -> Reason | None:
        return next((r for r in self.reasons if r.code == code), None)

    def default_report_deadline(self, decision_date: dt.date) -> dt.date:
        month, day = (int(p) for p in self.reporting.deadline_month_day.split("-"))
        return dt.date(max(self.year, decision_date.year) + 1, month, day)

    def report_deadline(self, decision: Decision) -> dt.date:
        """The decision's own report deadline, else the scheme's default for its date."""
        return decision.report_deadline or self.default_report_deadline(decision.date)

    def audit_required(self, amount_granted: Decimal) -> bool:
        """Whether a grant of this size needs audited accounts (at or above the threshold)."""
        return amount_granted >= self.limits.audit_threshold


class Signatory(_Data):
    name: str
    title: Localized


class Issuer(_Data):
    id: str
    name: Localized
    short_name: Localized
    unit: Localized | None = None
    org_number: str
    address: tuple[str, ...]
    postcode: str
    city: str
    phone: str | None = None
    email: str | None = None
    web: str | None = None
    logo: str | None = Field(None, description="Image file, relative to the issuer file.")
    bank_account: str | None = Field(None, description="Account that repayments are paid to.")
    default_language: Language = Language.NB
    signatories: tuple[Signatory, ...] = Field(min_length=1)
    appeal_body: Localized | None = Field(
        None, description="Overrides the scheme's appeal body (e.g. a municipal appeals board)."
    )
    source_dir: Path | None = Field(None, exclude=True)

    def logo_path(self) -> Path | None:
        """The logo file, inside the profile's folder (checked when the profile is loaded)."""
        if self.logo is None or self.source_dir is None:
            return None
        path = (self.source_dir / self.logo).resolve()
        return path if path.is_relative_to(self.source_dir.resolve()) and path.is_file() else None


def scheme_values(scheme: Scheme, issuer: Issuer, lang: str,
                  amount: Callable[[Decimal], str] = format_amount) -> dict[str, str]:
    """The one vocabulary of placeholders that scheme texts and template labels may use.

    The keys are the scheme's own names (``{audit_threshold}``, ``{deviation_explain_pct}``,
    ``{issuer}`` ...). ``amount`` formats the kroner: ``kr 100 000`` by default, as in
    workbooks and checklists; letters pass their running-text form.
    """
    limits = scheme.limits
    return {
        "issuer": issuer.short_name(lang),
        "scheme": scheme.name(lang),
        "measure_min": amount(limits.measure_min),
        "project_budget_max": amount(limits.project_budget_max),
        "audit_threshold": amount(limits.audit_threshold),
        "deviation_explain_pct": format_percent(limits.deviation_explain_pct, 0, ratio=False),
    }


def _load_toml(path: Path, what: str) -> dict[str, Any]:
    if path.exists() and not path.is_file():  # a folder, or a pipe that would block
        raise ConfigError(f"{path}: the {what} must be a TOML file")
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{what} file not found: {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: the {what} file cannot be read: {exc.strerror}") from None


def _explain(path: Path, exc: ValidationError) -> ConfigError:
    lines = [f"{path}: invalid settings"]
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        lines.append(f"  {loc}: {err['msg']}")
    return ConfigError("\n".join(lines))


def file_stamp(file: Path) -> tuple[int, int] | None:
    """(modification time, size) of ``file``, or None when it cannot be read.

    The caches of parsed files below are keyed on it, so a file edited on disk
    is read again in a long-lived process.
    """
    try:
        stat = file.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def load_scheme(path: Path | str | None = None) -> Scheme:
    """Load and validate a scheme file (the 2022 IMDi scheme by default)."""
    file = Path(path) if path is not None else DEFAULT_SCHEME
    return _load_scheme(file, file_stamp(file))


@lru_cache(maxsize=16)
def _load_scheme(file: Path, stamp: tuple[int, int] | None) -> Scheme:
    try:
        return Scheme.model_validate(_load_toml(file, "scheme"))
    except ValidationError as exc:
        raise _explain(file, exc) from None


def issuer_file(path: Path | str | None) -> Path:
    """The issuer profile's file: a path, or the name of a bundled profile."""
    if path is None:
        return DEFAULT_ISSUER
    file = Path(path)
    bundled = DATA_DIR / "issuers" / f"{path}.toml"
    if not file.exists() and bundled.exists():
        return bundled
    return file


def load_issuer(path: Path | str | None = None) -> Issuer:
    """Load and validate an issuer profile (IMDi by default).

    ``path`` may also name a bundled profile: ``imdi`` or ``bjornafjorden``.
    """
    file = issuer_file(path)
    return _load_issuer(file, file_stamp(file))


@lru_cache(maxsize=16)
def _load_issuer(file: Path, stamp: tuple[int, int] | None) -> Issuer:
    try:
        issuer = Issuer.model_validate({**_load_toml(file, "issuer"), "source_dir": None})
    except ValidationError as exc:
        raise _explain(file, exc) from None
    issuer = issuer.model_copy(update={"source_dir": file.resolve().parent})
    if issuer.logo is not None:
        _check_logo(file, issuer.logo)
    return issuer


# The image types a letterhead may use, by suffix, with how their files begin.
_LOGO_TYPES: dict[str, tuple[bytes, ...]] = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".svg": (b"<svg", b"<?xml"),
}
MAX_LOGO_BYTES = 5 * 1024 * 1024


def _check_logo(file: Path, logo: str) -> None:
    """The logo must be an image file (PNG, JPEG, GIF, SVG) inside the profile's folder:
    the PDF fetcher is allowed to read that one file, so it must never name a folder or
    a file elsewhere."""
    folder = file.resolve().parent
    path = (folder / logo).resolve()
    where = f"{file}: logo = {logo!r}"
    if not path.is_relative_to(folder) or path == folder:
        raise ConfigError(f"{where}: the logo must be an image file inside the profile's "
                          f"folder {folder}")
    if path.suffix.lower() not in _LOGO_TYPES:
        raise ConfigError(f"{where}: the logo must be a PNG, JPEG, GIF or SVG file "
                          f"({', '.join(_LOGO_TYPES)})")
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ConfigError(f"{where}: not a regular file")
        if info.st_size > MAX_LOGO_BYTES:
            raise ConfigError(f"{where}: the logo is over {MAX_LOGO_BYTES // (1024 * 1024)} MB")
        with path.open("rb") as fh:
            head = fh.read(256).lstrip()
    except FileNotFoundError:
        raise ConfigError(f"{where}: no such file in {folder}") from None
    except OSError as exc:
        raise ConfigError(f"{where}: cannot be read: {exc.strerror}") from None
    if not head.startswith(_LOGO_TYPES[path.suffix.lower()]):
        raise ConfigError(f"{where}: the file is not a {path.suffix.lower()[1:].upper()} image")
