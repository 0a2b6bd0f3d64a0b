"""#1: text in every XLSX grantdocs writes is a string cell, never a formula.

Applicant text that starts with "=" (organisation, county, municipality, project) used to be
stored as a live formula in the statistics workbook (``ws.append``). Each workbook is read back
with openpyxl and its XML is searched for ``<f>`` elements.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from tests.conftest import SAMPLES
from tests.hostile._returns import grantdocs

PAYLOADS = ['=HYPERLINK("http://127.0.0.1:8765/x","x")', "=1+1", "+cmd|' /C calc'!A0",
            "@SUM(1)", "-1+1", "=2+2"]
TEXT_COLUMNS = ("Organisasjon", "Kommune", "Fylke", "Prosjekt")


def hostile_csv(path: Path) -> Path:
    """samples/decisions.csv with formula-looking text in the applicant's text columns."""
    text = (SAMPLES / "decisions.csv").read_text("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    for number, row in enumerate(rows[:12]):
        for column in TEXT_COLUMNS:
            row[column] = PAYLOADS[(number + len(column)) % len(PAYLOADS)]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), "utf-8-sig")
    return path


def formulas(path: Path) -> list[str]:
    """The text of every <f> element in the workbook's sheets."""
    with zipfile.ZipFile(path) as archive:
        return [part for name in archive.namelist() if name.startswith("xl/worksheets/")
                for part in archive.read(name).decode("utf-8").split("<f>")[1:]]


def payload_cells(path: Path) -> list[tuple[str, object, str]]:
    wb = load_workbook(path)
    return [(f"{ws.title}!{c.coordinate}", c.value, c.data_type) for ws in wb for row in
            ws.iter_rows() for c in row
            if isinstance(c.value, str) and c.value.lstrip("=") in
            {p.lstrip("=") for p in PAYLOADS}]


def check(path: Path) -> None:
    assert not [f for f in formulas(path) if "HYPERLINK" in f or "1+1" in f or "2+2" in f]
    cells = payload_cells(path)
    assert cells, "the payloads should be in the workbook as text"
    assert all(kind == "s" and not str(value).startswith("==") for _, value, kind in cells), cells


def test_statistics_workbook_has_no_formula(tmp_path: Path) -> None:
    """#1: `grantdocs stats --out x.xlsx`; counties, municipalities, recipients are text."""
    out = tmp_path / "stats.xlsx"
    result = grantdocs("stats", hostile_csv(tmp_path / "hostile.csv"), "--out", out)
    assert out.is_file(), result.stderr
    assert formulas(out) == []
    check(out)


def test_other_workbooks_have_only_their_own_formulas(tmp_path: Path) -> None:
    """#1: the accounts workbooks and the tilskudd export hold the applicant's text as text."""
    source = hostile_csv(tmp_path / "hostile.csv")
    grantdocs("accounts-workbooks", source, "--out", tmp_path / "acc", "-j1")
    books = sorted((tmp_path / "acc").glob("*.xlsx"))
    assert books
    hit = False
    for book in books:
        assert not [f for f in formulas(book) if "HYPERLINK" in f or "+1" in f or "+2" in f]
        hit = hit or bool(payload_cells(book))
        assert all(kind == "s" for _, _, kind in payload_cells(book))
    assert hit
    export = tmp_path / "tilskudd.xlsx"
    grantdocs("export", "tilskudd", source, "--out", export)
    assert export.is_file()
    assert formulas(export) == []
    check(export)
