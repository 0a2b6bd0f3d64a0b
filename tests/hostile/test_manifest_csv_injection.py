"""#5: manifest.csv never carries a formula (OWASP: a leading ``'`` on = + - @ tab CR)."""

from __future__ import annotations

from pathlib import Path

from tests.hostile._out import csv_rows, grantdocs, manifest_json, sample_cases, write_cases

PAYLOADS = ('=HYPERLINK("http://127.0.0.1:9/x","x")', "+cmd|' /C calc'!A0", "@SUM(1)",
            "-1+1", "=1+1")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def test_no_manifest_csv_field_starts_a_formula(tmp_path: Path) -> None:
    """#5: organisation, reference and error of written and failed rows are escaped."""
    cases = sample_cases(len(PAYLOADS) + 1)
    for case, payload in zip(cases, PAYLOADS, strict=False):
        case["organisation"]["name"] = payload
    cases[-1]["decision"]["case_number"] = '=cmd|"/C calc"!A0'
    cases[-1]["organisation"]["org_number"] = "-1"  # an invalid record: a failed row
    source = write_cases(tmp_path / "hostile.json", cases)
    out = tmp_path / "out"
    done = grantdocs("letters", source, "--out", out, "--format", "html", "-j1", "-q")
    assert done.returncode in (0, 1), done.stderr
    rows = csv_rows(out / "manifest.csv")
    assert len(rows) == len(cases)
    for row in rows:
        for name, value in row.items():
            assert not value.startswith(FORMULA_START), (name, value)
    organisations = {row["organisation"] for row in rows}
    for payload in PAYLOADS:
        assert "'" + payload in organisations
    failed = [row for row in rows if row["status"] == "failed"]
    assert failed and failed[0]["reference"] == "'" + '=cmd|"/C calc"!A0'
    # the JSON manifest keeps the text as it is
    assert {r["organisation"] for r in manifest_json(out)} >= set(PAYLOADS)
