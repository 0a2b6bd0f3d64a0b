"""The input readers: CSV, XLSX and JSON files written to tmp_path and read back."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from pydantic import BaseModel

from grantdocs.errors import InputError, Location, Severity
from grantdocs.model import (
    Application,
    ApplicationKind,
    Case,
    Decision,
    DecisionKind,
    Language,
    Organisation,
)
from grantdocs.readers import REQUIRED, ReadRecord, coerce, column_for, path_for, read_cases
from grantdocs.readers.columns import COLUMNS

GOOD_ORG = "974760673"
BAD_ORG = "974760674"
GOOD_ACCOUNT = "86011117947"
BAD_ACCOUNT = "86011117948"
NBSP = "\u00a0"
NNBSP = "\u202f"

HEADER = [
    "Saksnummer",
    "Vedtak",
    "Vedtaksdato",
    "Organisasjonsnummer",
    "Organisasjon",
    "Prosjekt",
    "Søkt beløp",
    "Innvilget beløp",
    "Saksbehandler",
]


def good_row(**changes: str) -> dict[str, str]:
    row = {
        "Saksnummer": "22/00123",
        "Vedtak": "innvilget",
        "Vedtaksdato": "15.03.2022",
        "Organisasjonsnummer": GOOD_ORG,
        "Organisasjon": "Frivillighetslaget",
        "Prosjekt": "Språkkafé",
        "Søkt beløp": "450 000",
        "Innvilget beløp": "300 000",
        "Saksbehandler": "Kari Nordmann",
    }
    row.update(changes)
    return row


def write_csv(
    path: Path,
    rows: Sequence[dict[str, str]],
    *,
    delimiter: str = ";",
    bom: bool = True,
    header: Sequence[str] | None = None,
) -> Path:
    names = list(header or rows[0])
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter=delimiter)
        writer.writerow(names)
        for row in rows:
            writer.writerow([row.get(name, "") for name in names])
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], title: str = "Ark1") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def read(path: Path) -> list[ReadRecord]:
    return list(read_cases(path))


def only_case(records: Sequence[ReadRecord]) -> Case:
    assert len(records) == 1
    record = records[0]
    assert record.case is not None, [str(i) for i in record.issues]
    return record.case


def errors(record: ReadRecord) -> list[str]:
    return [str(issue) for issue in record.issues if issue.is_error]


# --- CSV ---------------------------------------------------------------------


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
    assert record.raw["organisation.org_number"] == GOOD_ORG
    assert record.columns["application.amount_requested"] == "Søkt beløp"
    json.dumps(record.raw)  # serialisable


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


# --- XLSX --------------------------------------------------------------------


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
    raw = records[0].raw
    assert raw["decision.date"] == "2022-03-15"
    assert raw["organisation.postcode"] == 580
    json.dumps(raw)


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


# --- headers -----------------------------------------------------------------

HEADER_VARIANTS = {
    "Saksnummer": "decision.case_number",
    "Vår referanse": "decision.case_number",
    "Vedtak": "decision.kind",
    "Vedtaksdato": "decision.date",
    "Målform": "language",
    "Organisasjonsnummer": "organisation.org_number",
    "Org.nr.": "organisation.org_number",
    "Orgnr": "organisation.org_number",
    "Organisasjon": "organisation.name",
    "Organisasjonsnavn": "organisation.name",
    "Søker": "organisation.name",
    "Søkjar": "organisation.name",
    "Adresse": "organisation.address",
    "Postnummer": "organisation.postcode",
    "Poststed": "organisation.city",
    "Kontaktperson": "organisation.contact_person",
    "E-post": "organisation.email",
    "Epost": "organisation.email",
    "Kontonummer": "organisation.bank_account",
    "Kommune": "organisation.municipality",
    "Fylke": "organisation.county",
    "Søknadsnummer": "application.reference",
    "Deres referanse": "application.reference",
    "Dykkar referanse": "application.reference",
    "Prosjekt": "application.title",
    "Prosjektnavn": "application.title",
    "Tittel": "application.title",
    "Type": "application.kind",
    "Delmål": "application.sub_goals",
    "Søkt beløp": "application.amount_requested",
    "Budsjett": "application.annual_budget",
    "Årsbudsjett": "application.annual_budget",
    "Årleg budsjett": "application.annual_budget",
    "Årlig budsjett": "application.annual_budget",
    "Søknadsdato": "application.date_applied",
    "Prosjektstart": "application.period_start",
    "Prosjektslutt": "application.period_end",
    "Målgrupper": "application.target_groups",
    "Resultatmål": "application.result_goals",
    "Budsjettposter": "application.budget_lines",
    "Innvilget beløp": "decision.amount_granted",
    "Innvilga beløp": "decision.amount_granted",
    "Avslagsgrunner": "decision.reason_codes",
    "Avslagsgrunnar": "decision.reason_codes",
    "Grunnkoder": "decision.reason_codes",
    "Begrunnelse": "decision.reason_text",
    "Grunngjeving": "decision.reason_text",
    "Vilkår": "decision.conditions",
    "Utbetalingsdato": "decision.payment_date",
    "Rapporteringsfrist": "decision.report_deadline",
    "Saksbehandler": "decision.caseworker",
    "Sakshandsamar": "decision.caseworker",
    "Godkjent av": "decision.approver",
    "Godkjend av": "decision.approver",
}


@pytest.mark.parametrize(("header", "path"), HEADER_VARIANTS.items())
def test_header_variants(header: str, path: str) -> None:
    assert path_for(header) == path
    assert path_for(f"  {header.upper()} ") == path
    assert path_for(f"{header}:") == path
    assert path_for(path) == path  # the model path itself
    if path.rsplit(".", 1)[-1] not in ("kind",):  # "kind" is ambiguous
        assert path_for(path.rsplit(".", 1)[-1]) == path


def test_every_model_field_has_a_column() -> None:
    paths = {c.path for c in COLUMNS}
    models: dict[str, type[BaseModel]] = {
        "organisation": Organisation,
        "application": Application,
        "decision": Decision,
    }
    expected = {
        f"{section}.{name}" for section, model in models.items() for name in model.model_fields
    }
    assert paths == expected | {"language"}
    assert set(HEADER_VARIANTS.values()) == paths - {"organisation.language"}


def test_header_with_unit() -> None:
    assert path_for("Søkt beløp (kr)") == "application.amount_requested"
    assert path_for("Innvilget  beløp (NOK)") == "decision.amount_granted"
    assert path_for("Merknad") is None


def test_column_for() -> None:
    assert column_for("decision.case_number") == "Saksnummer"
    assert column_for("organisation.org_number") == "Organisasjonsnummer"
    assert column_for("decision.approver") == "Godkjent av"
    assert column_for("no.such.path") == "no.such.path"
    assert set(REQUIRED) == {
        "decision.case_number",
        "decision.kind",
        "decision.date",
        "decision.caseworker",
        "organisation.org_number",
        "organisation.name",
        "application.title",
        "application.amount_requested",
    }


def test_alternative_nynorsk_headers_and_values(tmp_path: Path) -> None:
    row = {
        "Vår referanse": "22/7",
        "Vedtak": "Innvilga",
        "Vedtaksdato": "15.3.2022",
        "Målform": "nynorsk",
        "Org.nr.": "974 760 673",
        "Søkjar": "Frivilligheitslaget",
        "Tittel": "Språkkafé",
        "Type": "tiltak",
        "Søkt beløp": "20 000",
        "Innvilga beløp": "20 000",
        "Dykkar referanse": "D-1",
        "Årleg budsjett": "40 000",
        "Avslagsgrunnar": "",
        "Grunngjeving": "Godt tiltak",
        "Sakshandsamar": "Kari",
        "Godkjend av": "Per",
        "Epost": "a@b.no",
    }
    case = only_case(read(write_csv(tmp_path / "nn.csv", [row])))
    assert case.language is Language.NN
    assert case.decision.kind is DecisionKind.GRANTED
    assert case.decision.case_number == "22/7"
    assert case.organisation.org_number == GOOD_ORG
    assert case.organisation.name == "Frivilligheitslaget"
    assert case.application.kind is ApplicationKind.MEASURE
    assert case.application.reference == "D-1"
    assert case.application.annual_budget == Decimal(40000)
    assert case.decision.reason_codes == ()
    assert case.decision.reason_text == "Godt tiltak"
    assert (case.decision.caseworker, case.decision.approver) == ("Kari", "Per")
    assert case.organisation.email == "a@b.no"


def test_model_path_and_bare_name_headers(tmp_path: Path) -> None:
    row = {
        "decision.case_number": "1",
        "decision.kind": "rejected",
        "date": "2022-03-15",
        "organisation.org_number": GOOD_ORG,
        "name": "Laget",
        "title": "T",
        "amount_requested": "1000",
        "caseworker": "Kari",
        "language": "nb",
        "reason_codes": "limited-funds",
    }
    case = only_case(read(write_csv(tmp_path / "paths.csv", [row], delimiter=",")))
    assert case.decision.kind is DecisionKind.REJECTED
    assert case.decision.amount_granted == 0
    assert case.decision.reason_codes == ("limited-funds",)
    assert case.language is Language.NB


def test_unknown_column_warns_once(tmp_path: Path) -> None:
    rows = [good_row(Merknad="x"), good_row(Merknad="y", Saksnummer="2")]
    records = read(write_csv(tmp_path / "v.csv", rows))
    assert all(r.case is not None for r in records)
    first = records[0].issues
    assert len(first) == 1
    assert first[0].severity is Severity.WARNING
    assert first[0].location == Location(str(tmp_path / "v.csv"), 1, "Merknad")
    assert records[1].issues == ()


def test_missing_required_column(tmp_path: Path) -> None:
    row = good_row()
    del row["Saksbehandler"]
    path = write_csv(tmp_path / "mangler.csv", [row])
    with pytest.raises(InputError, match=r"mangler\.csv.*'Saksbehandler'"):
        read_cases(path)


def test_no_header_row(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text(";".join(good_row().values()) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="header"):
        read_cases(path)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "tom.csv"
    path.write_text("\n\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"tom\.csv.*empty"):
        read_cases(path)


def test_unknown_suffix_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "vedtak.txt"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match=r"vedtak\.txt.*\.json, \.csv, \.xlsx"):
        read_cases(path)
    with pytest.raises(InputError, match=r"finnes\.csv: no such file"):
        read_cases(tmp_path / "finnes.csv")
    with pytest.raises(InputError, match=r"\.xls.*save it from Excel as \.xlsx"):
        read_cases(tmp_path / "gammel.xls")


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
    assert bad.raw["organisation.org_number"] == BAD_ORG


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


# --- value coercion ----------------------------------------------------------


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


# --- JSON --------------------------------------------------------------------


def json_case(**decision: Any) -> dict[str, Any]:
    return {
        "organisation": {"org_number": GOOD_ORG, "name": "Laget", "bank_account": GOOD_ACCOUNT},
        "application": {
            "title": "Språkkafé",
            "amount_requested": "450000",
            "sub_goals": ["A"],
            "budget_lines": [{"name": "Lønn", "amount": 200000.50}],
        },
        "decision": {
            "case_number": "22/1",
            "kind": "granted",
            "date": "2022-03-15",
            "caseworker": "Kari",
            **decision,
        },
        "language": "nn",
    }


def test_json_list(tmp_path: Path) -> None:
    path = tmp_path / "cases.json"
    path.write_text(json.dumps([json_case(), json_case(case_number="22/2")]), encoding="utf-8")
    records = read(path)
    assert [r.location for r in records] == [Location(str(path), 1), Location(str(path), 2)]
    case = records[0].case
    assert case is not None
    assert case.language is Language.NN
    assert case.application.budget_lines[0].amount == Decimal("200000.50")
    assert records[0].raw["decision.case_number"] == "22/1"
    assert records[0].raw["organisation.org_number"] == GOOD_ORG
    json.dumps(records[0].raw)


def test_json_wrapped_with_errors(tmp_path: Path) -> None:
    bad = json_case()
    bad["organisation"]["org_number"] = BAD_ORG
    bad["decision"]["case_number"] = ""
    data = {"schema_version": "1", "cases": [json_case(), bad, "not a case", json_case()]}
    path = tmp_path / "round.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    records = read(path)
    assert [r.case is not None for r in records] == [True, False, False, True]
    bad_record = records[1]
    fields = {i.location.field: i.message for i in bad_record.issues}
    assert fields["organisation.org_number"].startswith(
        f"organisation.org_number: '{BAD_ORG}' fails the MOD11"
    )
    assert "case number" in fields["decision.case_number"]
    assert all(i.location.row == 2 and i.location.file == str(path) for i in bad_record.issues)
    assert "not an object" in records[2].issues[0].message


def test_json_number_org_and_wrong_version(tmp_path: Path) -> None:
    case = json_case()
    case["organisation"]["org_number"] = int(GOOD_ORG)
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"cases": [case]}), encoding="utf-8")
    assert only_case(read(path)).organisation.org_number == GOOD_ORG
    path.write_text(json.dumps({"schema_version": "9", "cases": []}), encoding="utf-8")
    with pytest.raises(InputError, match="schema_version"):
        read_cases(path)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"a\.json: line 1"):
        read_cases(path)
    path.write_text(json.dumps({"rounds": []}), encoding="utf-8")
    with pytest.raises(InputError, match="cases"):
        read_cases(path)
