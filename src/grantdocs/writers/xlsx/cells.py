"""XLSX writer helpers: reproducible bytes, literal text cells, Norwegian number formats.

openpyxl's ``Workbook.save`` stamps the "modified" property with the current
time, and :mod:`zipfile` stamps every entry with it too. :func:`workbook_bytes`
writes through :class:`~openpyxl.writer.excel.ExcelWriter` instead (which keeps
the properties as set) and rewrites the archive with one fixed time, so the
same input gives the same bytes.

Number formats are stored the way OOXML wants them (``,`` groups thousands,
``.`` is the decimal point); Excel and LibreOffice show them with the reader's
locale, which for Norwegian is a space and a decimal comma: ``250 000 kr``.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.styles import Font, Protection
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from grantdocs.writers import font as shipped_font
from grantdocs.writers.zip import fixed_zip

AMOUNT_FORMAT = '#,##0 "kr";"−"#,##0 "kr"'
NUMBER_FORMAT = '#,##0;"−"#,##0'
PERCENT_FORMAT = '0.0 %;"−"0.0 %'
DATE_FORMAT = "DD.MM.YYYY"
TEXT_FORMAT = "@"

UNLOCKED = Protection(locked=False)

#: Every workbook's one family: the font the PDFs embed and the DOCX names (Noto Sans).
FONT_NAME = shipped_font.family()
FONT_SIZE = 11


def font(**attributes: Any) -> Font:
    """A Font in the workbooks' family. A Font without a name makes LibreOffice fall back
    to a serif for bold and italic cells, while plain cells keep the default."""
    return Font(name=FONT_NAME, size=attributes.pop("size", FONT_SIZE), **attributes)


def new_workbook() -> Workbook:
    """A workbook whose default font (plain cells, the Normal style) is the family too,
    named rather than the theme's (Calibri)."""
    wb = Workbook()
    base = Font(name=FONT_NAME, size=FONT_SIZE, family=2)
    wb._fonts = IndexedList([base])  # type: ignore[attr-defined]  # font 0: every plain cell
    for style in wb._named_styles:  # type: ignore[attr-defined]
        if style.name == "Normal":
            style.font = base
    return wb

# A formula-looking text: "=", "+", "-" or "@" first makes spreadsheet programs
# evaluate typed input; a written value starting so is marked as literal text.
_FORMULA_START = ("=", "+", "-", "@")


def clean_text(value: str) -> str:
    """Text without the control characters XML 1.0 cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def cell_at(ws: Worksheet, row: int, column: int) -> Cell:
    """The (unmerged) cell at row, column."""
    cell = ws.cell(row=row, column=column)
    if isinstance(cell, MergedCell):
        raise ValueError(f"{ws.title}!{cell.coordinate} is inside a merged range")
    return cell


def put_text(ws: Worksheet, row: int, column: int, value: str | None) -> Cell:
    """Write ``value`` as literal text, never a formula (``=SUM(A1)`` stays text)."""
    cell = cell_at(ws, row, column)
    if value is None:
        return cell
    text = clean_text(value)
    cell.value = text
    cell.data_type = "s"  # openpyxl would take a leading "=" as a formula
    cell.number_format = TEXT_FORMAT
    if text.startswith(_FORMULA_START):
        cell.quotePrefix = True
    return cell


def put_formula(ws: Worksheet, row: int, column: int, formula: str, fmt: str) -> Cell:
    cell = cell_at(ws, row, column)
    cell.value = formula
    cell.number_format = fmt
    return cell


def put_value(ws: Worksheet, row: int, column: int, value: Any, fmt: str | None = None) -> Cell:
    """Write a number or date (text goes through :func:`put_text`)."""
    if isinstance(value, str):
        return put_text(ws, row, column, value)
    cell = cell_at(ws, row, column)
    cell.value = value
    if fmt:
        cell.number_format = fmt
    return cell


def fit_row_height(ws: Worksheet, row: int, widths: Sequence[float]) -> None:
    """Make row `row` tall enough for its wrapped text (spreadsheet programs do not grow a
    row on their own, so wrapped lines would hide under the next row).

    `widths` are the columns' widths in Excel's units (characters of the font's digit).
    """
    digit = shipped_font.text_width("0", FONT_SIZE)
    lines = 1
    for column, width in enumerate(widths, start=1):
        value = ws.cell(row=row, column=column).value
        if not isinstance(value, str) or not value:
            continue
        room = max(width * digit - 4, digit)  # less the cell's padding
        count = 0
        for paragraph in value.split("\n"):
            line_width, count = 0.0, count + 1
            for word in paragraph.split():
                width_pt = shipped_font.text_width(word + " ", FONT_SIZE)
                if line_width and line_width + width_pt > room:
                    count, line_width = count + 1, 0.0
                line_width += width_pt
        lines = max(lines, count)
    line_pt = FONT_SIZE * shipped_font.metrics().line_height
    ws.row_dimensions[row].height = round(lines * line_pt + 2, 1)


def a4_landscape(ws: Worksheet, header_row: int) -> None:
    """Print on A4 landscape, one page wide, repeating the table's header row."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = f"{header_row}:{header_row}"


def workbook_bytes(wb: Workbook, when: dt.datetime) -> bytes:
    """The workbook as XLSX bytes, with properties and zip entries dated ``when``."""
    wb.properties.created = when
    wb.properties.modified = when
    wb.properties.lastModifiedBy = wb.properties.creator
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    return fixed_zip(raw.getvalue(), when)

