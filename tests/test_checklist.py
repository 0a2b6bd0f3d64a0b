"""The control checklist and the auditor's procedures, from the sample return."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook

from grantdocs.decide.checklist import Status, build_audit_procedures, build_checklist
from grantdocs.documents import render_audit_procedures, render_checklist
from grantdocs.readers.accounts_return import read_accounts
from tests.conftest import pdftotext
from tests.test_accounts import RETURN, sample_cases

RECEIVED = dt.date(2023, 2, 20)


@pytest.fixture(scope="module")
def case_and_accounts():  # type: ignore[no-untyped-def]
    case = next(c for c in sample_cases() if c.reference == "22/00133-5")
    return case, read_accounts(RETURN, case)


def statuses(checklist) -> dict[str, list[Status]]:  # type: ignore[no-untyped-def]
    out: dict[str, list[Status]] = {}
    for row in checklist.rows:
        out.setdefault(row.key, []).append(row.status)
    return out


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_sample_checklist_statuses(case_and_accounts, lang: str) -> None:  # type: ignore[no-untyped-def]
    case, accounts = case_and_accounts
    checklist = build_checklist(case, accounts, RECEIVED, lang=lang)
    assert statuses(checklist) == {
        "deadline": [Status.OK],
        "signed": [Status.MANUAL],
        "purpose": [Status.MANUAL],
        "financing": [Status.OK],
        "budget": [Status.DEVIATION, Status.OK],  # Aktiviteter unexplained, Tolketjenester ok
        "changes": [Status.MANUAL],
        "period": [Status.MANUAL],
        "unspent": [Status.DEVIATION],
        "auditor": [Status.OK],
        "readable": [Status.OK],
    }
    text = pdftotext(render_checklist(checklist, "pdf"))
    flat = " ".join(text.split())
    assert "kr 29 000" in flat and "kr 256 000" in flat and "30,0 %" in flat
    assert "Manuell vurdering" in flat and "Avvik" in flat and "OK" in flat
    if lang == "nn":
        assert "Ubrukte midlar" in flat and "tilskudd" not in flat.lower()
    else:
        assert "Ubrukte midler" in flat
    wb = load_workbook(io.BytesIO(render_checklist(checklist, "xlsx")))
    cells = [str(c.value) for row in wb.active.iter_rows() for c in row if c.value]
    assert cells.count("Avvik") == 2 and cells.count("Manuell vurdering") == 4


def test_late_report_and_missing_auditor(case_and_accounts) -> None:  # type: ignore[no-untyped-def]
    case, accounts = case_and_accounts
    late = build_checklist(case, accounts.model_copy(update={
        "auditor": accounts.auditor.model_copy(update={"date": None})}), dt.date(2023, 3, 11))
    s = statuses(late)
    assert s["deadline"] == [Status.DEVIATION] and s["auditor"] == [Status.DEVIATION]
    assert "10 dager for sent" in late.rows[0].figures
    assert "dato" in next(r for r in late.rows if r.key == "auditor").figures


def test_auditor_procedures(case_and_accounts) -> None:  # type: ignore[no-untyped-def]
    case, accounts = case_and_accounts
    procedures = build_audit_procedures(case, accounts=accounts)
    assert len(procedures.rows) == 6
    flat = " ".join(pdftotext(render_audit_procedures(case, None, accounts, "pdf")).split())
    assert "ISRS 4400" in flat and "kr 250 000" in flat and "kr 29 000" in flat
    nn = " ".join(pdftotext(render_audit_procedures(case, None, accounts, "pdf",
                                                    lang="nn")).split())
    assert "prosjektrekneskapen" in nn
    assert load_workbook(io.BytesIO(render_audit_procedures(case, None, accounts, "xlsx")))


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_checklist_spelling(case_and_accounts, lang: str) -> None:  # type: ignore[no-untyped-def]
    """The checklist and the auditor's procedures pass hunspell for their written form.

    Apart from the grantee's own words (names, budget lines, comments) and the
    shared allow-list in tests/spelling/.
    """
    from tests.test_spelling import unknown_words

    case, accounts = case_and_accounts
    text = pdftotext(render_checklist(build_checklist(case, accounts, RECEIVED, lang=lang), "pdf"))
    text += pdftotext(render_audit_procedures(case, None, accounts, "pdf", lang=lang))
    grantee_words = set(re.findall(r"\w+", " ".join([
        case.organisation.name, case.application.title, accounts.signed_by or "",
        accounts.auditor.name or "", accounts.auditor.firm or "",
        *(line.name for line in accounts.lines), *(line.comment or "" for line in accounts.lines),
        accounts.organisation or "", case.decision.caseworker, case.decision.approver or ""])))
    assert unknown_words(text, lang) - grantee_words == set()
