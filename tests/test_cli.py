"""The command line as a caseworker runs it: real processes, real sample files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from grantdocs.readers import read_cases
from tests.conftest import SAMPLES, pdftotext


def grantdocs(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "grantdocs", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=600)


def test_three_bad_rows_of_twenty(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = grantdocs("letters", SAMPLES / "decisions-with-errors.csv", "--out", out,
                    "--format", "pdf", "--jobs", "2")
    assert run.returncode == 1, run.stderr
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == 17
    errors = [line for line in run.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 3, run.stderr
    # spreadsheet rows: the header is row 1, so data rows 9, 12 and 18 are rows 10, 13 and 19
    expected = {10: "Organisasjonsnummer", 13: "Innvilget beløp", 19: "Delmål"}
    for row, column in expected.items():
        assert any(f"decisions-with-errors.csv, row {row}, {column}: error:" in line
                   for line in errors), (row, column, errors)
    assert "MOD11" in run.stderr and "more than" in run.stderr and "'D'" in run.stderr
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["summary"]["written"] == 17 and manifest["summary"]["failed"] == 3
    for row in manifest["outputs"]:
        if row["status"] == "written":
            data = (out / row["path"]).read_bytes()
            import hashlib

            assert hashlib.sha256(data).hexdigest() == row["sha256"]
            assert row["pages"] >= 1
    assert "Side 1 av" in pdftotext(pdfs[0].read_bytes())


def test_validate_reports_and_writes_nothing(tmp_path: Path) -> None:
    run = grantdocs("validate", SAMPLES / "decisions-with-errors.csv", cwd=tmp_path)
    assert run.returncode == 1
    assert run.stderr.count(": error: ") == 3
    assert list(tmp_path.iterdir()) == []
    for sample in ("decisions.csv", "decisions.xlsx", "decisions.json"):
        ok = grantdocs("validate", SAMPLES / sample, "--json")
        assert ok.returncode == 0, ok.stdout
        issues = json.loads(ok.stdout)
        assert all(i["severity"] == "warning" for i in issues)


def test_samples_in_three_formats_hold_the_same_cases() -> None:
    cases = {}
    for sample in ("decisions.csv", "decisions.xlsx", "decisions.json"):
        records = list(read_cases(SAMPLES / sample))
        assert all(r.case is not None for r in records), [str(i) for r in records
                                                           for i in r.issues]
        cases[sample] = [r.case for r in records]
    assert len(cases["decisions.json"]) >= 20
    assert cases["decisions.csv"] == cases["decisions.json"] == cases["decisions.xlsx"]


def test_schema_prints_one_input_schema() -> None:
    run = grantdocs("schema")
    assert run.returncode == 0
    schema = json.loads(run.stdout)
    assert {"Round", "Case"} <= set(schema["$defs"])
    case = schema["$defs"]["Case"]
    assert case["type"] == "object" and {"organisation", "application", "decision"} <= set(
        case["properties"])


def test_configuration_errors_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "scheme.toml"
    bad.write_text('id = "x"\nyear = "not a year"\n')
    run = grantdocs("letters", SAMPLES / "decisions.json", "--out", tmp_path / "o",
                    "--scheme", bad)
    assert run.returncode == 2
    assert str(bad) in run.stderr and "year" in run.stderr
    run = grantdocs("letters", SAMPLES / "decisions.json", "--out", tmp_path / "o",
                    "--format", "rtf")
    assert run.returncode == 2
    wrong = tmp_path / "cases.txt"
    wrong.write_text("x")
    run = grantdocs("validate", wrong)
    assert run.returncode == 2 and "cases.txt" in run.stderr


@pytest.mark.slow
def test_demo_writes_every_sample_letter(tmp_path: Path) -> None:
    run = grantdocs("demo", "--out", tmp_path / "demo")
    assert run.returncode == 0, run.stderr
    count = len(list(read_cases(SAMPLES / "decisions.json")))
    letters = tmp_path / "demo" / "letters"
    assert len(list(letters.glob("*.pdf"))) == count
    assert len(list(letters.glob("*.docx"))) == count
