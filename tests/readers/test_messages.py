"""Messages name the column as the sheet writes it, and a repeated one is one line."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from grantdocs.cli import cli
from grantdocs.errors import Location, warning
from grantdocs.readers.grouped import group_issues, row_ranges
from grantdocs.validate import check_inputs
from tests.readers.sheets import good_row, sheet_rows, write_workbook

PATH = re.compile(r"\b(decision|organisation|application)\.[a-z_]+")


def _sheet(tmp_path: Path) -> Path:
    rows = []
    for n in range(7):
        row = good_row(Saksnummer=f"22/0100{n}-1")
        row["Saksnr."] = row.pop("Saksnummer")
        row["Org.nr"] = row.pop("Organisasjonsnummer")
        row["Tilsagn"] = row.pop("Innvilget beløp")
        rows.append(row)
    rows[3]["Delmål"] = None  # one real error, on one row
    return write_workbook(tmp_path / "sandnes.xlsx", {"Vedtak": sheet_rows(rows)})


def test_locations_name_the_column_as_written_or_our_header(tmp_path: Path) -> None:
    checked = list(check_inputs([_sheet(tmp_path)]))
    fields = {i.location.field for c in checked for i in c.issues}
    assert "Delmål" in fields  # the sheet's own header
    assert "E-post" in fields  # a column the sheet lacks: our header, not organisation.email
    assert "Godkjent av" in fields
    assert not any(PATH.search(f or "") for f in fields), fields
    messages = " ".join(i.message + (i.hint or "") for c in checked for i in c.issues)
    assert not PATH.search(messages)


def test_validate_groups_repeated_warnings(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(_sheet(tmp_path))])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line]
    email = [line for line in lines if "no e-mail address" in line]
    assert len(email) == 1, lines
    assert ", rows 2-8, E-post: warning: no e-mail address for the organisation" in email[0]
    errors = [line for line in lines if ": error: " in line]
    assert len(errors) == 1 and "row 5, Delmål: error: a grant must name the sub-goal" in errors[0]
    assert not PATH.search(result.stderr)
    assert lines[-1].startswith("1 error, ")  # the count is still of every issue


def test_row_ranges_and_groups() -> None:
    assert row_ranges([9, 2, 3, 4, 7, 10, 3]) == "2-4, 7, 9-10"
    issues = [warning("x", Location("f.csv", n, "E-post")) for n in (2, 3, 5)]
    issues.append(warning("x", Location("f.csv", 4, "Adresse")))
    groups = group_issues(issues)
    assert [str(g) for g in groups] == ["f.csv, rows 2-3, 5, E-post: warning: x",
                                        "f.csv, row 4, Adresse: warning: x"]
