"""A returned accounts workbook read back: figures recomputed from the input cells, refusals."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from grantdocs.accounts_model import IDS_SHEET
from grantdocs.errors import AccountsError
from grantdocs.readers.accounts_return import read_accounts
from grantdocs.writers.xlsx.accounts_workbook import write_accounts_workbook
from tests.helpers import make_case
from tests.workbooks import RETURN, edit, fill, row_of, sample_cases


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


def test_altered_identifiers_are_refused() -> None:
    case = make_case()
    data = write_accounts_workbook(case)
    with pytest.raises(AccountsError, match="signature does not match"):
        read_accounts(edit(data, IDS_SHEET, "grant", "900000"))
    with pytest.raises(AccountsError, match=r"grant \(sheet vs\. hidden identifiers\)"):
        read_accounts(edit(data, "Regnskap", "Innvilget tilskudd", 900_000))
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
