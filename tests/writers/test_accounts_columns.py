"""The accounts workbook's cost table: every header has room, and "Avvik (%)" no longer
touches the comment column's header (nb "Kommentar", nn "Merknad") beside it.

Read back with openpyxl: the columns' widths and the headers' alignment, measured against
the shipped font's bold glyphs (what LibreOffice and Excel draw the headers with).
"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from grantdocs.writers import font
from grantdocs.writers.xlsx.accounts_workbook import write_accounts_workbook
from tests.helpers import make_case
from tests.workbooks import row_of


@pytest.mark.parametrize(("lang", "comment"), [("nb", "Kommentar"), ("nn", "Merknad")])
def test_headers_fit_and_keep_apart(lang: str, comment: str) -> None:
    book = load_workbook(io.BytesIO(write_accounts_workbook(make_case(lang=lang))))
    ws = book[{"nb": "Regnskap", "nn": "Rekneskap"}[lang]]
    row = row_of(ws, "Kostnadspost")
    headers = [ws.cell(row=row, column=c) for c in range(1, 7)]
    assert headers[4].value == "Avvik (%)" and str(headers[5].value).startswith(comment)
    digit = font.text_width("0", 11)
    for cell in headers[1:5]:  # right-aligned amounts: the bold header and a character's gap
        width = ws.column_dimensions[cell.column_letter].width
        assert cell.alignment.horizontal == "right" and cell.alignment.wrap_text
        needed = font.text_width(str(cell.value), 11, bold=True) / digit
        assert width >= needed + 2, (cell.value, width, needed)
    assert headers[5].alignment.horizontal == "left" and headers[5].alignment.indent >= 1
    first_line = ws.cell(row=row + 1, column=6)
    assert first_line.alignment.indent >= 1 and first_line.alignment.wrap_text
