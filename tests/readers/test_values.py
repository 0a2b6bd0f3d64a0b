"""Values as people type them, and CSV as Norwegian Excel saves it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from grantdocs.readers import coerce, read_cases
from grantdocs.validate import check_inputs
from tests.readers.sheets import HEADER, good_row, sheet_rows, write_csv


@pytest.mark.parametrize(("text", "expected"), [
    ("50 000,-", 50_000), ("kr 50.000,-", 50_000), ("kr 25 000", 25_000), ("60.000", 60_000),
    ("50 000 kr", 50_000), ("NOK 50 000,00", 50_000), ("kr. 1.450.000,50", Decimal("1450000.50")),
    ("50\u00a0000,–", 50_000), ("30 000", 30_000),
])
def test_amounts_as_typed(text: str, expected: Decimal) -> None:
    assert coerce.amount(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("nb", "nb"), ("NB", "nb"), ("Bokmål", "nb"), ("bokmål", "nb"), ("BM", "nb"),
    ("nn", "nn"), ("NN", "nn"), ("Nynorsk", "nn"), ("nynorsk.", "nn"), ("", None),
])
def test_written_forms(text: str, expected: str | None) -> None:
    assert coerce.language(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Innvilget", "granted"), ("innvilga", "granted"), ("Tilsagn", "granted"),
    ("Delvis innvilget", "partial"), ("delvis  innvilga", "partial"), ("Avslått", "rejected"),
    ("avslag", "rejected"), ("granted", "granted"), ("rejected", "rejected"),
])
def test_decision_kinds_in_words_and_codes(text: str, expected: str) -> None:
    assert coerce.decision_kind(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("begrenset ramme", ("limited-funds",)),
    ("Avgrensa ramme", ("limited-funds",)),
    ("Limited funds", ("limited-funds",)),
    ("limited-funds", ("limited-funds",)),
    ("begrenset ramme og svak plan", ("limited-funds", "weak-plan")),
    ("limited-funds weak-plan", ("limited-funds", "weak-plan")),
    ("Ikke frivillig; for sen", ("not-voluntary", "late-application")),
    ("noe helt annet", ("noe-helt-annet",)),  # one unknown code, not three
])
def test_reason_labels_and_codes(text: str, expected: tuple[str, ...]) -> None:
    assert coerce.reason_codes(text) == expected


def test_an_unknown_reason_is_one_error(tmp_path: Path) -> None:
    row = good_row(Vedtak="avslag", **{"Innvilget beløp": "0", "Avslagsgrunner": "Noe annet"})
    path = write_csv(tmp_path / "v.csv", sheet_rows([row], [*HEADER, "Avslagsgrunner"]))
    (checked,) = check_inputs([path])
    errors = [i for i in checked.issues if i.is_error]
    assert [e.message for e in errors] == ["unknown reason code 'noe-annet'"]


def _norwegian_excel_rows() -> list[list[object]]:
    row = good_row(Organisasjon="Sámi Searvi Ås og Ørsta", Prosjekt="Språkkafé – «Møteplass»",
                   **{"Søkt beløp": "50\u00a0000", "Innvilget beløp": "kr 40\u00a0000,-",
                      "Vedtak": "delvis innvilget", "Begrunnelse": "Begrenset ramme.",
                      "Målform": "NN"})
    return sheet_rows([row], [*HEADER, "Begrunnelse", "Målform"])


def test_windows_1252_csv_from_norwegian_excel(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "vedtak.csv", _norwegian_excel_rows(), encoding="cp1252")
    assert b"\xc5s og \xd8rsta" in path.read_bytes()  # really Windows-1252
    (record,) = read_cases(path)
    assert record.case is not None, [str(i) for i in record.issues]
    assert record.case.organisation.name == "Sámi Searvi Ås og Ørsta"
    assert record.case.application.title == "Språkkafé – «Møteplass»"
    assert record.case.decision.amount_granted == 40_000
    assert record.case.application.amount_requested == 50_000
    assert record.case.decision.date == dt.date(2022, 3, 15)
    assert record.case.language == "nn"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_utf8_csv_with_or_without_bom(tmp_path: Path, encoding: str) -> None:
    path = write_csv(tmp_path / "vedtak.csv", _norwegian_excel_rows(), encoding=encoding)
    (record,) = read_cases(path)
    assert record.case is not None
    assert record.case.organisation.name == "Sámi Searvi Ås og Ørsta"
    assert record.case.reference == "22/00123-1"  # no BOM left on the first header
