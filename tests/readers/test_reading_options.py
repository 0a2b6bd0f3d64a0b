"""--sheet and --columns on the commands that read cases."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from grantdocs.cli import cli
from tests.readers.sheets import good_row, sheet_rows, write_workbook


def test_validate_with_sheet_and_columns(tmp_path: Path) -> None:
    row = good_row(Saksnummer="22/00777-1")
    row["Gitt"] = row.pop("Innvilget beløp")
    path = write_workbook(tmp_path / "v.xlsx", {
        "Oversikt": sheet_rows([good_row(Saksnummer="1")]),
        "Runde 2": sheet_rows([row], titles=[["Runde 2"]]),
    })
    mapping = tmp_path / "kolonner.toml"
    mapping.write_text('"Gitt" = "Innvilget beløp"\n', encoding="utf-8")
    runner = CliRunner()
    plain = runner.invoke(cli, ["validate", str(path), "--sheet", "Runde 2"])
    assert plain.exit_code == 2
    assert "sheet 'Runde 2': row 3 is a decision that needs the amount granted" in plain.output
    mapped = runner.invoke(cli, ["validate", str(path), "--sheet", "Runde 2", "--columns",
                                 str(mapping), "--json"])
    assert mapped.exit_code == 0, mapped.output
    issues = json.loads(mapped.stdout)
    assert all(i["severity"] == "warning" for i in issues)
    assert {i["row"] for i in issues} == {3}
    bad = tmp_path / "feil.toml"
    bad.write_text('"Gitt" = "Ingenting"\n', encoding="utf-8")
    refused = runner.invoke(cli, ["validate", str(path), "--columns", str(bad)])
    assert refused.exit_code == 2
    assert "'Ingenting' is not a column grantdocs knows" in refused.output
    for command in ("letters", "report-templates", "accounts-workbooks", "checklist"):
        help_text = runner.invoke(cli, [command, "--help"]).output
        assert "--sheet NAME" in help_text and "--columns FILE" in help_text, command
