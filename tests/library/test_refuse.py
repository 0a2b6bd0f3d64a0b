"""The library refuses to render what the scheme forbids (issue 11)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from grantdocs import CaseRefused, load_scheme, read_cases, render_letter
from grantdocs.decide.repayment import repayment_claim
from grantdocs.errors import ExitCode, GrantdocsError
from grantdocs.model import Case
from grantdocs.render.document import DocumentRenderer
from grantdocs.reports import render_repayment_claim, render_report_template
from grantdocs.rules import check_case
from tests.conftest import SAMPLES


def _error_cases() -> list[Case]:
    """The sample sheet's records that read as a case but break a scheme rule."""
    scheme = load_scheme()
    found = []
    for record in read_cases(SAMPLES / "decisions-with-errors.csv"):
        if record.case is not None and any(i.is_error for i in check_case(record.case, scheme)):
            found.append(record.case)
    return found


ERROR_CASES = _error_cases()


def test_the_sample_sheet_has_rule_breaking_cases() -> None:
    assert len(ERROR_CASES) >= 2


@pytest.mark.parametrize("case", ERROR_CASES, ids=lambda c: c.reference)
def test_render_letter_refuses_each_sample_error_row(case: Case) -> None:
    expected = [i for i in check_case(case, load_scheme()) if i.is_error]
    for fmt in ("pdf", "docx", "html"):
        with pytest.raises(CaseRefused) as caught:
            render_letter(case, format=fmt)  # type: ignore[arg-type]
        refused = caught.value
        assert isinstance(refused, GrantdocsError)
        assert refused.exit_code == ExitCode.RECORDS_FAILED == 1
        assert [i for i in refused.issues if i.is_error] == expected
        for issue in refused.issues:
            assert issue.message in str(refused)
        assert case.reference in str(refused)


@pytest.mark.parametrize("case", ERROR_CASES, ids=lambda c: c.reference)
def test_the_other_render_functions_refuse_too(case: Case) -> None:
    renderer = DocumentRenderer()
    with pytest.raises(CaseRefused):
        render_report_template(case, renderer)
    if case.decision.amount_granted > 0:
        claim = repayment_claim(case, min(case.decision.amount_granted, Decimal(1000)),
                                received=dt.date(2023, 2, 20), claim_date=dt.date(2023, 3, 10),
                                account="12345678903")
        with pytest.raises(CaseRefused):
            render_repayment_claim(case, claim, "pdf", renderer)


def test_check_false_renders_what_the_scheme_forbids() -> None:
    case = ERROR_CASES[0]
    html = render_letter(case, format="html", check=False).decode("utf-8")
    assert case.reference in html or case.decision.case_number in html


def test_a_valid_case_still_renders() -> None:
    record = next(r for r in read_cases(SAMPLES / "decisions.json") if r.case is not None)
    assert record.case is not None
    assert render_letter(record.case, format="html").startswith(b"<!DOCTYPE")
