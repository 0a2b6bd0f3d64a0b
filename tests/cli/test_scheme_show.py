"""``grantdocs scheme show``: sub-goals, reason codes with both labels, limits (issue 11)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from click.testing import CliRunner

from grantdocs.cli import cli
from tests.conftest import ROOT

SCHEME = ROOT / "src" / "grantdocs" / "data" / "schemes" / "imdi-integreringsarbeid-2022.toml"


def test_scheme_show_json_matches_the_scheme_file() -> None:
    raw = tomllib.loads(SCHEME.read_text("utf-8"))
    result = CliRunner().invoke(cli, ["scheme", "show", "--json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert [g["code"] for g in shown["sub_goals"]] == [g["code"] for g in raw["sub_goals"]]
    assert [g["nb"] for g in shown["sub_goals"]] == [g["text"]["nb"] for g in raw["sub_goals"]]
    assert [g["nn"] for g in shown["sub_goals"]] == [g["text"]["nn"] for g in raw["sub_goals"]]
    assert [r["code"] for r in shown["reasons"]] == [r["code"] for r in raw["reasons"]]
    for reason in shown["reasons"]:
        assert reason["nb"] and reason["nn"] and reason["nb"] != reason["nn"]
        assert "{" not in reason["nb"] + reason["nn"]  # placeholders filled in
    for key, value in raw["limits"].items():
        assert shown["limits"][key] == value
    assert shown["deadlines"]["appeal_weeks"] == raw["appeal"]["deadline_weeks"]


def test_scheme_show_prints_codes_labels_and_limits_of_a_given_file(tmp_path: Path) -> None:
    text = SCHEME.read_text("utf-8")
    raw = tomllib.loads(text)
    old_min = raw["limits"]["measure_min"]
    changed = tmp_path / "scheme.toml"
    changed.write_text(text.replace(f"measure_min = {old_min}", "measure_min = 12345"), "utf-8")
    result = CliRunner().invoke(cli, ["scheme", "show", "--scheme", str(changed)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "measure_min: 12345" in out
    for goal in raw["sub_goals"]:
        assert f"  {goal['code']} " in out
        assert f"nb: {goal['text']['nb']}" in out and f"nn: {goal['text']['nn']}" in out
    for reason in raw["reasons"]:
        assert reason["code"] in out
    # the reason measure-under-min names the file's minimum
    assert "kr 12 345" in out.replace("\u00a0", " ").replace("\u202f", " ")


def test_scheme_show_refuses_a_broken_scheme_file(tmp_path: Path) -> None:
    broken = tmp_path / "scheme.toml"
    broken.write_text("id = [", "utf-8")
    result = CliRunner().invoke(cli, ["scheme", "show", "--scheme", str(broken)])
    assert result.exit_code == 2
    assert "not valid TOML" in result.stderr
