"""Check a case against the scheme's rules.

The scheme's limits govern what may be *granted*. Granting what the scheme
forbids is an error; rejecting such an application is exactly right and its
letter must be produced. Whatever merely looks odd is a warning, shown before
letters go out.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from grantdocs.errors import CaseRefused, Issue, Location, Severity
from grantdocs.formatting import format_amount
from grantdocs.model import ApplicationKind, Case, DecisionKind
from grantdocs.scheme import Scheme

Locate = Callable[[str], Location]


def _default_locate(path: str) -> Location:
    return Location(field=path)


def check_case(case: Case, scheme: Scheme, locate: Locate = _default_locate) -> list[Issue]:
    """Return the errors and warnings for one case under ``scheme``."""
    issues: list[Issue] = []
    ref = case.decision.case_number

    def add(severity: Severity, path: str, message: str, hint: str | None = None) -> None:
        issues.append(Issue(severity, message, locate(path), hint, ref))

    app, dec = case.application, case.decision
    granting = dec.kind in (DecisionKind.GRANTED, DecisionKind.PARTIAL)
    limits = scheme.limits

    for code in app.sub_goals:
        if scheme.sub_goal(code) is None:
            known = ", ".join(g.code for g in scheme.sub_goals)
            add(Severity.ERROR, "application.sub_goals",
                f"sub-goal {code!r} is not in the scheme {scheme.id}",
                f"use one of {known}")
    for code in dec.reason_codes:
        if scheme.reason(code) is None:
            known = ", ".join(r.code for r in scheme.reasons)
            add(Severity.ERROR, "decision.reason_codes", f"unknown reason code {code!r}",
                f"use one of {known}")

    if granting:
        if dec.amount_granted <= 0:
            add(Severity.ERROR, "decision.amount_granted",
                "a grant or partial grant needs an amount granted above zero",
                "fill in Innvilget beløp, or make the decision a rejection (avslag)")
        if dec.amount_granted > app.amount_requested:
            add(Severity.ERROR, "decision.amount_granted",
                f"{format_amount(dec.amount_granted)} granted is more than the "
                f"{format_amount(app.amount_requested)} requested",
                "the scheme cannot grant more than was applied for")
        if app.kind is ApplicationKind.MEASURE and dec.amount_granted < limits.measure_min:
            add(Severity.ERROR, "decision.amount_granted",
                f"a single measure must be granted at least {format_amount(limits.measure_min)}",
                "grant at least the minimum, or reject with reason code measure-under-min")
        if app.kind is ApplicationKind.PROJECT:
            if app.annual_budget is not None and app.annual_budget > limits.project_budget_max:
                add(Severity.ERROR, "application.annual_budget",
                    f"the project's annual budget {format_amount(app.annual_budget)} exceeds "
                    f"the scheme's maximum {format_amount(limits.project_budget_max)}",
                    "reject with reason code budget-over-max, or correct the budget")
            if app.annual_budget is None:
                add(Severity.WARNING, "application.annual_budget",
                    "no annual budget given for a project: the budget limit was not checked")
        if not app.sub_goals:
            add(Severity.ERROR, "application.sub_goals",
                "a grant must name the sub-goal(s) it serves",
                "fill in Delmål, e.g. 'A' or 'A, C'")
        if case.organisation.bank_account is None:
            add(Severity.ERROR, "organisation.bank_account",
                "a grant letter must state the account the grant is paid to",
                "fill in Kontonummer (11 digits)")
        if dec.payment_date is not None and dec.payment_date < dec.date:
            add(Severity.WARNING, "decision.payment_date",
                "the payment date is before the decision date")
        if dec.report_deadline is not None and dec.report_deadline <= dec.date:
            add(Severity.ERROR, "decision.report_deadline",
                "the report deadline is not after the decision date",
                "fill in a later Rapporteringsfrist, or leave it empty for the scheme's default")
        if app.period_end and dec.report_deadline and dec.report_deadline < app.period_end:
            add(Severity.WARNING, "decision.report_deadline",
                "the report is due before the project period ends")
        if app.kind is ApplicationKind.PROJECT and dec.amount_granted < limits.measure_min:
            add(Severity.WARNING, "decision.amount_granted",
                f"a project granted less than {format_amount(limits.measure_min)} is unusual")

    if dec.kind is DecisionKind.PARTIAL and dec.amount_granted >= app.amount_requested > 0:
        add(Severity.WARNING, "decision.kind",
            "a partial grant of the full amount requested",
            "make the decision 'innvilget', or correct Innvilget beløp")
    if dec.kind is DecisionKind.GRANTED and dec.amount_granted < app.amount_requested:
        add(Severity.ERROR, "decision.kind",
            f"{format_amount(dec.amount_granted)} granted of {format_amount(app.amount_requested)} "
            "requested is a partial grant, which needs reasons and appeal information",
            "set Vedtak to 'delvis innvilget' and give Avslagsgrunner or Begrunnelse")
    if dec.kind is DecisionKind.REJECTED and dec.amount_granted > 0:
        add(Severity.ERROR, "decision.amount_granted",
            "a rejection cannot grant an amount",
            "leave Innvilget beløp empty or 0, or change Vedtak")

    needs_reasons = dec.kind in (DecisionKind.PARTIAL, DecisionKind.REJECTED)
    if needs_reasons and not dec.reason_codes and not dec.reason_text:
        add(Severity.ERROR, "decision.reason_codes",
            "a rejection or partial grant must give reasons (forvaltningsloven § 24)",
            "fill in Avslagsgrunner (reason codes) and/or Begrunnelse")

    if case.organisation.email is None:
        add(Severity.WARNING, "organisation.email", "no e-mail address for the organisation")
    if app.date_applied and app.date_applied > dec.date:
        add(Severity.WARNING, "application.date_applied",
            "the application is dated after the decision")
    if dec.approver is None:
        add(Severity.WARNING, "decision.approver",
            "no approver: the letter is signed by the caseworker alone")
    if dec.approver is not None and dec.approver == dec.caseworker:
        add(Severity.WARNING, "decision.approver",
            "the caseworker approved their own decision")
    if granting and dec.amount_granted % Decimal(1000) != 0:
        add(Severity.WARNING, "decision.amount_granted",
            f"{format_amount(dec.amount_granted)} is not a whole thousand kroner")
    return issues


def refuse_forbidden(case: Case, scheme: Scheme) -> None:
    """Raise :class:`CaseRefused` if ``case`` has any error under ``scheme``.

    The library's render functions call this first (unless ``check=False``), so a
    letter granting what the scheme forbids is never made by accident.
    """
    issues = check_case(case, scheme)
    if any(issue.is_error for issue in issues):
        raise CaseRefused(issues, case.reference)
