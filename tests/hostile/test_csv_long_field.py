"""#8: a CSV field over csv's 128 KiB limit fails its own record, never the whole file."""

from __future__ import annotations

import json
from pathlib import Path

from tests.hostile._inputs import grantdocs, sample_rows, write_csv

FIELD = "x" * (200 * 1024)  # past csv.field_size_limit()'s default of 131,072


def long_field_csv(tmp_path: Path) -> Path:
    rows = sample_rows()
    header = rows[0]
    rows[21][header.index("Begrunnelse")] = FIELD  # spreadsheet row 22, as in the review
    return write_csv(tmp_path / "cell200k.csv", rows)


def test_long_csv_field_fails_only_its_row(tmp_path: Path) -> None:
    """#8: `validate` reports one error, on row 22, naming the limit; the other rows read."""
    run = grantdocs("validate", long_field_csv(tmp_path), "--json")
    assert run.returncode == 1, run.stderr
    issues = json.loads(run.stdout)
    errors = [i for i in issues if i["severity"] == "error"]
    assert [(e["row"], e["field"]) for e in errors] == [(22, "Begrunnelse")], errors
    assert "204,800 characters" in errors[0]["message"]
    assert "GRANTDOCS_MAX_CELL_CHARS" in errors[0]["message"]
    assert FIELD not in run.stdout + run.stderr  # the value is not echoed back


def test_long_csv_field_letters_for_the_other_rows(tmp_path: Path) -> None:
    """#8: `letters` writes a letter for each of the 23 other rows and fails row 22 alone."""
    out = tmp_path / "out"
    run = grantdocs("letters", long_field_csv(tmp_path), "--out", out, "--format", "html",
                    "-j", "1", "-q")
    assert run.returncode == 1, run.stderr
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["summary"]["written"] == 23 and manifest["summary"]["failed"] == 1
    assert len(list(out.glob("*.html"))) == 23
    failed = [row for row in manifest["outputs"] if row["status"] == "failed"]
    assert [(row["row"], row["reference"]) for row in failed] == [(22, "22/00217-3")], failed
    assert "GRANTDOCS_MAX_CELL_CHARS" in failed[0]["error"]
