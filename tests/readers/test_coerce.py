"""Cell values to model values: amounts, dates, choices, lists and identifiers, strictly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from grantdocs.readers import coerce
from tests.readers.examples import GOOD_ACCOUNT, GOOD_ORG, NBSP, NNBSP


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("450000", "450000"),
        ("450 000", "450000"),
        (f"450{NBSP}000", "450000"),
        (f"450{NNBSP}000", "450000"),
        ("450 000,00", "450000.00"),
        ("450 000,5", "450000.5"),
        ("450.000", "450000"),
        ("1.450.000", "1450000"),
        ("1.450.000,75", "1450000.75"),
        ("kr 450 000", "450000"),
        ("Kr. 450 000", "450000"),
        ("450 000 kr", "450000"),
        ("450 000,-", "450000"),
        (f"kr{NBSP}450{NBSP}000,-", "450000"),
        ("450 000 NOK", "450000"),
        ("450000.50", "450000.50"),
        ("450000.5", "450000.5"),
        ("0", "0"),
        ("", None),
        ("   ", None),
    ],
)
def test_amount_text(text: str, expected: str | None) -> None:
    assert coerce.amount(text) == (None if expected is None else Decimal(expected))


@pytest.mark.parametrize(
    ("value", "expected"),
    [(450000, "450000"), (450000.0, "450000"), (0.1 + 0.2, "0.3"), (1234.567, "1234.57")],
)
def test_amount_numbers(value: float, expected: str) -> None:
    result = coerce.amount(value)
    assert result == Decimal(expected)
    assert str(result) == expected  # no float noise


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("-100", "negative"),
        ("−100", "negative"),
        ("12,345", "two decimals"),
        ("abc", "not an amount"),
        ("1.2.3", "not an amount"),
        ("450,000.50", "not an amount"),
    ],
)
def test_amount_errors(text: str, fragment: str) -> None:
    with pytest.raises(coerce.CoerceError, match=fragment):
        coerce.amount(text)
    with pytest.raises(coerce.CoerceError, match="450 000"):  # says what is expected
        coerce.amount("abc")


def test_negative_number_cell() -> None:
    with pytest.raises(coerce.CoerceError, match="negative"):
        coerce.amount(-5)


@pytest.mark.parametrize(
    "value",
    [
        "15.03.2022",
        "15.3.2022",
        "2022-03-15",
        " 15.03.2022 ",
        "2022-03-15 00:00:00",
        dt.date(2022, 3, 15),
        dt.datetime(2022, 3, 15, 13, 45),
    ],
)
def test_dates(value: object) -> None:
    assert coerce.date(value) == dt.date(2022, 3, 15)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("15.03.22", "four digits"),
        ("31.02.2022", "not a date in the calendar"),
        ("15/03/2022", "15.03.2022 or 2022-03-15"),
        ("mars", "not a date"),
        (44635, "format the cell as a date"),
    ],
)
def test_date_errors(value: object, fragment: str) -> None:
    with pytest.raises(coerce.CoerceError, match=fragment):
        coerce.date(value)


def test_empty_date() -> None:
    assert coerce.date("") is None
    assert coerce.date(None) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("innvilget", "granted"),
        ("Innvilga", "granted"),
        ("INNVILGD", "granted"),
        ("delvis innvilget", "partial"),
        ("Delvis  innvilga", "partial"),
        ("avslag", "rejected"),
        ("avslått", "rejected"),
        ("avslege", "rejected"),
        ("avvist", "rejected"),
        ("granted", "granted"),
        ("Partial", "partial"),
        ("rejected", "rejected"),
    ],
)
def test_decision_kinds(text: str, expected: str) -> None:
    assert coerce.decision_kind(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bokmål", "nb"),
        ("Bokmal", "nb"),
        ("nb", "nb"),
        ("NOB", "nb"),
        ("nynorsk", "nn"),
        ("Nynorsk", "nn"),
        ("nn", "nn"),
        ("nno", "nn"),
        ("", None),
    ],
)
def test_languages(text: str, expected: str | None) -> None:
    assert coerce.language(text) == expected


def test_unknown_choice_says_what_to_write() -> None:
    with pytest.raises(coerce.CoerceError, match="bokmål or nynorsk"):
        coerce.language("svensk")
    with pytest.raises(coerce.CoerceError, match="prosjekt or enkelttiltak"):
        coerce.application_kind("noe")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("prosjekt", "project"),
        ("Project", "project"),
        ("enkelttiltak", "measure"),
        ("tiltak", "measure"),
        ("Aktivitet", "measure"),
        ("measure", "measure"),
    ],
)
def test_application_kinds(text: str, expected: str) -> None:
    assert coerce.application_kind(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a, c", ("A", "C")),
        ("A;B", ("A", "B")),
        ("a/b/c", ("A", "B", "C")),
        ("A og C", ("A", "C")),
        ("b c", ("B", "C")),
        ("", None),
    ],
)
def test_sub_goals(text: str, expected: tuple[str, ...] | None) -> None:
    assert coerce.sub_goals(text) == expected


def test_lists() -> None:
    assert coerce.reason_codes("a-b, c-d;e\nf-g h-i") == ("a-b", "c-d", "e", "f-g", "h-i")
    assert coerce.lines("Barn og unge; Kvinner\r\nEldre") == ("Barn og unge", "Kvinner", "Eldre")
    assert coerce.budget_lines("Lønn: 200 000; Leie av lokale: kr 50.000") == (
        {"name": "Lønn", "amount": Decimal(200000)},
        {"name": "Leie av lokale", "amount": Decimal(50000)},
    )
    with pytest.raises(coerce.CoerceError, match="Leie"):
        coerce.budget_lines("Lønn: 200 000; Leie: mye")


def test_identifiers() -> None:
    assert coerce.org_number("974 760 673") == GOOD_ORG
    assert coerce.org_number("NO 974.760.673 MVA") == GOOD_ORG
    assert coerce.org_number(974760673) == GOOD_ORG
    assert coerce.account("8601 11 17947") == GOOD_ACCOUNT
    assert coerce.account(86011117947.0) == GOOD_ACCOUNT
    assert coerce.postcode(580) == "0580"
    assert coerce.postcode("580") == "0580"
    assert coerce.postcode("0580") == "0580"
    assert coerce.text(2022.0) == "2022"
