"""The control checklist and the auditor's procedures, from the sample return."""

from __future__ import annotations

import datetime as dt
import io
import re
from functools import cache

import pytest
from openpyxl import load_workbook

from grantdocs.decide.checklist import Status, build_audit_procedures, build_checklist
from grantdocs.documents import render_audit_procedures, render_checklist
from grantdocs.readers.accounts_return import read_accounts
from tests.helpers import pdftotext
from tests.workbooks import RETURN, sample_cases

RECEIVED = dt.date(2023, 2, 20)

# The sample checklist's PDFs are those the demo and tests/render/test_language_review.py read:
# rendered once per session (tests.helpers.pdf_renders_shared).
pytestmark = pytest.mark.usefixtures("shared_pdf_renders")


@cache
def _sample():  # type: ignore[no-untyped-def]
    case = next(c for c in sample_cases() if c.reference == "22/00133-5")
    return case, read_accounts(RETURN, case)


@pytest.fixture(scope="module")
def case_and_accounts():  # type: ignore[no-untyped-def]
    return _sample()


@cache
def checklist_pdf(lang: str) -> bytes:
    """The sample return's checklist as PDF, rendered once per test process (two tests)."""
    case, accounts = _sample()
    return render_checklist(build_checklist(case, accounts, RECEIVED, lang=lang), "pdf")


@cache
def procedures_pdf(lang: str) -> bytes:
    """The auditor's procedures for the sample return as PDF, rendered once (two tests)."""
    case, accounts = _sample()
    return render_audit_procedures(case, None, accounts, "pdf", lang=lang)


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
        # Aktiviteter unexplained; whether Tolketjenester' explanation holds is for a person
        "budget": [Status.DEVIATION, Status.MANUAL],
        "changes": [Status.MANUAL],
        "period": [Status.MANUAL],
        "condition": [Status.MANUAL, Status.MANUAL],  # the decision's own two conditions
        "unspent": [Status.DEVIATION],
        "auditor": [Status.MANUAL],  # the statement is there; a person judges it
        "readable": [Status.OK],
    }
    text = pdftotext(checklist_pdf(lang))
    flat = " ".join(text.split())
    assert "kr 29 000" in flat and "kr 256 000" in flat and "30,0 %" in flat
    assert "Manuell vurdering" in flat and "Avvik" in flat and "OK" in flat
    if lang == "nn":
        assert "Ubrukte midlar" in flat and "tilskudd" not in flat.lower()
    else:
        assert "Ubrukte midler" in flat
    wb = load_workbook(io.BytesIO(render_checklist(checklist, "xlsx")))
    cells = [str(c.value) for row in wb.active.iter_rows() for c in row if c.value]
    assert cells.count("Avvik") == 2 and cells.count("Manuell vurdering") == 8


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
    nn = " ".join(pdftotext(procedures_pdf("nn")).split())
    assert "prosjektrekneskapen" in nn
    assert load_workbook(io.BytesIO(render_audit_procedures(case, None, accounts, "xlsx")))


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_checklist_spelling(case_and_accounts, lang: str) -> None:  # type: ignore[no-untyped-def]
    """The checklist and the auditor's procedures pass hunspell for their written form.

    Apart from the grantee's own words (names, budget lines, comments), the decision's
    conditions as the caseworker wrote them, and the shared allow-list in tests/spelling/.
    """
    from tests.helpers import unknown_words

    case, accounts = case_and_accounts
    text = pdftotext(checklist_pdf(lang)) + pdftotext(procedures_pdf(lang))
    grantee_words = set(re.findall(r"\w+", " ".join([
        case.organisation.name, case.application.title, accounts.signed_by or "",
        accounts.auditor.name or "", accounts.auditor.firm or "",
        *(line.name for line in accounts.lines), *(line.comment or "" for line in accounts.lines),
        accounts.organisation or "", case.decision.caseworker, case.decision.approver or "",
        *case.decision.conditions])))
    assert unknown_words(text, lang) - grantee_words == set()


def _return_with_problems(case) -> bytes:  # type: ignore[no-untyped-def]
    """The sample return with an amount typed as words and a formula without a saved result."""
    wb = load_workbook(RETURN)
    ws = wb["Regnskap"]
    rows = [r for r in range(1, ws.max_row + 1)
            if ws.cell(row=r, column=1).value in ("Lønn og honorarer", "Leie av lokaler")]
    ws.cell(row=rows[0], column=3, value="ca. tusen")
    ws.cell(row=rows[1], column=3, value="=1+2")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_readback_notes_are_in_the_checklists_written_form(case_and_accounts,  # type: ignore[no-untyped-def]
                                                           lang: str) -> None:
    from tests.helpers import unknown_words

    case, _ = case_and_accounts
    accounts = read_accounts(_return_with_problems(case), case)
    assert [n.code for n in accounts.errors] == ["amount_unreadable", "formula_unsaved"]
    assert "is not an amount" in accounts.errors[0].message  # English for the terminal
    from grantdocs.accounts_model import READBACK_CODES

    for note in (*accounts.errors, *accounts.warnings):
        assert set(note.params) == set(READBACK_CODES[note.code])
    checklist = build_checklist(case, accounts, RECEIVED, lang=lang)
    assert statuses(checklist)["readable"] == [Status.DEVIATION]
    flat = " ".join(pdftotext(render_checklist(checklist, "pdf")).split())
    english = ("is not an amount", "holds a formula", "no actual amount", "counted as")
    assert not any(phrase in flat for phrase in english)
    cannot = {"nb": "«ca. tusen» kan ikke leses som et beløp",
              "nn": "«ca. tusen» kan ikkje lesast som eit beløp"}[lang]
    assert cannot in flat and "(=1+2)" in flat
    cells = [str(c.value) for row in load_workbook(io.BytesIO(render_checklist(checklist, "xlsx")))
             .active.iter_rows() for c in row if c.value]
    heading = {"nb": "Merknader fra innlesingen av regnskapet",
               "nn": "Merknader frå innlesinga av rekneskapen"}[lang]
    assert heading in cells and any(cannot in c for c in cells)
    notes = " ".join(checklist.notes)
    grantee = {"ca", "tusen", "Regnskap", "Lønn", "og", "honorarer", "Leie", "av", "lokaler"}
    assert unknown_words(re.sub(r"\w+!\w+", " ", notes), lang) - grantee == set()


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_every_readback_code_is_worded(lang: str) -> None:
    """Each code the reader gives has a text in checklist.toml using exactly its parameters."""
    from grantdocs.accounts_model import READBACK_CODES
    from grantdocs.render.labels import load_labels

    wording = load_labels("checklist.toml", lang)["readback"]
    assert set(wording) == set(READBACK_CODES)
    for code, params in READBACK_CODES.items():
        used = set(re.findall(r"{(\w+)}", wording[code]))
        assert used == set(params), code
