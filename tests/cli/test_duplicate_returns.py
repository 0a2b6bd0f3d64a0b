"""Two returned workbooks for one grant (issue 11, Duplicates).

The later one is an error that names the earlier file, and no second checklist
(or repayment claim) is made from it; the first is made as usual.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from grantdocs.cli import cli
from tests.helpers import SAMPLES

RETURN = SAMPLES / "returns" / "22-00133-5_Apen-dor-regnskap.xlsx"
REFERENCE = "22/00133-5"


def test_a_second_return_for_one_grant_is_an_error_naming_the_first(tmp_path: Path) -> None:
    returns = tmp_path / "returns"
    returns.mkdir()
    first, second = returns / "a-first.xlsx", returns / "b-again.xlsx"
    shutil.copy(RETURN, first)
    shutil.copy(RETURN, second)
    out = tmp_path / "out"
    run = CliRunner().invoke(cli, [
        "checklist", "--decisions", str(SAMPLES / "decisions.json"), "--return", str(returns),
        "--received", "20.02.2023", "--out", str(out), "--format", "xlsx", "--jobs", "1"])
    assert run.exit_code == 1, run.output
    errors = [line for line in run.stderr.splitlines() if ": error: " in line]
    assert errors == [
        f"{second}: error: a second returned workbook for {REFERENCE}: {first} was already "
        "read for it (keep one return per grant: remove the older one, or the one sent by "
        "mistake; no document is made from this workbook) [GD-E080]"], run.stderr
    made = [p.name for p in out.glob("*.xlsx")]
    assert len(made) == 1 and made[0].endswith("_kontroll.xlsx"), made  # no "-2" copy
    assert "-2_" not in made[0]
    rows = json.loads((out / "manifest.json").read_text("utf-8"))["outputs"]
    by_status = {r["status"]: r for r in rows}
    assert by_status["written"]["file"] == str(first)
    failed = by_status["failed"]
    assert failed["file"] == str(second) and failed["reference"] == REFERENCE
    assert str(first) in failed["error"]


def test_the_repeated_return_in_nynorsk(tmp_path: Path) -> None:
    shutil.copy(RETURN, tmp_path / "one.xlsx")
    run = CliRunner().invoke(cli, [
        "repayment-claim", "--decisions", str(SAMPLES / "decisions.json"),
        "--return", str(RETURN), "--return", str(tmp_path / "one.xlsx"),
        "--received", "20.02.2023", "--date", "06.03.2023", "--out", str(tmp_path / "out"),
        "--format", "docx", "--jobs", "1"], env={"GRANTDOCS_LANG": "nn"})
    assert run.exit_code == 1, run.output
    line = next(x for x in run.stderr.splitlines() if "GD-E080" in x)
    assert line.startswith(f"{tmp_path / 'one.xlsx'}: feil: endå ei returnert arbeidsbok for "
                           f"{REFERENCE}: {RETURN} er alt lesen inn"), line
    assert len(list((tmp_path / "out").glob("*.docx"))) == 1
