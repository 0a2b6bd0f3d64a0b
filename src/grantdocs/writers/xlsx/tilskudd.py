"""tilskudd.no's columns of a round's awards as a workbook (``grantdocs export tilskudd``).

One sheet, the headers of ``templates/<lang>/open-data.toml`` in bold, then one
row per award: every text cell a string cell (never a formula, whatever the
text), amounts numbers in kroner, the year a plain number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from grantdocs.decide.opendata import Award
from grantdocs.writers.opendata import TILSKUDD_COLUMNS, number, tilskudd_row
from grantdocs.writers.xlsx.cells import (
    AMOUNT_FORMAT,
    font,
    new_workbook,
    put_text,
    put_value,
    workbook_bytes,
)


def tilskudd_xlsx(awards: Sequence[Award], labels: Mapping[str, str]) -> bytes:
    """tilskudd.no's columns as a workbook: text cells are text, amounts numbers in kroner."""
    wb = new_workbook()
    ws = wb.active
    assert ws is not None
    ws.title = labels["sheet"][:31]
    bold = font(bold=True)
    for column, key in enumerate(TILSKUDD_COLUMNS, start=1):
        put_text(ws, 1, column, labels[key]).font = bold
    for row, award in enumerate(awards, start=2):
        recipient, org_number, amount, scheme, year = tilskudd_row(award)
        put_text(ws, row, 1, recipient)
        put_text(ws, row, 2, org_number)
        put_value(ws, row, 3, number(amount), AMOUNT_FORMAT)
        put_text(ws, row, 4, scheme)
        put_value(ws, row, 5, year, "0")
    for letter, width in zip("ABCDE", (44, 20, 16, 56, 8), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:E{max(len(awards) + 1, 2)}"
    latest = max((a.award_date for a in awards), default=dt.date(2000, 1, 1))
    return workbook_bytes(wb, dt.datetime.combine(latest, dt.time(12, 0)))
