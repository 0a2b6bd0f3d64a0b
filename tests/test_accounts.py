"""The accounts workbook: pre-filled values, language, protection, reading back, refusals."""

from __future__ import annotations

import io
import json
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from grantdocs.accounts_model import IDS_SHEET
from grantdocs.errors import AccountsError
from grantdocs.model import Case
from grantdocs.readers.accounts_return import read_accounts
from grantdocs.writers.xlsx.accounts_workbook import write_accounts_workbook
from tests.conftest import SAMPLES, make_case, require_tool

RETURN = SAMPLES / "returns" / "22-00133-5_Apen-dor-regnskap.xlsx"


def sample_cases() -> list[Case]:
    doc = json.loads((SAMPLES / "decisions.json").read_text("utf-8"))
    return [Case.model_validate(c) for c in doc["cases"]]


def granted_samples() -> list[Case]:
    return [c for c in sample_cases() if c.decision.kind.value != "rejected"]


def row_of(ws, label: str) -> int:  # type: ignore[no-untyped-def]
    for row in range(1, ws.max_row + 1):
        if ws.cell(row=row, column=1).value == label:
            return row
    raise KeyError(label)


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


def fill(data: bytes) -> bytes:
    """Fill a fresh nb workbook as a grantee would, text amounts and an inserted row included."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Regnskap"]
    values = {"Lønn og honorarer": (100_000, "kr 95 000", None),
              "Leie av lokaler": (50_000, "70 000,-", "Større lokale, godkjent 01.06.2022"),
              "Reise": (20_000, 10_000, None)}
    for name, (budget, actual, comment) in values.items():
        row = row_of(ws, name)
        ws.cell(row=row, column=2, value=budget)
        ws.cell(row=row, column=3, value=actual)
        ws.cell(row=row, column=6, value=comment)
    at = row_of(ws, "Reise")
    ws.insert_rows(at)
    ws.cell(row=at, column=1, value="Kurs")
    ws.cell(row=at, column=3, value="12 500 kr")
    total = row_of(ws, "Sum kostnader")
    ws.cell(row=total, column=3, value=1)  # typed over a formula: must be ignored
    ws.cell(row=row_of(ws, "Andre inntekter (andre tilskudd, salg, deltakeravgift)"),
            column=3, value="kr 30 000")
    ws.cell(row=row_of(ws, "Egeninnsats og egne midler"), column=3, value=7_500)
    ws.cell(row=row_of(ws, "Revisorens navn"), column=2, value="Kari Nilsen")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_filled_workbook_reads_back() -> None:
    case = make_case(granted=200_000)
    accounts = read_accounts(fill(write_accounts_workbook(case)), case)
    assert accounts.errors == ()
    by_name = {line.name: line for line in accounts.lines}
    assert by_name["Lønn og honorarer"].actual == 95_000
    assert by_name["Leie av lokaler"].deviation == 20_000
    assert by_name["Leie av lokaler"].deviation_pct == Decimal("40.0")
    assert by_name["Reise"].deviation_pct == Decimal("-50.0")
    assert by_name["Kurs"].added and by_name["Kurs"].actual == 12_500
    assert accounts.total_budget == 170_000
    assert accounts.total_actual == 95_000 + 70_000 + 10_000 + 12_500
    assert accounts.other_income == 30_000 and accounts.own_contribution == 7_500
    assert accounts.grant_funded == 187_500 - 37_500
    assert accounts.unspent == 200_000 - 150_000
    assert accounts.auditor.name == "Kari Nilsen" and not accounts.auditor.complete


def test_unreadable_amount_is_reported() -> None:
    wb = load_workbook(io.BytesIO(write_accounts_workbook(make_case())))
    ws = wb["Regnskap"]
    ws.cell(row=row_of(ws, "Reise"), column=3, value="ca. tusen")
    out = io.BytesIO()
    wb.save(out)
    accounts = read_accounts(out.getvalue())
    assert len(accounts.errors) == 1 and "Regnskap!C" in accounts.errors[0].message


def _edit(data: bytes, sheet: str, label: str, value: object) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    ws = wb[sheet]
    for row in range(1, ws.max_row + 1):
        if ws.cell(row=row, column=1).value == label:
            ws.cell(row=row, column=2, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_altered_identifiers_are_refused() -> None:
    case = make_case()
    data = write_accounts_workbook(case)
    with pytest.raises(AccountsError, match="checksum"):
        read_accounts(_edit(data, IDS_SHEET, "grant", "900000"))
    with pytest.raises(AccountsError, match=r"grant \(sheet vs\. hidden identifiers\)"):
        read_accounts(_edit(data, "Regnskap", "Innvilget tilskudd", 900_000))
    other = make_case(decision={"case_number": "22/99999-1"})
    with pytest.raises(AccountsError, match=r"another decision.*reference: '22/00123-4'"):
        read_accounts(data, other)
    with pytest.raises(AccountsError, match="not a readable XLSX"):
        read_accounts(b"not a zip")


def test_sample_return_reads_back() -> None:
    case = next(c for c in sample_cases() if c.reference == "22/00133-5")
    accounts = read_accounts(RETURN, case)
    assert accounts.total_actual == 256_000 and accounts.unspent == 29_000
    assert any(line.added and line.name == "Tolketjenester" for line in accounts.lines)
    assert next(line for line in accounts.lines
                if line.name == "Frivillige (utgifter)").actual == 12_500
    assert accounts.errors == ()


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_libreoffice_converts_workbook(tmp_path: Path, lang: str) -> None:
    soffice = require_tool("soffice")
    for name, data in (("blank.xlsx", write_accounts_workbook(make_case(lang=lang))),
                       ("filled.xlsx", RETURN.read_bytes())):
        (tmp_path / name).write_bytes(data)
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                        "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / name)],
                       check=True, capture_output=True, timeout=180)
        pdf = (tmp_path / name).with_suffix(".pdf")
        assert pdf.is_file() and pdf.stat().st_size > 1000


def test_sample_is_up_to_date() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_return_sample", SAMPLES.parent / "tools" / "make_return_sample.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build()[RETURN.name] == RETURN.read_bytes()
