"""Headers as people type them: abbreviations, synonyms, word order, a mapping of their own."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from grantdocs.errors import ConfigError, InputError, Severity
from grantdocs.readers import load_column_map, path_for, read_cases
from grantdocs.readers.columns import COLUMNS, COLUMNS_FILE, suggest
from tests.readers.sheets import good_row, sheet_rows, write_csv, write_workbook

TYPED = {
    "Saksnr.": "decision.case_number",
    "saks nr": "decision.case_number",
    "Org.nr.": "organisation.org_number",
    "Org. nr": "organisation.org_number",
    "ORGNR": "organisation.org_number",
    "Kontonr.": "organisation.bank_account",
    "Postnr.": "organisation.postcode",
    "Beløp søkt": "application.amount_requested",
    "Søknadsbeløp": "application.amount_requested",
    "Søkt beløp (kr)": "application.amount_requested",
    "Tilsagn": "decision.amount_granted",
    "Tilsagnsbeløp": "decision.amount_granted",
    "Beløp innvilget": "decision.amount_granted",
    "Søkjar": "organisation.name",
    "Søker": "organisation.name",
    " VEDTAK ": "decision.kind",
    "Vedtaks-dato": "decision.date",
    "Dato": "decision.date",
    "E post": "organisation.email",
    "Målform:": "language",
    "Saksbehandler *": "decision.caseworker",
    "godkjent av": "decision.approver",
}


@pytest.mark.parametrize(("header", "path"), TYPED.items())
def test_headers_as_typed(header: str, path: str) -> None:
    assert path_for(header) == path


def test_headers_are_data() -> None:
    """Every column and header comes from the TOML file beside the column table."""
    with COLUMNS_FILE.open("rb") as stream:
        table = tomllib.load(stream)
    assert [c["path"] for c in table["column"]] == [c.path for c in COLUMNS]
    assert all(tuple(c["headers"]) == col.headers for c, col in zip(table["column"], COLUMNS,
                                                                    strict=True))
    for column in COLUMNS:
        for header in column.headers:
            assert path_for(header) == column.path, header


def test_unknown_header_gets_a_suggestion(tmp_path: Path) -> None:
    row = good_row()
    row["Kontonumer"] = row.pop("Kontonummer")
    row["Merknad"] = "x"
    (record,) = read_cases(write_csv(tmp_path / "v.csv", sheet_rows([row])))
    warnings = {i.location.field: i for i in record.issues if i.severity is Severity.WARNING}
    assert warnings["Kontonumer"].hint == "did you mean 'Kontonummer'?"
    assert "--columns" in (warnings["Merknad"].hint or "")
    assert suggest("Organisasjonsnumer") == "Organisasjonsnummer"


def test_missing_required_column_suggests_the_likeliest_header(tmp_path: Path) -> None:
    row = good_row()
    row["Søkt belop"] = row.pop("Søkt beløp")
    row["Merknad"] = row.pop("Saksnummer")
    with pytest.raises(InputError) as raised:
        read_cases(write_csv(tmp_path / "w.csv", sheet_rows([row])))
    message = str(raised.value)
    assert "required columns missing: 'Søkt beløp'" in message
    assert "did you mean the column 'Søkt belop'?" in message
    assert "'Saksnummer' (or 'Vår referanse' / 'Saksnr');" in message  # nothing like it
    assert "--columns" in message


def test_a_missing_amount_granted_column_is_one_error(tmp_path: Path) -> None:
    rows = [good_row(Saksnummer=str(n)) for n in range(7)]
    for row in rows:
        row["Gitt"] = row.pop("Innvilget beløp")
    path = write_workbook(tmp_path / "v.xlsx", {"Vedtak": sheet_rows(rows)})
    records = read_cases(path)
    with pytest.raises(InputError, match=r"v\.xlsx, sheet 'Vedtak': row 2 .* amount granted.*"
                                         r"'Innvilget beløp'.*--columns"):
        list(records)
    rejections = [good_row(Vedtak="avslag", **{"Innvilget beløp": None})]
    del rejections[0]["Innvilget beløp"]
    (record,) = read_cases(write_csv(tmp_path / "avslag.csv", sheet_rows(rejections)))
    assert record.case is not None  # a rejection needs no amount granted


def test_column_mapping_file(tmp_path: Path) -> None:
    mapping = tmp_path / "kolonner.toml"
    mapping.write_text('"Gitt" = "Innvilget beløp"\n"Ref" = "decision.case_number"\n'
                       '"Hvem" = "saksbeh."\n', encoding="utf-8")
    row = good_row(**{"Innvilget beløp": "40 000"})
    row["Gitt"] = row.pop("Innvilget beløp")
    row["Ref"] = row.pop("Saksnummer")
    row["Hvem"] = row.pop("Saksbehandler")
    path = write_csv(tmp_path / "v.csv", sheet_rows([row], titles=[["Tittel"]]))
    with pytest.raises(InputError):
        read_cases(path)
    (record,) = read_cases(path, columns=mapping)
    assert record.case is not None, [str(i) for i in record.issues]
    assert record.case.decision.amount_granted == 40_000
    assert record.case.reference == "22/00123-1"
    assert record.columns["decision.amount_granted"] == "Gitt"
    pairs = {"gitt": "Tilsagn", "REF": "Saksnr", "Hvem": "Saksbehandler"}
    (again,) = read_cases(path, columns=pairs)
    assert again.case == record.case


@pytest.mark.parametrize(("text", "fragment"), [
    ('"Gitt" = "Innvilgt belop"', r"'Innvilgt belop' is not a column.*did you mean "
                                  r"'Innvilget beløp'\?"),
    ('"Gitt" = 3', "must map to one of our column names"),
    ('"Gitt" = ', "not a TOML column mapping"),
])
def test_bad_column_mapping_is_a_config_error(tmp_path: Path, text: str, fragment: str) -> None:
    mapping = tmp_path / "k.toml"
    mapping.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=fragment):
        load_column_map(mapping)
    assert ConfigError("x").exit_code == 2
    with pytest.raises(ConfigError, match="cannot be read"):
        load_column_map(tmp_path / "finnes-ikke.toml")


def test_mapping_in_a_columns_table(tmp_path: Path) -> None:
    mapping = tmp_path / "k.toml"
    mapping.write_text('[columns]\n"Gitt" = "Tilsagn"\n', encoding="utf-8")
    assert load_column_map(mapping) == {"gitt": "decision.amount_granted"}
