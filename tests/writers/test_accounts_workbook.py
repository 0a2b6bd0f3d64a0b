"""The accounts workbook as written: pre-filled values, language, protection, LibreOffice."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from grantdocs.accounts_model import IDS_SHEET
from grantdocs.model import Case
from grantdocs.readers.accounts_return import read_accounts
from grantdocs.writers.xlsx.accounts_workbook import write_accounts_workbook
from tests.helpers import SAMPLES, make_case, pdftotext
from tests.workbooks import RETURN, granted_samples, row_of


@pytest.mark.parametrize("case", granted_samples(), ids=lambda c: c.reference)
def test_sample_workbooks_prefilled_in_recipient_language(case: Case) -> None:
    data = write_accounts_workbook(case)
    assert data == write_accounts_workbook(case)  # deterministic bytes
    wb = load_workbook(io.BytesIO(data))
    lang = case.language
    ws = wb["Regnskap" if lang == "nb" else "Rekneskap"]
    assert wb[IDS_SHEET].sheet_state == "veryHidden"
    assert ws.protection.sheet and wb[IDS_SHEET].protection.sheet
    assert ws.cell(row=row_of(ws, "Saksnummer (vår referanse)"), column=2).value == case.reference
    grant_label = "Innvilget tilskudd" if lang == "nb" else "Innvilga tilskot"
    assert ws.cell(row=row_of(ws, grant_label), column=2).value == case.decision.amount_granted
    assert ws.cell(row=row_of(ws, "Organisasjon"), column=2).value == case.organisation.name
    first = "Lønn og honorarer" if lang == "nb" else "Løn og honorar"
    row = row_of(ws, first)
    assert ws.cell(row=row, column=2).protection.locked is False  # no budget lines: input
    assert ws.cell(row=row, column=4).value.startswith("=")
    assert ws.cell(row=row, column=3).protection.locked is False
    assert ws.cell(row=row, column=1).protection.locked is not False
    required = "Påkrevd" if lang == "nb" else "Påkravd"
    texts = [str(c.value) for r in ws.iter_rows() for c in r if c.value]
    assert any(t.startswith(required) for t in texts) == (case.decision.amount_granted >= 100_000)
    if lang == "nn":
        assert "Sum kostnader" in texts and "Ubrukte midlar som skal betalast tilbake" in texts
        assert not any("tilskudd" in t.lower() for t in texts)
    assert int(ws.page_setup.paperSize) == 9  # A4
    accounts = read_accounts(data, case)
    assert accounts.unspent == case.decision.amount_granted
    assert accounts.total_actual == 0


def test_budget_lines_prefilled_and_locked() -> None:
    case = make_case(application={"budget_lines": [
        {"name": "Lønn", "amount": "300000"}, {"name": "Husleie", "amount": "150000"}]})
    wb = load_workbook(io.BytesIO(write_accounts_workbook(case)))
    ws = wb["Regnskap"]
    row = row_of(ws, "Lønn")
    assert ws.cell(row=row, column=2).value == 300000
    assert ws.cell(row=row, column=2).protection.locked
    assert ws.cell(row=row_of(ws, "Husleie"), column=2).value == 150000


def test_hostile_text_is_literal() -> None:
    case = make_case(organisation={"name": "=SUM(A1) <script>alert(1)</script>"})
    wb = load_workbook(io.BytesIO(write_accounts_workbook(case)))
    cell = wb["Regnskap"].cell(row=row_of(wb["Regnskap"], "Organisasjon"), column=2)
    assert cell.data_type == "s"
    assert cell.value == "=SUM(A1) <script>alert(1)</script>"
    assert read_accounts(write_accounts_workbook(case)).organisation == cell.value


@pytest.mark.slow
@pytest.mark.parametrize("name", ["accounts-nb.xlsx", "accounts-nn.xlsx", "accounts-filled.xlsx"])
def test_libreoffice_converts_workbook(libreoffice_pdfs: dict[str, Path], name: str) -> None:
    """LibreOffice opens the blank workbooks and the filled-in sample (the session's run)."""
    text = pdftotext(libreoffice_pdfs[name].read_bytes())
    organisation = "Åpen dør" if name == "accounts-filled.xlsx" else "Sámi Searvi Ŋuvttat"
    assert organisation in text


def test_sample_is_up_to_date() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_return_sample", SAMPLES.parent / "tools" / "make_return_sample.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build()[RETURN.name] == RETURN.read_bytes()
