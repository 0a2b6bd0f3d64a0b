"""The DOCX letter looks like the PDF letter; report templates and workbooks in LibreOffice.

LibreOffice exports each DOCX to PDF (one run per session: ``conftest.libreoffice_pdfs``);
the tests compare that with the PDF WeasyPrint made of the same letter, as a reader would
see them: the same number of pages, the same font, the same words in the same order, and
every line where the PDF has it.
"""

from __future__ import annotations

import difflib
import io
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import docx
import pikepdf
import pytest
from fontTools.ttLib import TTFont
from openpyxl import load_workbook

from tests.helpers import rendered, require_tool
from tests.writers.conftest import LETTERS

MM_PER_PT = 25.4 / 72
#: How far a word of the DOCX may stand from where the PDF has it.
WORD_TOLERANCE_MM = 1.5
#: The letterhead, the address and the reference block: where a window envelope looks.
HEAD_TOLERANCE_MM = 1.0
#: The share of words that must be within the tolerance. A block that fits above the
#: page's foot by a fraction of a millimetre in one and not the other moves to the next
#: page (CSS keeps 3 lines together, Word 2): that is the one difference allowed.
WORDS_IN_PLACE = 0.95
HEADINGS_IN_PLACE = 0.8
PAGE_TOP_MM, PAGE_FOOT_MM = 28.0, 297.0 - 26.0  # letter.css's @page margins

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Word:
    page: int
    x: float  # mm from the left edge
    y: float  # mm from the top edge, the word's bottom
    text: str


def words(pdf: Path | bytes) -> list[Word]:
    """Every word with its page and position, as poppler's pdftotext -bbox-layout reads it."""
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    out = subprocess.run([require_tool("pdftotext"), "-bbox-layout", "-", "-"], input=data,
                         capture_output=True, check=True).stdout.decode()
    root = ElementTree.fromstring(re.sub(r'\sxmlns="[^"]+"', "", out, count=1))
    found = []
    for number, page in enumerate(root.iter("page"), start=1):
        for word in page.iter("word"):
            found.append(Word(number, float(word.get("xMin", 0)) * MM_PER_PT,
                              float(word.get("yMax", 0)) * MM_PER_PT, word.text or ""))
    return found


def embedded_fonts(pdf: Path | bytes) -> set[tuple[str, bool]]:
    """(family, bold) of every font program embedded in the PDF, from its own name table.

    WeasyPrint names its fonts after the CSS family ("Grantdocs Sans"), LibreOffice after
    the font file; the font programs inside say what they are.
    """
    found = set()
    with pikepdf.open(io.BytesIO(pdf.read_bytes() if isinstance(pdf, Path) else pdf)) as doc:
        for page in doc.pages:
            for font in page.Resources.get("/Font", {}).values():
                descendants = font.get("/DescendantFonts")
                descriptor = (descendants[0] if descendants else font).FontDescriptor
                program = descriptor.get("/FontFile2")
                assert program is not None, f"{descriptor.FontName} is not an embedded TrueType"
                names = TTFont(io.BytesIO(program.read_bytes()))["name"]
                found.add((str(names.getDebugName(1)),
                           "bold" in str(names.getDebugName(2)).lower()))
    return found


def pdffonts(pdf: Path) -> list[str]:
    """The font names pdffonts lists, without the subset prefix."""
    out = subprocess.run([require_tool("pdffonts"), str(pdf)], capture_output=True, text=True,
                         check=True).stdout.splitlines()[2:]
    return [line.split()[0].split("+")[-1] for line in out if line.strip()]


def page_count(pdf: Path | bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf.read_bytes() if isinstance(pdf, Path) else pdf)) as doc:
        return len(doc.pages)


@pytest.mark.parametrize(("kind", "lang"), LETTERS, ids=[f"{k}-{lang}" for k, lang in LETTERS])
def test_docx_letter_looks_like_the_pdf_letter(libreoffice_pdfs: dict[str, Path], kind: str,
                                               lang: str) -> None:
    weasy = rendered(kind, lang, "pdf")
    office = libreoffice_pdfs[f"letter-{kind}-{lang}.docx"]

    assert page_count(office) == page_count(weasy)
    assert embedded_fonts(office) == embedded_fonts(weasy) == {("Noto Sans", False),
                                                              ("Noto Sans", True)}
    assert all(name.startswith("NotoSans-") for name in pdffonts(office)), pdffonts(office)

    # the body's words (the running header and footer, on every page, apart)
    ours, theirs = (
        [w for w in words(pdf) if PAGE_TOP_MM - 1 < w.y < PAGE_FOOT_MM + 2]
        for pdf in (weasy, office)
    )
    assert [w.text for w in theirs] == [w.text for w in ours]  # the same words, in order
    # Where a block moved to the next page, the rest of that page moves with it: each
    # page's lines are compared after that page's own shift (its median).
    shift: dict[int, float] = {}
    for page in {a.page for a in ours}:
        moved = sorted(b.y - a.y for a, b in zip(ours, theirs, strict=True)
                       if a.page == b.page == page)
        shift[page] = moved[len(moved) // 2] if moved else 0.0
    assert abs(shift[1]) <= HEAD_TOLERANCE_MM

    def in_place(a: Word, b: Word) -> bool:
        return (a.page == b.page and abs(b.y - a.y - shift[a.page]) <= WORD_TOLERANCE_MM
                and abs(a.x - b.x) <= WORD_TOLERANCE_MM)

    placed = sum(in_place(a, b) for a, b in zip(ours, theirs, strict=True))
    assert placed >= WORDS_IN_PLACE * len(ours), f"{placed} of {len(ours)} words in place"

    # Every heading on its page and line, the letter's head (letterhead, address, the
    # reference block, the title) to the millimetre: where a window envelope looks.
    document = docx.Document(io.BytesIO(rendered(kind, lang, "docx")))
    headings = [p.text for p in document.paragraphs
                if p.style is not None and p.style.name.startswith("Heading")]
    assert len(headings) >= 3
    texts = [w.text for w in ours]
    at, headings_placed = 0, 0
    for number, text in enumerate(headings):
        phrase = text.split()[:3]
        at = next(i for i in range(at, len(texts)) if texts[i : i + len(phrase)] == phrase)
        a, b = ours[at], theirs[at]
        headings_placed += in_place(a, b)
        if number == 0:
            for a, b in zip(ours[: at + 1], theirs[: at + 1], strict=True):
                assert (a.page, b.page) == (1, 1)
                assert abs(a.y - b.y) <= HEAD_TOLERANCE_MM, (a, b)
                assert abs(a.x - b.x) <= HEAD_TOLERANCE_MM, (a, b)
    assert headings_placed >= HEADINGS_IN_PLACE * len(headings), (headings_placed, headings)


def test_the_comparison_sees_a_difference(libreoffice_pdfs: dict[str, Path]) -> None:
    """Not vacuous: a rejection's DOCX does not pass for the grant letter's PDF."""
    ours = [w.text for w in words(rendered("granted", "nb", "pdf"))]
    theirs = [w.text for w in words(libreoffice_pdfs["letter-rejected-nb.docx"])]
    assert difflib.SequenceMatcher(None, ours, theirs, autojunk=False).ratio() < 0.8
    assert page_count(libreoffice_pdfs["letter-rejected-nb.docx"]) != page_count(
        rendered("granted", "nb", "pdf"))


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_report_template_headers_are_whole_words(libreoffice_pdfs: dict[str, Path],
                                                 lang: str) -> None:
    """No column header breaks inside a word, and every fill-in column has room to write."""

    source = libreoffice_pdfs[f"report-{lang}.docx"].parent.parent / "in" / f"report-{lang}.docx"
    document = docx.Document(source)
    laid_out = {w.text for w in words(libreoffice_pdfs[f"report-{lang}.docx"])}
    headers: list[str] = []
    fill_in_columns = 0
    for table in document.tables:
        headers += [w for cell in table.rows[0].cells for w in cell.text.split()]
        for column in table.columns:
            if not any(cell.text.strip() for cell in column.cells[1:]):  # to fill in
                fill_in_columns += 1
                assert column.width is not None and column.width.cm >= 2.5, table.rows[0].cells
    assert fill_in_columns >= 8 and "Kommentar" in headers
    broken = [word for word in headers if word not in laid_out]
    assert not broken, f"headers broken inside a word by LibreOffice: {broken}"


WORKBOOKS = ("accounts-nb.xlsx", "accounts-nn.xlsx", "accounts-filled.xlsx",
             "checklist-nb.xlsx", "checklist-nn.xlsx")


@pytest.mark.parametrize("name", WORKBOOKS)
def test_workbooks_use_one_named_family(libreoffice_pdfs: dict[str, Path], name: str) -> None:
    """Every font of the workbook names Noto Sans, and LibreOffice sets every cell in it
    (no serif fallback for bold and italic cells)."""
    workbook = load_workbook(libreoffice_pdfs[name].parent.parent / "in" / name)
    fonts = {cell.font.name for ws in workbook.worksheets for row in ws.iter_rows()
             for cell in row if cell.value is not None}
    assert fonts == {"Noto Sans"}
    bold_or_italic = [cell for ws in workbook.worksheets for row in ws.iter_rows()
                      for cell in row if cell.value is not None
                      and (cell.font.bold or cell.font.italic)]
    assert bold_or_italic
    families = {family for family, _ in embedded_fonts(libreoffice_pdfs[name])}
    assert families == {"Noto Sans"}, pdffonts(libreoffice_pdfs[name])


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_checklist_rows_are_as_tall_as_their_wrapped_text(libreoffice_pdfs: dict[str, Path],
                                                          lang: str) -> None:
    """A control row whose text is well longer than its column is two lines high or more, so its
    wrapped lines do not hide under the next row."""
    name = f"checklist-{lang}.xlsx"
    ws = load_workbook(libreoffice_pdfs[name].parent.parent / "in" / name).active
    assert ws is not None
    long_rows = [row for row in range(1, ws.max_row + 1)
                 if any(isinstance(c.value, str) and c.alignment.wrap_text
                        and len(c.value) > 1.5 * (ws.column_dimensions[c.column_letter].width or 10)
                        for c in ws[row])]
    assert long_rows
    for row in long_rows:
        height = ws.row_dimensions[row].height
        assert height is not None and height >= 2 * 11 * 1.2, row
