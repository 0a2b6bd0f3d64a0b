"""Check a case against the scheme's rules.

The scheme's limits govern what may be *granted*. Granting what the scheme
forbids is an error; rejecting such an application is exactly right and its
letter must be produced. Whatever merely looks odd is a warning, shown before
letters go out.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from grantdocs import messages as M
from grantdocs.errors import CaseRefused, Issue, Location, Severity, issue
from grantdocs.formatting import format_amount
from grantdocs.messages import Text
from grantdocs.model import ApplicationKind, Case, DecisionKind
from grantdocs.scheme import Issuer, Scheme

Locate = Callable[[str], Location]


def _default_locate(path: str) -> Location:
    return Location(field=path)


def check_case(case: Case, scheme: Scheme, locate: Locate = _default_locate) -> list[Issue]:
    """Return the errors and warnings for one case under ``scheme``."""
    issues: list[Issue] = []
    ref = case.decision.case_number

    def add(severity: Severity, path: str, text: Text) -> None:
        issues.append(issue(severity, text, locate(path), reference=ref))

    def column(path: str) -> str:
        """The column of ``path`` as the sheet writes it, for the hints."""
        return locate(path).field or path

    error, warning = Severity.ERROR, Severity.WARNING
    app, dec = case.application, case.decision
    granting = dec.kind in (DecisionKind.GRANTED, DecisionKind.PARTIAL)
    limits = scheme.limits
    granted, requested = format_amount(dec.amount_granted), format_amount(app.amount_requested)

    for code in app.sub_goals:
        if scheme.sub_goal(code) is None:
            known = ", ".join(g.code for g in scheme.sub_goals)
            add(error, "application.sub_goals",
                M.SUB_GOAL_UNKNOWN(code=repr(code), scheme=scheme.id, known=known))
    for code in dec.reason_codes:
        if scheme.reason(code) is None:
            known = ", ".join(r.code for r in scheme.reasons)
            add(error, "decision.reason_codes", M.REASON_UNKNOWN(code=repr(code), known=known))

    if granting:
        if dec.amount_granted <= 0:
            add(error, "decision.amount_granted",
                M.GRANT_NOT_ABOVE_ZERO(column=column("decision.amount_granted")))
        if dec.amount_granted > app.amount_requested:
            add(error, "decision.amount_granted",
                M.GRANT_OVER_REQUESTED(granted=granted, requested=requested))
        if app.kind is ApplicationKind.MEASURE and dec.amount_granted < limits.measure_min:
            add(error, "decision.amount_granted",
                M.MEASURE_UNDER_MIN(minimum=format_amount(limits.measure_min)))
        if app.kind is ApplicationKind.PROJECT:
            if app.annual_budget is not None and app.annual_budget > limits.project_budget_max:
                add(error, "application.annual_budget",
                    M.BUDGET_OVER_MAX(budget=format_amount(app.annual_budget),
                                      maximum=format_amount(limits.project_budget_max)))
            if app.annual_budget is None:
                add(warning, "application.annual_budget", M.NO_BUDGET())
        if not app.sub_goals:
            add(error, "application.sub_goals",
                M.NO_SUB_GOAL(column=column("application.sub_goals")))
        if case.organisation.bank_account is None:
            add(error, "organisation.bank_account",
                M.NO_ACCOUNT(column=column("organisation.bank_account")))
        if dec.payment_date is not None and dec.payment_date < dec.date:
            add(warning, "decision.payment_date", M.PAYMENT_BEFORE_DECISION())
        if dec.report_deadline is not None and dec.report_deadline <= dec.date:
            add(error, "decision.report_deadline",
                M.DEADLINE_NOT_AFTER_DECISION(column=column("decision.report_deadline")))
        if app.period_end and dec.report_deadline and dec.report_deadline < app.period_end:
            add(warning, "decision.report_deadline", M.REPORT_BEFORE_PERIOD_END())
        if app.kind is ApplicationKind.PROJECT and dec.amount_granted < limits.measure_min:
            add(warning, "decision.amount_granted",
                M.PROJECT_UNDER_MIN(minimum=format_amount(limits.measure_min)))

    kind, reasons = column("decision.kind"), column("decision.reason_codes")
    if dec.kind is DecisionKind.PARTIAL and dec.amount_granted >= app.amount_requested > 0:
        add(warning, "decision.kind",
            M.PARTIAL_OF_FULL(column=column("decision.amount_granted")))
    if dec.kind is DecisionKind.GRANTED and dec.amount_granted < app.amount_requested:
        add(error, "decision.kind",
            M.GRANTED_IS_PARTIAL(granted=granted, requested=requested, kind=kind,
                                 reasons=reasons, text=column("decision.reason_text")))
    if dec.kind is DecisionKind.REJECTED and dec.amount_granted > 0:
        add(error, "decision.amount_granted",
            M.REJECTION_GRANTS(column=column("decision.amount_granted"), kind=kind))

    needs_reasons = dec.kind in (DecisionKind.PARTIAL, DecisionKind.REJECTED)
    if needs_reasons and not dec.reason_codes and not dec.reason_text:
        add(error, "decision.reason_codes",
            M.NO_REASONS(reasons=reasons, text=column("decision.reason_text")))

    if needs_reasons and len(dec.reason_codes) == 1 and not dec.reason_text:
        only = scheme.reason(dec.reason_codes[0])
        if only is not None and only.needs_case_text:
            add(warning, "decision.reason_text",
                M.THIN_REASON(code=only.code, text=column("decision.reason_text")))

    if case.organisation.email is None:
        add(warning, "organisation.email", M.NO_EMAIL())
    if app.date_applied and app.date_applied > dec.date:
        add(warning, "application.date_applied", M.APPLIED_AFTER_DECISION())
    if dec.approver is None:
        add(warning, "decision.approver", M.NO_APPROVER())
    if dec.approver is not None and dec.approver == dec.caseworker:
        add(warning, "decision.approver", M.SELF_APPROVED())
    if granting and dec.amount_granted % Decimal(1000) != 0:
        add(warning, "decision.amount_granted", M.NOT_WHOLE_THOUSAND(amount=granted))
    return issues


def refuse_forbidden(case: Case, scheme: Scheme) -> None:
    """Raise :class:`CaseRefused` if ``case`` has any error under ``scheme``.

    The library's render functions call this first (unless ``check=False``), so a
    letter granting what the scheme forbids is never made by accident.
    """
    issues = check_case(case, scheme)
    if any(issue.is_error for issue in issues):
        raise CaseRefused(issues, case.reference)


def check_signers(case: Case, issuer: Issuer, locate: Locate = _default_locate) -> list[Issue]:
    """Warnings about who signs ``case`` under ``issuer``'s profile.

    An approver the profile does not list is printed without a title, never with
    somebody else's; the caseworker needs no listing.
    """
    approver = case.decision.approver
    if approver is None or issuer.signatory_title(approver, "nb") is not None:
        return []
    known = ", ".join(s.name for s in issuer.signatories)
    return [Issue(Severity.WARNING,
                  f"the approver {approver!r} is not among the signatories of the issuer "
                  f"profile {issuer.id!r} ({known}); the letter prints the name without a title",
                  locate("decision.approver"),
                  "add them to [[signatories]] in the profile, with their title",
                  case.decision.case_number)]
