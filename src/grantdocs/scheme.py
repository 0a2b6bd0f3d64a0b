"""Scheme rules as a data file (issuer profiles: :mod:`grantdocs.issuer`, re-exported here).

A scheme file (TOML) holds everything a year, a municipality or another grant
scheme changes: limits, sub-goals, criteria, reason texts, the audit threshold,
the control clause, appeal body and deadline, legal references. It is
validated on load, and an error names the file and the setting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from pydantic import Field, ValidationError, model_validator

from grantdocs import messages_issuer as I
from grantdocs.datafiles import Localized as Localized
from grantdocs.datafiles import LocalizedList as LocalizedList
from grantdocs.datafiles import SettingError, _Data, _explain, _load_toml
from grantdocs.datafiles import file_stamp as file_stamp
from grantdocs.formatting import format_amount, format_date_long, format_percent
from grantdocs.issuer import DEFAULT_ISSUER as DEFAULT_ISSUER
from grantdocs.issuer import Issuer as Issuer
from grantdocs.issuer import Signatory as Signatory
from grantdocs.issuer import issuer_file as issuer_file
from grantdocs.issuer import load_issuer as load_issuer
from grantdocs.model import Decision
from grantdocs.placeholders import FILLED, PLACEHOLDERS, unknown_placeholders
from grantdocs.resources import DATA_DIR

SCHEMES_DIR = DATA_DIR / "schemes"
DEFAULT_SCHEME = SCHEMES_DIR / "imdi-integreringsarbeid-2022.toml"


def bundled_schemes() -> list[str]:
    """The names of the schemes that ship with grantdocs (``--scheme NAME``)."""
    return sorted(p.stem for p in SCHEMES_DIR.glob("*.toml"))


def bundled_scheme(name: str) -> Path | None:
    """The file of the bundled scheme called ``name``, or None."""
    return SCHEMES_DIR / f"{name}.toml" if name in bundled_schemes() else None


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
    partial: Localized | None = Field(
        None, description="The text in a partial grant, where it explains a reduction.")
    assessed: bool = Field(
        True, description="False: the application was not assessed against the criteria "
                          "(late, or not eligible), so the letter does not say it was.")
    needs_case_text: bool = Field(
        False, description="True: a decision resting on this reason alone needs a sentence "
                           "about this application in the free-text reasons (forvaltningsloven "
                           "§ 25 third paragraph); validation warns when there is none.")


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
    posting_section: str = "§ 30"
    form_section: str = "§ 32"
    reasons_section: str = "§§ 24 og 25"
    information_section: str = "§ 27"
    access_sections: str = "§§ 18 og 19"
    # a repayment claim: why no advance notice was sent, and postponing payment on appeal
    notice_section: str = "§ 16 tredje ledd"
    postpone_section: str = "§ 42"


class Unspent(_Data):
    """How unspent funds are computed and repaid: the grant letter states the rule, and a
    repayment claim cites it as the grant letter put it."""

    rule: Localized
    claim_basis: Localized
    interest_law: Localized


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
            raise SettingError(I.NOT_A_DAY(value=repr(text))) from None
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
    rules: Localized = Field(description="The rules a decision rests on, and where they are "
                                         "published (forvaltningsloven § 25).")
    application_deadline: dt.date | None = None
    acceptance_weeks: int = Field(3, ge=1, le=26,
                                  description="Weeks from the decision to return the acceptance.")
    limits: Limits
    sub_goals: tuple[SubGoal, ...]
    criteria: LocalizedList
    reasons: tuple[Reason, ...]
    appeal: Appeal
    reporting: Reporting
    control: Localized
    breach: Localized
    use_of_funds: Localized
    unspent: Unspent
    audit: Audit

    @model_validator(mode="after")
    def _unique_codes(self) -> Scheme:
        for what, codes in (
            ("sub_goals", [g.code for g in self.sub_goals]),
            ("reasons", [r.code for r in self.reasons]),
        ):
            if len(set(codes)) != len(codes):
                raise SettingError(I.CODES_NOT_UNIQUE(what=what, codes=repr(codes)))
        for reason in self.reasons:
            if reason.criterion is not None and not 1 <= reason.criterion <= len(self.criteria.nb):
                raise SettingError(I.CRITERION_MISSING(code=repr(reason.code),
                                                       number=reason.criterion,
                                                       count=len(self.criteria.nb)))
        known = set(PLACEHOLDERS) - (set() if self.application_deadline else {
            "application_deadline"})
        problem = unknown_placeholders(self.model_dump(include=FILLED), known)
        if problem:
            raise SettingError(problem)
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


def scheme_values(scheme: Scheme, issuer: Issuer, lang: str,
                  amount: Callable[[Decimal], str] = format_amount) -> dict[str, str]:
    """The one vocabulary of placeholders that scheme texts and template labels may use.

    The keys are the scheme's own names (``{audit_threshold}``, ``{deviation_explain_pct}``,
    ``{issuer}`` ...). ``amount`` formats the kroner: ``kr 100 000`` by default, as in
    workbooks and checklists; letters pass their running-text form.
    """
    limits = scheme.limits
    deadline = scheme.application_deadline
    return {
        "issuer": issuer.short_name(lang),
        "scheme": scheme.name(lang),
        "year": str(scheme.year),
        "chapter": str(scheme.chapter),
        "post": str(scheme.post),
        "measure_min": amount(limits.measure_min),
        "project_budget_max": amount(limits.project_budget_max),
        "audit_threshold": amount(limits.audit_threshold),
        "deviation_explain_pct": format_percent(limits.deviation_explain_pct, 0, ratio=False),
        **({"application_deadline": format_date_long(deadline, lang)} if deadline else {}),
    }


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
