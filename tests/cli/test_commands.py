"""The command line as a caseworker runs it, in process (click's CliRunner), on the real samples.

What is about the process itself (signals, worker processes, a killed parent) is
tested with real processes in tests/batch/ and tests/test_batch.py.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook

from grantdocs.readers import read_cases
from tests.helpers import (
    SAMPLES,
    cli,
    docx_text,
    flat,
    html_text,
    manifest,
    manifest_rows,
    pdftotext,
    sha256,
)


@pytest.mark.slow
def test_three_bad_rows_of_twenty(tmp_path: Path) -> None:
    """The rows are told apart by the reading and the rules, not by the format: HTML spares
    seventeen PDFs. The same seventeen letters as PDF (pages, "Side 1 av") are read back
    among the sample letters (tests/test_archive.py, tests/test_pdf_stream_length.py)."""
    out = tmp_path / "out"
    run = cli("letters", SAMPLES / "decisions-with-errors.csv", "--out", out,
              "--format", "html", "--jobs", "1")
    assert run.exit_code == 1, run.output
    letters = sorted(out.glob("*.html"))
    assert len(letters) == 17
    errors = [line for line in run.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 3, run.stderr
    # spreadsheet rows: the header is row 1, so data rows 9, 12 and 18 are rows 10, 13 and 19
    expected = {10: "Organisasjonsnummer", 13: "Innvilget beløp", 19: "Delmål"}
    for row, column in expected.items():
        assert any(f"decisions-with-errors.csv, row {row}, {column}: error:" in line
                   for line in errors), (row, column, errors)
    assert "MOD11" in run.stderr and "more than" in run.stderr and "'D'" in run.stderr
    assert manifest(out)["summary"]["written"] == 17 and manifest(out)["summary"]["failed"] == 3
    failed = {r["row"] for r in manifest_rows(out) if r["status"] == "failed"}
    assert failed == set(expected)
    for row in manifest_rows(out):
        if row["status"] == "written":
            assert sha256(out / row["path"]) == row["sha256"]
            assert row["format"] == "html"
            assert row["reference"] in html_text((out / row["path"]).read_text("utf-8"))


def test_validate_reports_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             ) -> None:
    monkeypatch.chdir(tmp_path)
    run = cli("validate", SAMPLES / "decisions-with-errors.csv")
    assert run.exit_code == 1
    assert run.stderr.count(": error: ") == 3
    assert "3 errors" in run.stderr
    assert list(tmp_path.iterdir()) == []
    for sample in ("decisions.csv", "decisions.xlsx", "decisions.json"):
        ok = cli("validate", SAMPLES / sample, "--json")
        assert ok.exit_code == 0, ok.stdout
        issues = json.loads(ok.stdout)
        assert issues and all(i["severity"] == "warning" for i in issues)


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
    run = cli("schema")
    assert run.exit_code == 0
    schema = json.loads(run.stdout)
    assert {"Round", "Case"} <= set(schema["$defs"])
    case = schema["$defs"]["Case"]
    assert case["type"] == "object" and {"organisation", "application", "decision"} <= set(
        case["properties"])
    alone = cli("schema", "case")
    assert alone.exit_code == 0
    assert {"organisation", "application", "decision"} <= set(
        json.loads(alone.stdout)["properties"])


def test_configuration_errors_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "scheme.toml"
    bad.write_text('id = "x"\nyear = "not a year"\n')
    run = cli("letters", SAMPLES / "decisions.json", "--out", tmp_path / "o", "--scheme", bad)
    assert run.exit_code == 2
    assert str(bad) in run.stderr and "year" in run.stderr
    run = cli("letters", SAMPLES / "decisions.json", "--out", tmp_path / "o", "--format", "rtf")
    assert run.exit_code == 2 and "pdf, docx, html" in run.stderr
    wrong = tmp_path / "cases.txt"
    wrong.write_text("x")
    run = cli("validate", wrong)
    assert run.exit_code == 2 and "cases.txt" in run.stderr and "'.txt'" in run.stderr
    assert not (tmp_path / "o").exists()


def _references(folder: Path, suffix: str) -> set[str]:
    return {p.name.split("_")[0] for p in folder.glob(f"*{suffix}")}


@pytest.mark.slow
@pytest.mark.usefixtures("shared_pdf_renders")
def test_demo_writes_every_kind_of_document(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole round trip, and every file it writes read back by an independent reader;
    what it says, in Nynorsk here, with codes. Its letters are the sample letters that
    tests/test_archive.py reads: each PDF is rendered once per session (conftest.py)."""
    out = tmp_path / "demo"
    monkeypatch.setenv("GRANTDOCS_LANG", "nn")
    # One process (the engine's in-process path): each worker of a pool would build its own
    # renderer for each of the five batches, 3 CPU-seconds more; pools are tested elsewhere.
    run = cli("demo", "--out", out, "--jobs", "1")
    assert run.exit_code == 0, run.output
    said = run.stderr.splitlines()
    assert [line.split(":")[0] for line in said] == [
        "brev", "rapportmalar", "rekneskapsarbeidsbøker", "kontrollister",
        "krav om tilbakebetaling", f"statistikk for tildelingane i 2022, i {out / 'statistics'}"]
    assert said[0] == f"brev: 48 skrivne, 0 uendra, 0 mislukka, i {out / 'letters'} [GD-I020]"
    assert all(line.endswith("[GD-I020]") for line in said[:5]) and "[GD-I021]" in said[5]
    cases = [r.case for r in read_cases(SAMPLES / "decisions.json") if r.case is not None]
    everyone = {c.reference.replace("/", "-") for c in cases}
    not_rejected = {c.reference.replace("/", "-") for c in cases
                    if c.decision.kind.value != "rejected"}
    assert len(everyone) == 24 and len(not_rejected) == 16

    # every folder's manifest is true: each file listed, with its bytes and SHA-256
    for folder in ("letters", "report-templates", "accounts", "checklists", "claims"):
        rows = [r for r in manifest_rows(out / folder) if r["status"] == "written"]
        assert rows, folder
        for row in rows:
            path = out / folder / row["path"]
            assert sha256(path) == row["sha256"] and path.stat().st_size == row["bytes"]

    letters = out / "letters"
    assert _references(letters, ".pdf") == _references(letters, ".docx") == everyone
    for path in sorted(letters.glob("*.pdf"))[:3]:
        text = flat(pdftotext(path.read_bytes()))
        assert "Side 1 av" in text and path.name.split("_")[0].replace("-", "/", 1) in text
    for path in sorted(letters.glob("*.docx"))[:3]:
        assert path.name.split("_")[0].replace("-", "/", 1) in docx_text(path.read_bytes())

    reports = out / "report-templates"
    assert _references(reports, ".docx") == not_rejected
    for path in sorted(reports.glob("*.docx"))[:3]:
        document = docx.Document(str(path))
        headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
        assert headings, path.name

    accounts = out / "accounts"
    assert _references(accounts, ".xlsx") == not_rejected
    for path in sorted(accounts.glob("*.xlsx"))[:3]:
        workbook = load_workbook(path)
        assert [ws for ws in workbook.worksheets if ws.sheet_state == "visible"]
        assert [ws for ws in workbook.worksheets if ws.sheet_state != "visible"]  # identifiers

    checklists = out / "checklists"
    (pdf,) = checklists.glob("*_kontroll.pdf")
    (xlsx,) = checklists.glob("*_kontroll.xlsx")
    assert pdf.name.startswith("22-00133-5_") and xlsx.name.startswith("22-00133-5_")
    assert "22/00133-5" in pdftotext(pdf.read_bytes())
    cells = [c.value for ws in load_workbook(xlsx).worksheets for row in ws.iter_rows()
             for c in row if c.value is not None]
    assert any("22/00133-5" in str(v) for v in cells)

    claims = out / "claims"
    (claim_pdf,) = claims.glob("22-00133-5_*_tilbakebetaling.pdf")
    (claim_docx,) = claims.glob("22-00133-5_*_tilbakebetaling.docx")
    for text in (flat(pdftotext(claim_pdf.read_bytes())),
                 flat(docx_text(claim_docx.read_bytes()))):
        assert "kr 29 000" in text and "Klage" in text
    assert "krav om tilbakebetaling: 2 skrivne" in run.stderr
    rows = [r for r in manifest_rows(claims) if r["status"] == "written"]
    assert sorted(r["format"] for r in rows) == ["docx", "pdf"]

    statistics = out / "statistics"
    text = flat(pdftotext((statistics / "tildelinger-2022.pdf").read_bytes()))
    assert "kr 38 227 000" in text and "27,7 %" in text
    workbook = load_workbook(io.BytesIO((statistics / "tildelinger-2022.xlsx").read_bytes()))
    values = [c.value for ws in workbook.worksheets for row in ws.iter_rows() for c in row]
    assert 38_227_000 in values or "kr 38 227 000" in values
    assert "Tildelt: kr 38 227 000" in flat(run.stderr)
