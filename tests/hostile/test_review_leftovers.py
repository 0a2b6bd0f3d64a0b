"""The review's findings that had no test of their own yet (#7, #18), each failing on 1096b4b.

* #7: `stats --out x.xlsx` with a control character in a name raised IllegalCharacterError;
  `repayment-claim` turned every refused workbook into a traceback.
* #18: a huge amount in a return gave a decimal.InvalidOperation traceback in read-accounts and
  "rendering failed: [<class 'decimal.InvalidOperation'>]" in the checklist; the checklist
  hashed a return while planning but rendered whatever was at its path later (TOCTOU).
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from grantdocs.batch import BatchResult, Settings
from grantdocs.errors import RecordRefused
from grantdocs.products import checklists
from tests.hostile._inputs import sample_rows, write_csv
from tests.hostile._returns import (
    DECISIONS,
    RECEIVED,
    SAMPLE_RETURN,
    checklist,
    edited_return,
    grantdocs,
)

CONTROLS = "\x01\x0b\x1f\x1b\x08\x0c"


def test_stats_workbook_with_control_characters_in_names(tmp_path: Path) -> None:
    """#7: organisation, municipality and county with control characters: the statistics
    workbook is written, and holds the names without them."""
    rows = sample_rows()
    header = rows[0]
    for row in rows[1:6]:
        for column in ("Organisasjon", "Kommune", "Fylke"):
            at = header.index(column)
            row[at] = f"{row[at][:3]}{CONTROLS}{row[at][3:]}"
    source = write_csv(tmp_path / "controls.csv", rows)
    out = tmp_path / "stats.xlsx"
    result = grantdocs("stats", source, "--out", out)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr and out.is_file()
    texts = [str(cell) for ws in load_workbook(out) for row in ws.iter_rows(values_only=True)
             for cell in row if isinstance(cell, str)]
    assert texts and not any(ch in text for text in texts for ch in CONTROLS)


def test_repayment_claim_refused_workbooks_are_failed_rows(tmp_path: Path) -> None:
    """#7: not a zip, no hidden sheet, a figure-forged hidden sheet: each a failed row with its
    reason, the genuine return's claim is written, exit 1, no traceback."""
    folder = tmp_path / "returns"
    folder.mkdir()
    (folder / "a_good.xlsx").write_bytes(SAMPLE_RETURN.read_bytes())
    (folder / "b_notzip.xlsx").write_bytes(b"PK but not a zip")
    wb = load_workbook(SAMPLE_RETURN)
    del wb["grantdocs"]
    wb.save(folder / "c_no_hidden.xlsx")
    wb = load_workbook(SAMPLE_RETURN)
    next(r for r in wb["grantdocs"].iter_rows() if r[0].value == "grant")[1].value = "1"
    wb.save(folder / "d_forged.xlsx")
    out = tmp_path / "claims"
    returns = [arg for path in sorted(folder.iterdir()) for arg in ("--return", path)]
    result = grantdocs("repayment-claim", "--decisions", DECISIONS, *returns,
                       "--received", RECEIVED, "--date", "06.03.2023", "--out", out,
                       "--format", "docx", "-j1", timeout=120)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    rows = json.loads((out / "manifest.json").read_text("utf-8"))["outputs"]
    status = {Path(r["file"]).name: (r["status"], r["error"] or "") for r in rows if r.get("file")}
    assert status["a_good.xlsx"][0] == "written"
    assert "not a readable XLSX workbook" in status["b_notzip.xlsx"][1]
    assert "no hidden 'grantdocs' sheet" in status["c_no_hidden.xlsx"][1]
    assert "signature does not match" in status["d_forged.xlsx"][1]
    assert all(s == "failed" for name, (s, _) in status.items() if name != "a_good.xlsx")
    assert len(list(out.glob("*.docx"))) == 1


def test_huge_amounts_in_a_return_are_cell_errors(tmp_path: Path) -> None:
    """#18: 1e300 and a 40-digit text as actual amounts: read-accounts names both cells (exit 1,
    no traceback), and the checklist is written with the two cells as errors."""
    path = edited_return(tmp_path / "huge.xlsx", {("Regnskap", "C14"): 1e300,
                                                  ("Regnskap", "C15"): "9" * 40})
    result = grantdocs("read-accounts", path, "--decisions", DECISIONS, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    errors = json.loads(result.stdout)["errors"]
    assert [e["params"]["cell"] for e in errors] == ["Regnskap!C14", "Regnskap!C15"]
    assert all("not an amount this workbook can hold" in e["message"] for e in errors)
    out = tmp_path / "out"
    batch = checklist(path, out, "--format", "xlsx", timeout=90)
    assert batch.returncode == 0, batch.stderr
    assert "InvalidOperation" not in batch.stderr
    (written,) = out.glob("*_kontroll.xlsx")
    with zipfile.ZipFile(written) as archive:
        assert b"Regnskap!C14" in b"".join(archive.read(n) for n in archive.namelist())


def test_checklist_renders_the_return_it_planned_not_a_later_one(tmp_path: Path) -> None:
    """#18 (TOCTOU): a return replaced between planning (where its bytes are hashed) and
    rendering is refused, not rendered under the first version's hash; unchanged, it renders."""
    path = tmp_path / "return.xlsx"
    path.write_bytes(SAMPLE_RETURN.read_bytes())
    kind = checklists([DECISIONS], received=dt.date(2023, 2, 20))
    settings = Settings()
    (job,) = kind.plan([path], settings, BatchResult())
    state = kind.start(settings, ("xlsx",))
    assert kind.render(state, job, ("xlsx",)).files
    edited_return(path, {("Regnskap", "F14"): "written after the run read the file"})
    with pytest.raises(RecordRefused, match="changed after this run read it"):
        kind.render(state, job, ("xlsx",))
