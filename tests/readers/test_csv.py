"""CSV input: encodings, delimiters, Excel's quirks; a record's errors by row and column."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from grantdocs.errors import InputError, Location
from grantdocs.model import ApplicationKind, DecisionKind, Language
from grantdocs.readers import read_cases
from tests.readers.examples import (
    BAD_ACCOUNT,
    BAD_ORG,
    GOOD_ACCOUNT,
    GOOD_ORG,
    HEADER,
    NBSP,
    errors,
    good_row,
    only_case,
    read,
    write_csv,
)


def test_csv_with_bom_and_semicolons(tmp_path: Path) -> None:
    row = good_row(
        **{
            "Målform": "Bokmål",
            "Adresse": "Storgata 1",
            "Postnummer": "0580",
            "Poststed": "OSLO",
            "Kontaktperson": "Ola Nordmann",
            "E-post": "post@laget.no",
            "Kontonummer": "8601.11.17947",
            "Kommune": "Oslo",
            "Fylke": "Oslo",
            "Søknadsnummer": "S-17",
            "Type": "Prosjekt",
            "Delmål": "a, c",
            "Budsjett": f"kr 900{NBSP}000",
            "Søknadsdato": "1.2.2022",
            "Prosjektstart": "2022-04-01",
            "Prosjektslutt": "31.12.2022",
            "Målgrupper": "Kvinner med innvandrerbakgrunn; Barn og unge",
            "Resultatmål": "20 deltakere\n10 samlinger",
            "Budsjettposter": "Lønn: 200 000; Leie av lokale: 50 000,-",
            "Avslagsgrunner": "limited-funds, unrealistic-budget",
            "Begrunnelse": "Vi har begrenset med midler.",
            "Vilkår": "Rapport innen fristen; Logo på materiell",
            "Utbetalingsdato": "01.04.2022",
            "Rapporteringsfrist": "2023-02-01",
            "Godkjent av": "Per Leder",
            "Vedtak": "Delvis innvilget",
        }
    )
    path = write_csv(tmp_path / "vedtak.csv", [row])
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    records = read(path)
    case = only_case(records)
    org, app, dec = case.organisation, case.application, case.decision
    assert (org.org_number, org.name, org.address) == (GOOD_ORG, "Frivillighetslaget", "Storgata 1")
    assert (org.postcode, org.city, org.municipality, org.county) == (
        "0580",
        "OSLO",
        "Oslo",
        "Oslo",
    )
    assert (org.contact_person, org.email) == ("Ola Nordmann", "post@laget.no")
    assert org.bank_account == GOOD_ACCOUNT
    assert case.language is Language.NB
    assert app.reference == "S-17"
    assert app.title == "Språkkafé"
    assert app.kind is ApplicationKind.PROJECT
    assert app.sub_goals == ("A", "C")
    assert app.amount_requested == Decimal(450000)
    assert app.annual_budget == Decimal(900000)
    assert app.date_applied == dt.date(2022, 2, 1)
    assert (app.period_start, app.period_end) == (dt.date(2022, 4, 1), dt.date(2022, 12, 31))
    assert app.target_groups == ("Kvinner med innvandrerbakgrunn", "Barn og unge")
    assert app.result_goals == ("20 deltakere", "10 samlinger")
    assert [(line.name, line.amount) for line in app.budget_lines] == [
        ("Lønn", Decimal(200000)),
        ("Leie av lokale", Decimal(50000)),
    ]
    assert dec.case_number == "22/00123"
    assert dec.kind is DecisionKind.PARTIAL
    assert dec.date == dt.date(2022, 3, 15)
    assert dec.amount_granted == Decimal(300000)
    assert dec.reason_codes == ("limited-funds", "unrealistic-budget")
    assert dec.reason_text == "Vi har begrenset med midler."
    assert dec.conditions == ("Rapport innen fristen", "Logo på materiell")
    assert dec.payment_date == dt.date(2022, 4, 1)
    assert dec.report_deadline == dt.date(2023, 2, 1)
    assert (dec.caseworker, dec.approver) == ("Kari Nordmann", "Per Leder")

    record = records[0]
    assert record.location == Location(str(path), 2, None)
    assert record.issues == ()
    assert record.columns["application.amount_requested"] == "Søkt beløp"


def test_csv_with_commas_no_bom_and_quoted_newlines(tmp_path: Path) -> None:
    row = good_row(Vilkår="Rapport innen fristen\nLogo på materiell", Prosjekt="Kafé, kurs og tur")
    path = write_csv(
        tmp_path / "vedtak.csv", [row, good_row(Saksnummer="22/2")], delimiter=",", bom=False
    )
    text = path.read_text(encoding="utf-8")
    assert not text.startswith("\ufeff") and ";" not in text.splitlines()[0]
    records = read(path)
    assert [r.location.row for r in records] == [2, 3]  # spreadsheet rows, not physical lines
    first = records[0].case
    assert first is not None
    assert first.decision.conditions == ("Rapport innen fristen", "Logo på materiell")
    assert first.application.title == "Kafé, kurs og tur"
    assert records[1].case is not None


def test_csv_excel_sep_line_and_blank_rows(tmp_path: Path) -> None:
    path = tmp_path / "vedtak.csv"
    lines = [";".join(HEADER), ";".join(good_row().values()), ";" * (len(HEADER) - 1)]
    lines.append(";".join(good_row(Saksnummer="22/9").values()))
    path.write_text("sep=;\n" + "\n".join(lines) + "\n", encoding="utf-8")
    records = read(path)
    assert [r.location.row for r in records] == [2, 4]
    assert all(r.case is not None for r in records)


def test_csv_rejects_text_that_is_neither_utf8_nor_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"  # 0x81 is a continuation byte and undefined in cp1252
    path.write_bytes(";".join(HEADER).encode("cp1252") + b"\nS\x81ker")
    with pytest.raises(InputError, match=r"latin1\.csv: line 2 .*UTF-8"):
        read_cases(path)

# --- record errors -----------------------------------------------------------


def test_bad_org_number_names_file_row_and_column(tmp_path: Path) -> None:
    rows = [good_row(), good_row(Saksnummer="22/2", Organisasjonsnummer=BAD_ORG)]
    path = write_csv(tmp_path / "vedtak.csv", rows)
    good, bad = read(path)
    assert good.case is not None
    assert bad.case is None
    assert bad.location == Location(str(path), 3)
    (issue,) = bad.issues
    assert issue.is_error
    assert issue.location == Location(str(path), 3, "Organisasjonsnummer")
    assert str(path) in str(issue) and "row 3" in str(issue)
    assert issue.message.startswith(f"Organisasjonsnummer: '{BAD_ORG}' fails the MOD11")
    assert "Value error" not in issue.message
    assert issue.reference == "22/2"
    assert bad.locate("organisation.org_number") == issue.location
    assert bad.case is None


def test_bad_account_number(tmp_path: Path) -> None:
    rows = [good_row(Kontonummer=GOOD_ACCOUNT), good_row(Kontonummer=BAD_ACCOUNT)]
    good, bad = read(write_csv(tmp_path / "v.csv", rows))
    assert good.case is not None and good.case.organisation.bank_account == GOOD_ACCOUNT
    assert bad.case is None
    assert [i.location.field for i in bad.issues] == ["Kontonummer"]
    assert "MOD11" in bad.issues[0].message


def test_one_bad_row_does_not_stop_the_others(tmp_path: Path) -> None:
    rows = [
        good_row(Saksnummer="1"),
        good_row(Saksnummer="2", Vedtaksdato="31.02.2022"),
        good_row(Saksnummer="3"),
    ]
    records = read(write_csv(tmp_path / "v.csv", rows))
    assert [r.case is not None for r in records] == [True, False, True]
    assert "Vedtaksdato" in errors(records[1])[0]


def test_all_errors_of_a_record_are_reported(tmp_path: Path) -> None:
    row = good_row(
        Saksnummer="",
        Vedtak="kanskje",
        Vedtaksdato="15.03.22",
        Organisasjonsnummer=BAD_ORG,
        **{"Søkt beløp": "-100", "Innvilget beløp": "12,345"},
    )
    (record,) = read(write_csv(tmp_path / "v.csv", [row]))
    assert record.case is None
    fields = [issue.location.field for issue in record.issues]
    assert fields == [  # in column order
        "Saksnummer",
        "Vedtak",
        "Vedtaksdato",
        "Organisasjonsnummer",
        "Søkt beløp",
        "Innvilget beløp",
    ]
    messages = [issue.message for issue in record.issues]
    assert messages[0] == "Saksnummer is required: fill in the case number"
    assert "innvilget" in messages[1]
    assert "four digits" in messages[2]
    assert "negative" in messages[4]
    assert "two decimals" in messages[5]


def test_period_order_error_names_the_end_column(tmp_path: Path) -> None:
    row = good_row(Prosjektstart="01.06.2022", Prosjektslutt="01.01.2022")
    (record,) = read(write_csv(tmp_path / "v.csv", [row]))
    assert record.case is None
    assert [i.location.field for i in record.issues] == ["Prosjektslutt"]


def test_budget_line_error_names_the_column(tmp_path: Path) -> None:
    row = good_row(Budsjettposter="Lønn: 200 000; Leie")
    (record,) = read(write_csv(tmp_path / "v.csv", [row]))
    assert record.case is None
    assert record.issues[0].location.field == "Budsjettposter"
    assert "budget line 2" in record.issues[0].message
    assert record.locate("application.budget_lines[1].amount").field == "Budsjettposter"
    assert record.locate("nowhere").field == "nowhere"


def test_read_cases_streams(tmp_path: Path) -> None:
    rows = [good_row(Saksnummer=str(n)) for n in range(50)]
    records = read_cases(write_csv(tmp_path / "v.csv", rows))
    assert next(iter(records)).location.row == 2
    assert not isinstance(records, list)
