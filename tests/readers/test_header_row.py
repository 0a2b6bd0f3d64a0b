"""The header row is found below title rows, and the sheet that holds it is picked."""

from __future__ import annotations

from pathlib import Path

import pytest

from grantdocs.errors import InputError
from grantdocs.readers import read_cases
from tests.readers.sheets import GOOD_ORG, good_row, sheet_rows, write_csv, write_workbook

TITLES = [["Vedtak – tilskudd til integreringsarbeid 2022"], ["Eksportert 01.04.2022"], []]


def test_title_rows_above_the_header_are_skipped(tmp_path: Path) -> None:
    rows = sheet_rows([good_row(), good_row(Saksnummer="22/00124-1")], titles=TITLES)
    path = write_workbook(tmp_path / "vedtak.xlsx", {"Vedtak": rows})
    records = list(read_cases(path))
    assert [r.location.row for r in records] == [5, 6]  # the sheet's own row numbers
    assert [r.case.reference for r in records if r.case] == ["22/00123-1", "22/00124-1"]


def test_title_row_in_a_csv(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "v.csv", sheet_rows([good_row()], titles=[["Vedtak 2022"]]))
    (record,) = read_cases(path)
    assert record.case is not None, [str(i) for i in record.issues]
    assert record.location.row == 3


def test_first_sheet_with_a_header_row_is_read(tmp_path: Path) -> None:
    overview = [["Oversikt over tildelingen"], ["Kommune", "Sum"], ["Sandnes", 50000]]
    path = write_workbook(tmp_path / "runde.xlsx", {
        "Oversikt": overview,
        "Data": sheet_rows([good_row()], titles=[["Liste"]]),
    })
    (record,) = read_cases(path)
    assert record.case is not None
    assert record.case.organisation.org_number == GOOD_ORG
    assert record.location.row == 3


def test_sheet_option_picks_the_sheet(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "to.xlsx", {
        "Runde 1": sheet_rows([good_row(Saksnummer="1")]),
        "Runde 2": sheet_rows([good_row(Saksnummer="2")]),
    })
    assert [r.case.reference for r in read_cases(path) if r.case] == ["1"]
    assert [r.case.reference for r in read_cases(path, sheet="Runde 2") if r.case] == ["2"]
    assert [r.case.reference for r in read_cases(path, sheet="runde 2") if r.case] == ["2"]
    with pytest.raises(InputError, match=r"no sheet 'Runde 3'; did you mean 'Runde \d'\?"):
        read_cases(path, sheet="Runde 3")


def test_no_sheet_with_a_header_row_names_the_sheets(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "rot.xlsx", {"Notater": [["hei"], ["på deg"]],
                                                   "Tall": [[1, 2, 3]]})
    with pytest.raises(InputError, match=r"rot\.xlsx: no sheet has a header row.*'Notater', "
                                         r"'Tall'.*--sheet"):
        read_cases(path)


def test_missing_column_names_the_sheet_and_header_row(tmp_path: Path) -> None:
    row = good_row()
    del row["Saksbehandler"]
    path = write_workbook(tmp_path / "v.xlsx", {"Vedtak": sheet_rows([row], titles=TITLES)})
    with pytest.raises(InputError, match=r"v\.xlsx, sheet 'Vedtak': required column missing: "
                                         r"'Saksbehandler'.*row 4"):
        read_cases(path)


def test_header_below_the_search_rows_is_not_found(tmp_path: Path) -> None:
    titles = [[f"Merknad {n}"] for n in range(12)]
    path = write_workbook(tmp_path / "lang.xlsx", {"Vedtak": sheet_rows([good_row()],
                                                                        titles=titles)})
    with pytest.raises(InputError, match="header row"):
        read_cases(path)
