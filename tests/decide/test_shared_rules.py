"""The rules and shapes that letters, workbooks and checklists share, each with one home."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from grantdocs.formatting import format_amount, format_period
from grantdocs.model import Language
from grantdocs.scheme import load_issuer, load_scheme, scheme_values
from tests.helpers import make_case


def test_language_tag_is_bcp47() -> None:
    assert Language.NB.tag == "nb-NO" and Language("nn").tag == "nn-NO"


def test_report_deadline_is_the_decisions_own_else_the_schemes_default() -> None:
    scheme = load_scheme()
    case = make_case()
    assert case.decision.report_deadline is None
    default = scheme.report_deadline(case.decision)
    assert default == scheme.default_report_deadline(case.decision.date)
    assert default.year == max(scheme.year, case.decision.date.year) + 1
    own = make_case(decision={"report_deadline": "2023-05-02"})
    assert scheme.report_deadline(own.decision) == dt.date(2023, 5, 2)


def test_audit_required_at_the_threshold_and_above() -> None:
    scheme = load_scheme()
    threshold = scheme.limits.audit_threshold
    assert scheme.audit_required(threshold)
    assert scheme.audit_required(threshold + 1)
    assert not scheme.audit_required(threshold - Decimal("0.01"))


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_scheme_values_one_vocabulary(lang: str) -> None:
    scheme, issuer = load_scheme(), load_issuer()
    values = scheme_values(scheme, issuer, lang)
    # every placeholder a scheme text may use (the scheme's file checks against this list)
    from grantdocs.placeholders import PLACEHOLDERS

    assert set(values) == set(PLACEHOLDERS) == {
        "issuer", "scheme", "year", "chapter", "post", "measure_min", "project_budget_max",
        "audit_threshold", "deviation_explain_pct", "application_deadline"}
    assert values["application_deadline"] == "31. januar 2022"
    assert values["audit_threshold"] == format_amount(scheme.limits.audit_threshold)
    assert values["deviation_explain_pct"] == "15\u00a0%"
    assert values["issuer"] == issuer.short_name(lang)
    words = scheme_values(scheme, issuer, lang, amount=lambda a: f"{int(a)} kroner")
    assert words["audit_threshold"] == f"{int(scheme.limits.audit_threshold)} kroner"


def test_format_period() -> None:
    assert format_period(dt.date(2022, 1, 1), dt.date(2022, 12, 31)) == "01.01.2022–31.12.2022"
    assert format_period(None, dt.date(2022, 12, 31)) == "–"
    assert format_period(dt.date(2022, 1, 1), None) == "–"


def test_signed_amount_puts_the_minus_first() -> None:
    assert format_amount(Decimal(-1200), signed=True) == "\u2212kr\u00a01\u00a0200"
    assert format_amount(Decimal(-1200)) == "kr\u00a0\u22121\u00a0200"
    assert format_amount(Decimal(1200), signed=True) == format_amount(Decimal(1200))
    assert format_amount(Decimal("-0.5"), "suffix", signed=True) == "\u22120,50\u00a0kr"
