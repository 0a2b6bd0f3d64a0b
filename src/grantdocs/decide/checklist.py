"""Decide the caseworker's control checklist and the auditor's procedures for a returned report.

One source of truth: :func:`build_checklist` computes the rows (check, rule,
status, figures), and the same rows are rendered as HTML
(:mod:`grantdocs.render.checklist`, then PDF/A) and written as XLSX
(:mod:`grantdocs.writers.xlsx.checklist`); :func:`grantdocs.documents.render_checklist`
gives the bytes of either. The wording comes from ``templates/<lang>/checklist.toml``.

Automatic checks: arrival by the deadline, unexplained budget deviations above
``scheme.limits.deviation_explain_pct``, total financing shown, a missing auditor's
statement when the grant is at or above ``scheme.limits.audit_threshold``, the
unspent amount, and whether the workbook read back without errors. Signature,
goal attainment, advance approval of changes, the cost period, each condition the
decision set, whether a deviation's explanation is acceptable and whether the
auditor's statement holds are for the caseworker to judge ("Manuell vurdering").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from grantdocs.accounts_model import AccountsReturn
from grantdocs.formatting import (
    format_amount,
    format_date_short,
    format_orgnr,
    format_percent,
    format_period,
)
from grantdocs.model import Case
from grantdocs.render.labels import load_labels
from grantdocs.resources import TEMPLATES_DIR
from grantdocs.scheme import Issuer, Scheme, load_issuer, load_scheme, scheme_values


class Status(StrEnum):
    OK = "ok"
    DEVIATION = "deviation"
    MANUAL = "manual"


@dataclass(frozen=True)
class CheckRow:
    key: str
    check: str
    rule: str
    status: Status
    status_label: str
    figures: str
    comment: str = ""


@dataclass(frozen=True)
class Checklist:
    """A rendered-ready control checklist (or the auditor's procedures: ``kind="audit"``)."""

    kind: Literal["control", "audit"]
    lang: str
    title: str
    reference: str
    organisation: str
    facts: tuple[tuple[str, str], ...]
    rows: tuple[CheckRow, ...]
    columns: dict[str, str]
    notes: tuple[str, ...]
    intro: str
    created: dt.date
    templates: tuple[Path, ...] = (TEMPLATES_DIR,)
    notes_heading: str = ""  # over the notes: "Merknader fra innlesingen av regnskapet"


def _amount(value: Decimal | None, not_filled: str) -> str:
    return format_amount(value) if value is not None else not_filled


def _period(case: Case) -> str:
    return format_period(case.application.period_start, case.application.period_end)


def readback_notes(accounts: AccountsReturn, labels: dict[str, Any]) -> tuple[str, ...]:
    """The read-back problems (errors first) in the checklist's written form.

    The reader gives each as a code and its parameters; the wording is the
    ``[readback]`` table of ``checklist.toml``.
    """
    wording = labels["readback"]
    return tuple(str(wording[note.code]).format_map(note.params)
                 for note in (*accounts.errors, *accounts.warnings))


def _facts(case: Case, accounts: AccountsReturn | None, scheme: Scheme, lang: str,
           labels: dict[str, Any], extra: Sequence[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    f = labels["facts"]
    dec = case.decision
    facts = [
        (f["reference"], case.reference),
        (f["organisation"], case.organisation.name),
        (f["org_number"], format_orgnr(case.organisation.org_number)),
        (f["project"], case.application.title),
        (f["scheme"], f"{scheme.name(lang)} ({scheme.year}), kap.\u00a0{scheme.chapter}, "
                      f"post\u00a0{scheme.post}"),
        (f["grant"], format_amount(dec.amount_granted)),
        (f["decision_date"], format_date_short(dec.date)),
        (f["period"], _period(case)),
        *extra,
    ]
    if accounts is not None:
        nf = labels["text"]["not_filled"]
        facts += [
            (f["total_budget"], format_amount(accounts.total_budget)),
            (f["total_actual"], format_amount(accounts.total_actual)),
            (f["other_income"], _amount(accounts.other_income, nf)),
            (f["own_contribution"], _amount(accounts.own_contribution, nf)),
            (f["grant_funded"], format_amount(accounts.grant_funded)),
            (f["unspent"], format_amount(accounts.unspent)),
        ]
    return facts


def build_checklist(
    case: Case,
    accounts: AccountsReturn,
    received: dt.date,
    scheme: Scheme | None = None,
    *,
    lang: str | None = None,
    issuer: Issuer | None = None,
    templates: Sequence[Path] = (TEMPLATES_DIR,),
) -> Checklist:
    """The control checklist for ``case`` from its returned ``accounts`` received on ``received``.

    The checklist is for the issuer's own use, so it is in the issuer's own written
    form (``issuer.default_language``) unless ``lang`` is given.
    """
    scheme = scheme or load_scheme()
    issuer = issuer or load_issuer()
    lang = lang or issuer.internal_language
    labels = load_labels("checklist.toml", lang, templates)
    checks, status_labels, text = labels["checks"], labels["status"], labels["text"]
    nf = text["not_filled"]
    dec = case.decision
    pct = scheme.limits.deviation_explain_pct
    values = scheme_values(scheme, issuer, lang)
    rows: list[CheckRow] = []

    def add(key: str, status: Status, figures: str, check: str | None = None) -> None:
        # ``check`` and ``figures`` are finished text that may hold the grantee's words:
        # only the wording from checklist.toml is ever a format string, and only once.
        c = checks[key]
        rows.append(CheckRow(key, check if check is not None else c["check"].format_map(values),
                             c["rule"].format_map(values), status, status_labels[status.value],
                             figures))

    # 1. arrived by the deadline
    deadline = scheme.report_deadline(dec)
    figures = checks["deadline"]["figures"].format(deadline=format_date_short(deadline),
                                                   received=format_date_short(received))
    late = (received - deadline).days
    if late > 0:
        figures += "; " + checks["deadline"]["late"].format(days=late)
    add("deadline", Status.OK if late <= 0 else Status.DEVIATION, figures)

    # 2. signed (manual; the workbook's signature fields are shown)
    add("signed", Status.MANUAL, checks["signed"]["figures"].format(
        name=accounts.signed_by or nf,
        date=format_date_short(accounts.signed_date) if accounts.signed_date else nf))

    # 3. purpose fulfilled (manual)
    add("purpose", Status.MANUAL, checks["purpose"]["figures"].format(
        goals=", ".join(case.application.sub_goals) or "–"))

    # 4. total financing shown
    shown = accounts.other_income is not None and accounts.own_contribution is not None
    add("financing", Status.OK if shown else Status.DEVIATION,
        checks["financing"]["figures"].format(
            total=format_amount(accounts.total_actual), grant=format_amount(accounts.grant),
            other=_amount(accounts.other_income, nf), own=_amount(accounts.own_contribution, nf)))

    # 5. budget deviations above the threshold explained: one row per such line
    budget = checks["budget"]
    over = [line for line in accounts.lines if line.exceeds(pct)]
    for line in over:
        figures = budget["line"].format(
            name=line.name, budget=format_amount(line.budget),
            actual=_amount(line.actual, nf),
            deviation=format_amount(line.deviation),  # "kr −20 000"
            deviation_pct=format_percent(line.deviation_pct, 1, ratio=False)
            if line.deviation_pct is not None else "–")
        explained = bool(line.comment)
        figures += ". " + (budget["explained"].format(comment=line.comment) if explained
                           else budget["unexplained"])
        # whether an explanation is acceptable is for a person to judge
        add("budget", Status.MANUAL if explained else Status.DEVIATION, figures,
            check=budget["check_line"].format_map({**values, "name": line.name}))
    if not over:
        add("budget", Status.OK, budget["none"].format(
            **values, budget=format_amount(accounts.total_budget),
            actual=format_amount(accounts.total_actual)))

    # 6. changes approved in advance, 7. costs inside the period (manual)
    add("changes", Status.MANUAL, checks["changes"]["figures"])
    add("period", Status.MANUAL, checks["period"]["figures"].format(period=_period(case)))
    # the decision's own conditions, one manual row each
    for condition in dec.conditions:
        add("condition", Status.MANUAL, checks["condition"]["figures"],
            check=checks["condition"]["check"].format_map({**values, "condition": condition}))

    # 8. unspent funds
    u = checks["unspent"]
    figures = u["figures"].format(grant=format_amount(accounts.grant),
                                  funded=format_amount(accounts.grant_funded),
                                  unspent=format_amount(accounts.unspent))
    if accounts.unspent > 0:
        figures += ". " + u["claim"]
    add("unspent", Status.OK if accounts.unspent == 0 else Status.DEVIATION, figures)

    # 9. auditor's statement
    a = checks["auditor"]
    aud = accounts.auditor
    if not scheme.audit_required(dec.amount_granted):
        add("auditor", Status.OK, a["not_required"].format_map(values))
    elif aud.complete:  # whether the statement holds is for a person to judge
        assert aud.date is not None
        figures = a["present"].format(name=aud.name, firm=aud.firm, kind=aud.kind,
                                      date=format_date_short(aud.date))
        if accounts.signed_date is not None and aud.date < accounts.signed_date:
            figures += ". " + a["before_signed"].format(
                date=format_date_short(aud.date), signed=format_date_short(accounts.signed_date))
        add("auditor", Status.MANUAL, figures)
    else:
        fields = ", ".join(labels["auditor_fields"][k] for k in aud.missing())
        add("auditor", Status.DEVIATION, a["missing"].format(fields=fields))

    # 10. the workbook read back without errors
    add("readable", Status.OK if not accounts.errors else Status.DEVIATION,
        checks["readable"]["figures"].format(count=len(accounts.errors)))

    f = labels["facts"]
    extra = [(f["deadline"], format_date_short(deadline)),
             (f["received"], format_date_short(received))]
    return Checklist(
        kind="control", lang=lang, title=labels["title"], reference=case.reference,
        organisation=case.organisation.name,
        facts=tuple(_facts(case, accounts, scheme, lang, labels, extra)), rows=tuple(rows),
        columns=dict(labels["columns"]),
        notes=readback_notes(accounts, labels), intro=text["manual_note"],
        created=received, templates=tuple(templates), notes_heading=text["readback_note"])


def build_audit_procedures(
    case: Case,
    scheme: Scheme | None = None,
    accounts: AccountsReturn | None = None,
    *,
    lang: str | None = None,
    issuer: Issuer | None = None,
    templates: Sequence[Path] = (TEMPLATES_DIR,),
) -> Checklist:
    """The auditor's variant: the scheme's procedures (``scheme.audit``), with the figures."""
    from grantdocs.render.context import letter_language

    scheme = scheme or load_scheme()
    issuer = issuer or load_issuer()
    lang = lang or (accounts.lang if accounts else letter_language(case, issuer))
    labels = load_labels("checklist.toml", lang, templates)
    text = labels["text"]
    standard = scheme.audit.standard
    rows = tuple(
        CheckRow(f"procedure-{n}", procedure, standard, Status.MANUAL, "", "")
        for n, procedure in enumerate(scheme.audit.procedures(lang), start=1)
    )
    notes: tuple[str, ...] = ()
    if not scheme.audit_required(case.decision.amount_granted):
        notes = (text["audit_not_required"].format_map(scheme_values(scheme, issuer, lang)),)
    extra = [(labels["facts"]["standard"], standard)]
    return Checklist(
        kind="audit", lang=lang, title=labels["audit_title"], reference=case.reference,
        organisation=case.organisation.name,
        facts=tuple(_facts(case, accounts, scheme, lang, labels, extra)), rows=rows,
        columns=dict(labels["columns"]), notes=notes,
        intro=text["audit_intro"].format(standard=standard), created=case.decision.date,
        templates=tuple(templates))
