"""``grantdocs export``: a round's awards in the 360Giving standard and in tilskudd.no's columns.

Outputs are read back with independent readers: jsonschema against the
360Giving schema shipped in tests/data/360giving (1.4.3), the csv module,
openpyxl. The expected figures are computed from the decisions file itself.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator, FormatChecker
from openpyxl import load_workbook
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from grantdocs.cli import cli
from grantdocs.writers.opendata import csv_safe
from tests.helpers import SAMPLES, make_case

ROUND = SAMPLES / "round-2022" / "decisions.json"
SCHEMA_DIR = Path(__file__).parent / "data" / "360giving"


def _schema(name: str) -> dict[str, Any]:
    return dict(json.loads((SCHEMA_DIR / name).read_text("utf-8")))


def _date_time(value: object) -> bool:
    """An RFC 3339 date-time, so 360Giving's oneOf "date-time or YYYY-MM-DD" tells them apart."""
    if not isinstance(value, str):
        return True
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return "T" in value.upper()


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    package, grant = _schema("360-giving-package-schema.json"), _schema("360-giving-schema.json")
    # the files say "http://json-schema.org/draft/2020-12/schema", which referencing does not
    # recognise as the 2020-12 dialect's URI: name the dialect
    registry: Registry = Registry().with_resource(
        grant["$id"], Resource(contents=grant, specification=DRAFT202012))
    Draft202012Validator.check_schema(package)
    checker = FormatChecker()
    checker.checks("date-time")(_date_time)
    return Draft202012Validator(package, registry=registry, format_checker=checker)


@pytest.fixture(scope="module")
def round_awards() -> list[dict[str, Any]]:
    """The awards of the 2022 sample round, straight from its decisions file."""
    cases = json.loads(ROUND.read_text("utf-8"))["cases"]
    return [c for c in cases if c["decision"]["kind"] in ("granted", "partial")
            and Decimal(str(c["decision"]["amount_granted"])) > 0]


def _export(*args: str) -> str:
    result = CliRunner().invoke(cli, ["export", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_the_2022_round_counts_86_grants_of_38_227_000(round_awards: list[dict[str, Any]]) -> None:
    assert len(round_awards) == 86
    assert sum(Decimal(str(c["decision"]["amount_granted"])) for c in round_awards) == 38_227_000


def test_360giving_json_of_the_2022_round_validates_and_sums(
        tmp_path: Path, validator: Draft202012Validator,
        round_awards: list[dict[str, Any]]) -> None:
    out = tmp_path / "tilskudd-2022.json"
    _export("360giving", str(ROUND), "--out", str(out), "-q")
    package = json.loads(out.read_text("utf-8"))
    errors = sorted(validator.iter_errors(package), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]

    broken = {**package, "grants": [{**package["grants"][0], "currency": "KR",
                                      "awardDate": "15.03.2022"}]}
    assert len(list(validator.iter_errors(broken))) == 2  # the validator does look

    grants = package["grants"]
    assert len(grants) == 86
    assert sum(Decimal(str(g["amountAwarded"])) for g in grants) == 38_227_000
    by_reference = {c["decision"]["case_number"]: c for c in round_awards}
    assert {g["id"].removeprefix("360G-imdi-") for g in grants} == set(by_reference)
    for grant in grants:
        case = by_reference[grant["id"].removeprefix("360G-imdi-")]
        assert grant["currency"] == "NOK"
        assert grant["amountAwarded"] == case["decision"]["amount_granted"]
        assert grant["awardDate"] == case["decision"]["date"]
        assert grant["title"] == case["application"]["title"]
        assert case["organisation"]["name"] in grant["description"]
        assert grant["recipientOrganization"] == [{
            "id": f"NO-BRC-{case['organisation']['org_number']}",
            "name": case["organisation"]["name"]}]
        assert grant["fundingOrganization"] == [{
            "id": "NO-BRC-987879696", "name": "Integrerings- og mangfoldsdirektoratet"}]
        assert grant["grantProgramme"] == [{
            "code": "imdi-integreringsarbeid-2022",
            "title": "Integreringsarbeid i regi av frivillige organisasjoner 2022"}]


def test_360giving_csv_uses_the_standards_column_titles(
        tmp_path: Path, round_awards: list[dict[str, Any]]) -> None:
    out = tmp_path / "tilskudd-2022.csv"
    _export("360giving", str(ROUND), "--out", str(out), "-q")
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    # the column titles are the schema's own titles, joined the way 360Giving flattens them
    grant = _schema("360-giving-schema.json")
    props, org = grant["properties"], grant["$defs"]["Organization"]["properties"]
    programme = grant["$defs"]["GrantProgramme"]["properties"]
    top = {**props, "currency": grant["$defs"]["currency"]}  # currency is a $ref
    expected = [top[k]["title"] for k in ("id", "title", "description", "currency",
                                          "amountAwarded", "awardDate")]
    for group, fields in (("recipientOrganization", org), ("fundingOrganization", org),
                          ("grantProgramme", programme)):
        keys = ("code", "title") if group == "grantProgramme" else ("id", "name")
        expected += [f"{props[group]['title']}:{fields[k]['title']}" for k in keys]
    assert list(rows[0]) == expected
    assert len(rows) == 86
    assert sum(Decimal(r["Amount Awarded"]) for r in rows) == 38_227_000
    assert {r["Recipient Org:Identifier"] for r in rows} == {
        f"NO-BRC-{c['organisation']['org_number']}" for c in round_awards}


def test_tilskudd_csv_and_xlsx_hold_the_same_awards(
        tmp_path: Path, round_awards: list[dict[str, Any]]) -> None:
    csv_file, xlsx_file = tmp_path / "tildelinger.csv", tmp_path / "tildelinger.xlsx"
    _export("tilskudd", str(ROUND), "--out", str(csv_file), "-q")
    _export("tilskudd", str(ROUND), "--out", str(xlsx_file), "-q")

    raw = csv_file.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, which Excel needs to read æøå
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header = ["Mottaker", "Organisasjonsnummer", "Beløp", "Ordning", "År"]
    assert rows[0] == header
    expected = [[c["organisation"]["name"], c["organisation"]["org_number"],
                 str(c["decision"]["amount_granted"]),
                 "Integreringsarbeid i regi av frivillige organisasjoner", "2022"]
                for c in round_awards]
    assert rows[1:] == expected

    ws = load_workbook(xlsx_file).active
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    assert cells[0] == header
    assert len(cells) == 87
    assert sum(row[2] for row in cells[1:]) == 38_227_000
    for row, want in zip(ws.iter_rows(min_row=2), expected, strict=True):
        name, org_number, amount, scheme, year = row
        for text in (name, org_number, scheme):
            assert text.data_type == "s"  # every text cell a string cell
        assert [name.value, org_number.value, scheme.value] == [want[0], want[1], want[3]]
        assert (amount.value, year.value) == (int(want[2]), 2022)


def test_csv_fields_that_look_like_formulas_are_defused(tmp_path: Path) -> None:
    hostile = ['=HYPERLINK("http://example.com")', "+47 cmd", "-2+3", "@SUM(A1)", "Vanlig navn"]
    cases = [make_case("granted", organisation={"name": name},
                       decision={"case_number": f"22/00{i:03d}-2"}).model_dump(mode="json")
             for i, name in enumerate(hostile, start=100)]
    source = tmp_path / "hostile.json"
    source.write_text(json.dumps({"cases": cases}, ensure_ascii=False), "utf-8")

    out = tmp_path / "t.csv"
    _export("tilskudd", str(source), "--out", str(out), "-q")
    names = [r[0] for r in csv.reader(io.StringIO(out.read_text("utf-8-sig")), delimiter=";")]
    assert names[1:] == ["'" + n for n in hostile[:-1]] + [hostile[-1]]

    xlsx = tmp_path / "t.xlsx"
    _export("tilskudd", str(source), "--out", str(xlsx), "-q")
    ws = load_workbook(xlsx).active
    cells = [ws.cell(row=r, column=1) for r in range(2, len(hostile) + 2)]
    assert all(c.data_type == "s" for c in cells)  # text, never a formula
    assert [c.value for c in cells] == hostile


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_csv_safe_quotes_every_formula_start(text: str) -> None:
    assert csv_safe(text) == "'" + text
    assert csv_safe("Oslo " + text) == "Oslo " + text


def test_invalid_records_are_left_out_and_reported(tmp_path: Path) -> None:
    out = tmp_path / "x.json"
    source = SAMPLES / "decisions-with-errors.csv"
    result = CliRunner().invoke(cli, ["export", "360giving", str(source), "--out", str(out),
                                      "--json"])
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["failed"] > 0
    grants = json.loads(out.read_text("utf-8"))["grants"]
    assert len(grants) == summary["awards"]


def test_wrong_suffix_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "360giving", str(ROUND), "--out",
                                      str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2
    assert ".json or .csv" in result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_a_repeated_case_number_gives_one_grant(tmp_path: Path, validator: Draft202012Validator
                                                ) -> None:
    case = make_case("granted").model_dump(mode="json")
    source = tmp_path / "twice.json"
    source.write_text(json.dumps({"cases": [case, case]}, ensure_ascii=False), "utf-8")
    out = tmp_path / "x.json"
    result = CliRunner().invoke(cli, ["export", "360giving", str(source), "--out", str(out)])
    assert result.exit_code == 1
    assert "22/00123-4" in result.stderr
    package = json.loads(out.read_text("utf-8"))
    assert [g["id"] for g in package["grants"]] == ["360G-imdi-22/00123-4"]
    assert not list(validator.iter_errors(package))  # grants stay unique items
