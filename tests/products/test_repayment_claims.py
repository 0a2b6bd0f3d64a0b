"""Repayment claims as a kind on the engine: written, read back, kept on a rerun, and a
return that cannot be matched is one failed row."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from grantdocs import run_batch
from grantdocs.cli import cli
from grantdocs.products import repayment_claims
from tests.helpers import SAMPLES, docx_text, make_case, pdftotext

DECISIONS = SAMPLES / "decisions.json"
RETURN = SAMPLES / "returns" / "22-00133-5_Apen-dor-regnskap.xlsx"


def flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.mark.usefixtures("shared_pdf_renders")  # the sample return's claim: one render
def test_claims_are_written_read_back_and_kept(tmp_path: Path) -> None:
    kind = repayment_claims([DECISIONS], received=dt.date(2023, 2, 20),
                            claim_date=dt.date(2023, 3, 6))
    out = tmp_path / "out"
    result = run_batch([RETURN], out, ("pdf", "docx"), kind=kind, jobs=1)
    written = [o for o in result.outputs if o.status == "written"]
    assert [(o.reference, o.kind, o.format) for o in written] == [
        ("22/00133-5", "repayment-claim", "docx"), ("22/00133-5", "repayment-claim", "pdf")]
    pdf = next(o for o in written if o.format == "pdf")
    assert pdf.path and pdf.path.endswith("_tilbakebetaling.pdf") and pdf.pages
    text = flat(pdftotext((out / pdf.path).read_bytes()))
    assert "kr 29 000" in text and "Klagerett" in text and "5. april 2023" in text
    word = flat(docx_text((out / next(o.path for o in written if o.format == "docx"
                                      and o.path)).read_bytes()))
    assert "kr 29 000" in word
    again = run_batch([RETURN], out, ("pdf", "docx"), kind=kind, jobs=2)
    assert (again.count("kept"), again.count("written")) == (2, 0)


def test_a_return_of_an_unknown_decision_is_one_failed_row(tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    case = make_case("granted", "nb", decision={"case_number": "22/09999-1"})
    other.write_text(json.dumps([case.model_dump(mode="json")], ensure_ascii=False), "utf-8")
    kind = repayment_claims([other], received=dt.date(2023, 2, 20))
    result = run_batch([RETURN], tmp_path / "out", ("pdf",), kind=kind, jobs=1)
    failed = [o for o in result.outputs if o.status == "failed"]
    assert len(failed) == 1 and "no decision with this reference" in (failed[0].error or "")
    assert result.exit_code == 1 and not list((tmp_path / "out").glob("*.pdf"))


@pytest.mark.usefixtures("shared_pdf_renders")  # the sample return's claim: one render
def test_the_command_prints_what_it_wrote_and_checks_formats_first(tmp_path: Path) -> None:
    out = tmp_path / "c"
    args = ["repayment-claim", "--decisions", str(DECISIONS), "--return", str(RETURN),
            "--received", "20.02.2023", "--date", "06.03.2023", "--out", str(out)]
    bad = CliRunner().invoke(cli, [*args, "--format", "pdf,rtf"])
    assert bad.exit_code == 2 and not out.exists()  # nothing written before the refusal
    run = CliRunner().invoke(cli, [*args, "--format", "pdf"])
    assert run.exit_code == 0, run.output
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == 1 and str(pdfs[0]) in run.stdout
    rows = json.loads((out / "manifest.json").read_text("utf-8"))["outputs"]
    assert [r["document"] for r in rows] == ["repayment-claims"]
