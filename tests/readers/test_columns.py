"""The header row: Norwegian column names (and variants) to model paths; what is missing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import BaseModel

from grantdocs.errors import InputError, Location, Severity
from grantdocs.model import (
    Application,
    ApplicationKind,
    Decision,
    DecisionKind,
    Language,
    Organisation,
)
from grantdocs.readers import REQUIRED, column_for, path_for, read_cases
from grantdocs.readers.columns import COLUMNS
from tests.readers.examples import GOOD_ORG, good_row, only_case, read, write_csv

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
    "Saksbehandlers telefon": "decision.caseworker_phone",
    "Sakshandsamars e-post": "decision.caseworker_email",
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
