"""Decide what a document says: from a case, the scheme and the issuer to a template context.

The context holds the records as they are (templates format them with filters)
plus everything derived: the letter's language, the scheme's texts in that
language with their placeholders filled, the reasons with the criteria they
cite, whether an audit is required, the signers. No wording is made here:
the words live in ``templates/<lang>/``; the two that texts put together here
need (a signer's default title, the unit of amounts) come from ``<lang>/_words.html``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from grantdocs.formatting import format_amount
from grantdocs.model import Case, Language
from grantdocs.render.environment import words
from grantdocs.resources import TEMPLATES_DIR
from grantdocs.scheme import Issuer, Scheme, scheme_values


@dataclass(frozen=True)
class Signer:
    name: str
    title: str


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
    """The recipient's written form (språklova § 15), else the issuer's default."""
    lang = case.language or case.organisation.language or issuer.default_language
    return Language(lang).value


_TIE = re.compile(r"(§§?|kap\.|post|nr\.) (?=\d)")


def tie(text: str) -> str:
    """Keep "§ 28", "§§ 18 og 19", "kap. 671" and "post 71" on one line (non-breaking space)."""
    return _TIE.sub("\\1\u00a0", text)


def _fill(text: str, values: dict[str, str]) -> str:
    return tie(text.format_map(values))


def _signers(case: Case, issuer: Issuer, lang: str, default_title: str) -> list[Signer]:
    """Approver first (with the title the issuer profile gives them), then the caseworker."""
    titles = {s.name: s.title(lang) for s in issuer.signatories}
    signers: list[Signer] = []
    dec = case.decision
    if dec.approver:
        fallback = issuer.signatories[0].title(lang)
        signers.append(Signer(dec.approver, titles.get(dec.approver, fallback)))
    if dec.caseworker != dec.approver:
        signers.append(Signer(dec.caseworker, titles.get(dec.caseworker, default_title)))
    return signers


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

    reasons = []
    for code in dec.reason_codes:
        reason = scheme.reason(code)
        if reason is None:
            continue
        criterion = scheme.criteria(lang)[reason.criterion - 1] if reason.criterion else None
        reasons.append(ReasonText(code, _fill(reason.text(lang), values), criterion))

    sub_goals = []
    for code in app.sub_goals:
        goal = scheme.sub_goal(code)
        if goal is not None:
            sub_goals.append(SubGoalText(code, goal.text(lang), goal.target_groups(lang)))

    report_deadline = scheme.report_deadline(dec)
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
        "sub_goals": sub_goals,
        "signers": _signers(case, issuer, lang, plain.caseworker_title),
        "scheme": {
            "id": scheme.id,
            "year": scheme.year,
            "name": scheme.name(lang),
            "chapter": scheme.chapter,
            "post": scheme.post,
            "criteria": scheme.criteria(lang),
            "limits": scheme.limits,
            "use_of_funds": _fill(scheme.use_of_funds(lang), values),
            "control": _fill(scheme.control(lang), values),
            "breach": _fill(scheme.breach(lang), values),
            "accounts_law": _fill(scheme.reporting.accounts_law(lang), values),
            "audit_text": _fill(scheme.reporting.audit_text(lang), values),
        },
        "appeal": {
            "body": appeal_body,
            "weeks": appeal.deadline_weeks,
            "law": appeal.law(lang),
            "right_section": tie(appeal.right_section),
            "deadline_section": tie(appeal.deadline_section),
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
            "has_logo": issuer.logo_path() is not None,
        },
    }
