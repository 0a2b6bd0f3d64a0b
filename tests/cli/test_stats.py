"""``grantdocs stats`` through click's CliRunner: the printed figures, the file, the refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from grantdocs.cli.stats import stats as stats_command
from tests.helpers import ROOT
from tests.rounds import FIGURES_NB, FIGURES_NN, ROUND, plain


@pytest.mark.parametrize(("lang", "suffix"), [("nb", "pdf"), ("nn", "xlsx")])
@pytest.mark.usefixtures("shared_pdf_renders")  # the PDF tests/render/test_stats.py reads
def test_cli_prints_the_figures_and_writes(tmp_path: Path, lang: str, suffix: str) -> None:
    out = tmp_path / f"statistikk.{suffix}"
    result = CliRunner().invoke(stats_command, [str(ROUND), "--out", str(out), "--lang", lang])
    assert result.exit_code == 0, result.output
    assert plain(result.stdout).splitlines() == (FIGURES_NB if lang == "nb" else FIGURES_NN)
    assert out.read_bytes()[:4] == (b"%PDF" if suffix == "pdf" else b"PK\x03\x04")
    assert not list(tmp_path.glob(".*.part"))


def test_cli_reports_and_excludes_invalid_records(tmp_path: Path) -> None:
    bad = ROOT / "samples" / "decisions-with-errors.csv"
    out = tmp_path / "s.xlsx"
    result = CliRunner().invoke(stats_command, [str(bad), "--out", str(out), "-q"])
    assert result.exit_code == 1
    assert "1 invalid record left out" in result.stderr  # rule breaches are counted
    assert "row 10, Organisasjonsnummer" in result.stderr
    assert "Søknader: 19" in result.stdout and out.is_file()


def test_cli_refuses_an_unknown_suffix(tmp_path: Path) -> None:
    result = CliRunner().invoke(stats_command, [str(ROUND), "--out", str(tmp_path / "s.txt")])
    assert result.exit_code == 2
    assert ".pdf or .xlsx" in result.stderr
