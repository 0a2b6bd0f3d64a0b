"""Statistics count what was decided, rule breaches included, and warn about each (issue 11)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from grantdocs.cli.stats import stats as stats_command
from grantdocs.scheme import load_scheme
from tests.conftest import make_case


def _round(tmp_path: Path) -> tuple[Path, Decimal, Decimal]:
    limits = load_scheme().limits
    over = limits.project_budget_max + 1000  # a budget just over the maximum
    under = limits.measure_min - 1000        # a measure granted under the minimum
    cases = [
        make_case("granted", requested=450_000),
        make_case("granted", requested=300_000,
                  organisation={"org_number": "992676507"},
                  application={"reference": "S-2022-0043", "annual_budget": str(over)},
                  decision={"case_number": "22/00124-4"}),
        make_case("granted", requested=int(under),
                  organisation={"org_number": "971016264"},
                  application={"reference": "S-2022-0044", "kind": "measure",
                               "annual_budget": None},
                  decision={"case_number": "22/00125-4"}),
    ]
    path = tmp_path / "round.json"
    path.write_text(json.dumps({"cases": [c.model_dump(mode="json") for c in cases]},
                               ensure_ascii=False), "utf-8")
    total = sum((c.decision.amount_granted for c in cases), Decimal(0))
    requested = sum((c.application.amount_requested for c in cases), Decimal(0))
    return path, requested, total


def test_rule_breaking_grants_are_counted_and_warned_about(tmp_path: Path) -> None:
    source, requested, granted = _round(tmp_path)
    out = tmp_path / "statistikk.xlsx"
    result = CliRunner().invoke(stats_command, [str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    # Every decision is counted: the totals read back from the workbook.
    sheet = openpyxl.load_workbook(out).worksheets[0]
    figures = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert figures["Søknader"] == 3 and figures["Tildelinger"] == 3
    assert Decimal(str(figures["Omsøkt"])) == requested
    assert Decimal(str(figures["Tildelt"])) == granted
    # Each breach is a warning naming it; nothing is an error or left out.
    assert "warning: the project's annual budget" in result.stderr
    assert "exceeds the scheme's maximum" in result.stderr
    assert "warning: a single measure must be granted at least" in result.stderr
    assert "error:" not in result.stderr and "left out" not in result.stderr


def test_quiet_stats_still_count_rule_breaking_grants(tmp_path: Path) -> None:
    source, _, _ = _round(tmp_path)
    out = tmp_path / "s.xlsx"
    result = CliRunner().invoke(stats_command, [str(source), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert "Søknader: 3" in result.stdout and "Tildelinger: 3" in result.stdout
    assert "warning" not in result.stderr
