"""Decide what a document says: from a case, the scheme and the issuer to a template context.

The context holds the records as they are (templates format them with filters)
plus everything derived: the letter's language, the scheme's texts in that
language with their placeholders filled, the reasons with the criteria they
cite, whether an audit is required, the signers. No wording is made here:
the words live in ``templates/<lang>/``; the two that texts put together here
need (a signer's default title, the unit of amounts) come from ``<lang>/_words.html``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from grantdocs.formatting import format_amount
from grantdocs.model import Case, DecisionKind, Language
from grantdocs.render.environment import words
from grantdocs.resources import TEMPLATES_DIR
from grantdocs.scheme import Issuer, Scheme, scheme_values


@dataclass(frozen=True)
class Signer:
    name: str
    title: str  # "" for an approver the issuer profile does not know


@dataclass(frozen=True)
class Contact:
    """The caseworker in the reference block: the input's direct contact, else the profile's."""

    name: str
    phone: str | None
    email: str | None


@dataclass(frozen=True)
class ReasonText:
    code: str
    text: str
    criterion: str | None


@dataclass(frozen=True)
class SubGoalText:
    code: str
    text: str
    target_groups: str


def letter_language(case: Case, issuer: Issuer) -> str:
    """The written form of a letter: the issuer's language policy (its profile) decides.

    ``recipient`` (state bodies, språklova § 15): the record's Målform, else the
    organisation's preference, else the issuer's default; ``own``: always the
    issuer's own written form.
    """
    return issuer.letter_language(case.language or case.organisation.language)


_TIE = re.compile(r"(§§?|kap\.|post|nr\.) (?=\d)")


def tie(text: str) -> str:
    """Keep "§ 28", "§§ 18 og 19", "kap. 671" and "post 71" on one line (non-breaking space)."""
    return _TIE.sub("\\1\u00a0", text)


def _fill(text: str, values: dict[str, str]) -> str:
    return tie(text.format_map(values))


def _signers(case: Case, issuer: Issuer, lang: str, default_title: str) -> list[Signer]:
    """Approver first, then the caseworker, each with the title the issuer profile gives them.

    An approver the profile does not know is printed without a title (never with
    somebody else's; the check warns about it); a caseworker gets ``default_title``.
    """
    signers: list[Signer] = []
    dec = case.decision
    if dec.approver:
        signers.append(Signer(dec.approver, issuer.signatory_title(dec.approver, lang) or ""))
    if dec.caseworker != dec.approver:
        title = issuer.signatory_title(dec.caseworker, lang) or default_title
        signers.append(Signer(dec.caseworker, title))
    return signers


def caseworker_contact(case: Case, issuer: Issuer) -> Contact:
    """The caseworker's direct phone and e-mail: the record's, else the issuer profile's."""
    dec = case.decision
    known = issuer.caseworker(dec.caseworker)
    return Contact(dec.caseworker,
                   dec.caseworker_phone or (known.phone if known else None),
                   dec.caseworker_email or (known.email if known else None))


def build_letter_context(
    case: Case, scheme: Scheme, issuer: Issuer, *, lang: str | None = None,
    templates: Sequence[Path] = (TEMPLATES_DIR,),
) -> dict[str, Any]:
    """Everything a letter template may use. Every key is always present, and read by some
    letter template (tests/test_wording.py keeps it so).

    ``templates`` is the search path, override folder first, whose ``<lang>/_words.html``
    gives the words put together here.
    """
    lang = lang or letter_language(case, issuer)
    plain = words(lang, templates)

    def running_text(value: Decimal) -> str:  # "200 000 kroner", in the letters' sentences
        return f"{format_amount(value, 'plain')}\u00a0{plain.amount_unit}"

    values = scheme_values(scheme, issuer, lang, amount=running_text)
    app, dec, org = case.application, case.decision, case.organisation

    partial = dec.kind is DecisionKind.PARTIAL
    reasons, assessed = [], True
    for code in dec.reason_codes:
        reason = scheme.reason(code)
        if reason is None:
            continue
        criterion = scheme.criteria(lang)[reason.criterion - 1] if reason.criterion else None
        text = reason.partial if partial and reason.partial else reason.text
        reasons.append(ReasonText(code, _fill(text(lang), values), criterion))
        assessed = assessed and reason.assessed
    # the acceptance form is due some weeks after the decision; payment follows it
    accept_by = dec.date + dt.timedelta(weeks=scheme.acceptance_weeks)

    sub_goals = []
    for code in app.sub_goals:
        goal = scheme.sub_goal(code)
        if goal is not None:
            sub_goals.append(SubGoalText(code, goal.text(lang), goal.target_groups(lang)))

    report_deadline = scheme.report_deadline(dec)
    image = issuer.logo_image()
    logo = None if image is None else {
        "uri": image.path.as_uri(), "width_mm": image.width_mm, "height_mm": image.height_mm}
    appeal = scheme.appeal
    appeal_body = (issuer.appeal_body or appeal.body)(lang)

    return {
        "lang": lang,
        "lang_tag": Language(lang).tag,
        "organisation": org,
        "application": app,
        "decision": dec,
        "is_project": app.kind.value == "project",
        "amount_refused": max(app.amount_requested - dec.amount_granted, 0),
        "audit_required": scheme.audit_required(dec.amount_granted),
        "report_deadline": report_deadline,
        "reasons": reasons,
        # False when a reason says the application was not assessed (late, not eligible)
        "assessed": assessed,
        "is_partial": partial,
        "acceptance_deadline": accept_by,
        # pay by the decision's payment date, or only once the acceptance has come
        "pay_by_date": dec.payment_date is not None and dec.payment_date >= accept_by,
        "sub_goals": sub_goals,
        "signers": _signers(case, issuer, lang, plain.caseworker_title),
        "caseworker": caseworker_contact(case, issuer),
        "scheme": {
            "id": scheme.id,
            "year": scheme.year,
            "name": scheme.name(lang),
            "chapter": scheme.chapter,
            "post": scheme.post,
            "criteria": scheme.criteria(lang),
            "limits": scheme.limits,
            "rules": _fill(scheme.rules(lang), values),
            "use_of_funds": _fill(scheme.use_of_funds(lang), values),
            "unspent": _fill(scheme.unspent.rule(lang), values),
            "claim_basis": _fill(scheme.unspent.claim_basis(lang), values),
            "interest_law": scheme.unspent.interest_law(lang),
            "control": _fill(scheme.control(lang), values),
            "breach": _fill(scheme.breach(lang), values),
            "accounts_law": _fill(scheme.reporting.accounts_law(lang), values),
            "audit_text": _fill(scheme.reporting.audit_text(lang), values),
        },
        "appeal": {
            "body": appeal_body,
            "weeks": appeal.deadline_weeks,
            "law": appeal.law(lang),
            "right_section": tie(issuer.appeal_section or appeal.right_section),
            "deadline_section": tie(appeal.deadline_section),
            "posting_section": tie(appeal.posting_section),
            "notice_section": tie(appeal.notice_section),
            "postpone_section": tie(appeal.postpone_section),
            "form_section": tie(appeal.form_section),
            "reasons_section": tie(appeal.reasons_section),
            "information_section": tie(appeal.information_section),
            "access_sections": tie(appeal.access_sections),
        },
        "issuer": {
            "name": issuer.name(lang),
            "short_name": issuer.short_name(lang),
            "unit": issuer.unit(lang) if issuer.unit else None,
            "org_number": issuer.org_number,
            "address": issuer.address,
            "postcode": issuer.postcode,
            "city": issuer.city,
            "phone": issuer.phone,
            "email": issuer.email,
            "web": issuer.web,
            "has_logo": logo is not None,
            "logo": logo,
        },
    }
