"""XLSX input: date and number cells, which sheet is read, broken workbooks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from grantdocs.errors import InputError
from grantdocs.readers import read_cases
from tests.readers.examples import (
    GOOD_ACCOUNT,
    GOOD_ORG,
    HEADER,
    errors,
    good_row,
    only_case,
    read,
    write_xlsx,
)


def test_xlsx_with_date_cells_and_numbers(tmp_path: Path) -> None:
    header = [*HEADER, "Postnummer", "Kontonummer", "Prosjektstart", "Budsjett", "Delmål"]
    rows: list[Sequence[object]] = [
        [],  # a blank row before the header: the header is row 2
        header,
        [
            2022123,
            "Innvilget",
            dt.datetime(2022, 3, 15, 0, 0),
            int(GOOD_ORG),
            "Laget",
            "Kurs",
            450000,
            300000.5,
            "Kari",
            580,
            int(GOOD_ACCOUNT),
            dt.date(2022, 4, 1),
            899999.999,
            "B",
        ],
    ]
    path = write_xlsx(tmp_path / "vedtak.xlsx", rows)
    records = read(path)
    case = only_case(records)
    assert records[0].location.row == 3
    assert case.decision.case_number == "2022123"
    assert case.decision.date == dt.date(2022, 3, 15)
    assert case.organisation.org_number == GOOD_ORG
    assert case.organisation.postcode == "0580"
    assert case.organisation.bank_account == GOOD_ACCOUNT
    assert case.application.period_start == dt.date(2022, 4, 1)
    assert case.application.amount_requested == Decimal(450000)
    assert case.decision.amount_granted == Decimal("300000.5")
    assert case.application.annual_budget == Decimal("900000")
    assert case.application.sub_goals == ("B",)


def test_xlsx_picks_visible_vedtak_sheet(tmp_path: Path) -> None:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.title = "Notater"
    first.append(["Noe helt annet"])
    hidden = workbook.create_sheet("Skjult")
    hidden.sheet_state = "hidden"
    sheet = workbook.create_sheet("Vedtak")
    sheet.append(HEADER)
    sheet.append(list(good_row().values()))
    path = tmp_path / "runde.xlsx"
    workbook.save(path)
    assert only_case(read(path)).decision.case_number == "22/00123"


def test_xlsx_first_visible_sheet(tmp_path: Path) -> None:
    workbook = Workbook()
    hidden = workbook.active
    assert hidden is not None
    hidden.title = "Skjult"
    hidden.append(["rubbish"])
    hidden.sheet_state = "hidden"
    sheet = workbook.create_sheet("Søknader")
    sheet.append(HEADER)
    sheet.append(list(good_row().values()))
    path = tmp_path / "runde.xlsx"
    workbook.save(path)
    assert only_case(read(path)).organisation.org_number == GOOD_ORG


def test_xlsx_corrupt_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"this is not a zip file")
    with pytest.raises(InputError, match=r"broken\.xlsx"):
        read_cases(path)


def test_xlsx_excel_error_cell(tmp_path: Path) -> None:
    row = good_row(**{"Søkt beløp": "#REF!"})
    path = write_xlsx(tmp_path / "v.xlsx", [HEADER, list(row.values())])
    (record,) = read(path)
    assert record.case is None
    assert "#REF!" in errors(record)[0]
