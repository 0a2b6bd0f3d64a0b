"""Write a round's statistics (:mod:`grantdocs.decide.stats`) as XLSX."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from grantdocs.decide.stats import HEADLINE_KEYS, Breakdown, RoundStats
from grantdocs.model import Language
from grantdocs.render.stats import FIXED_TIME, StatsLang, key_label, size_label, stats_labels
from grantdocs.writers.xlsx.cells import (
    AMOUNT_FORMAT,
    NUMBER_FORMAT,
    PERCENT_FORMAT,
    TEXT_FORMAT,
    font,
    new_workbook,
    put_text,
    put_value,
    workbook_bytes,
)

# The number formats every grantdocs workbook uses (cells.py): "250 000 kr", "−1 200 kr".
_KR, _INT, _PCT = AMOUNT_FORMAT, NUMBER_FORMAT, PERCENT_FORMAT


def stats_xlsx(stats: RoundStats, lang: StatsLang = "nb", *,
               templates: Path | str | None = None, subtitle: str | None = None) -> bytes:
    """The statistics as XLSX bytes: the headline, one sheet per breakdown, sizes, recipients.

    ``templates`` is an override folder searched before the bundled templates;
    ``subtitle`` (e.g. the scheme's name and year) goes into the title property.
    """
    labels = stats_labels(lang, templates)
    sheets = labels["sheets"]
    cols = labels["columns"]
    bold = font(bold=True)

    def table(ws: Worksheet, header: Sequence[str], rows: Iterable[Sequence[Any]],
              formats: Sequence[str | None]) -> None:
        # Every value goes through put_value/put_text: a county or recipient typed as
        # "=HYPERLINK(...)" is a string cell, never a formula (ws.append would make one).
        for column, text in enumerate(header, start=1):
            cell = put_text(ws, 1, column, text)
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        widths = [len(h) for h in header]
        for number, row in enumerate(rows, start=2):
            for column, (value, fmt) in enumerate(zip(row, formats, strict=True)):
                cell = put_value(ws, number, column + 1, value, fmt)
                widths[column] = max(widths[column], len(str(cell.value or "")) + 4)
        for column, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 12), 60)
        ws.freeze_panes = "A2"
        ws.sheet_view.showGridLines = True

    wb = new_workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheets["headline"]
    raw = {
        "requested": (stats.requested, _KR), "granted": (stats.granted, _KR),
        "ratio": (stats.ratio, _PCT), "applicants": (stats.applicants, _INT),
        "recipients": (stats.recipients, _INT), "applications": (stats.applications, _INT),
        "grants": (stats.grants, _INT),
    }
    table(ws, [cols["figure"], cols["value"]],
          [(labels["headline"][k], raw[k][0]) for k in HEADLINE_KEYS], [None, None])
    for row, key in enumerate(HEADLINE_KEYS, start=2):
        ws.cell(row=row, column=2).number_format = raw[key][1]

    def breakdown(name: str, table_key: str, rows: Sequence[Breakdown], note: str = "") -> None:
        sheet = wb.create_sheet(name)
        table(sheet,
              [cols[table_key], cols["applications"], cols["grants"], cols["requested"],
               cols["granted"], cols["ratio"]],
              [(key_label(labels, table_key, b.key), b.applications, b.grants, b.requested,
                b.granted, b.ratio) for b in rows],
              [None, _INT, _INT, _KR, _KR, _PCT])
        if note:
            put_text(sheet, sheet.max_row + 2, 1, note)

    note = labels["sub_goal_note"] if stats.multi_goal_applications else ""
    breakdown(sheets["sub_goal"], "sub_goal", stats.by_sub_goal, note)
    breakdown(sheets["kind"], "kind", stats.by_kind)
    if stats.by_county:
        breakdown(sheets["county"], "county", stats.by_county)
    if stats.by_municipality:
        breakdown(sheets["municipality"], "municipality", stats.by_municipality)
    sizes = wb.create_sheet(sheets["sizes"])
    table(sizes, [cols["size"], cols["grants"], cols["granted"]],
          [(size_label(labels, s), s.count, s.total) for s in stats.sizes], [None, _INT, _KR])
    people = wb.create_sheet(sheets["recipients"])
    table(people, [cols["recipient"], cols["org_number"], cols["grants"], cols["granted"]],
          [(r.name, r.org_number, r.grants, r.granted) for r in stats.recipient_list],
          [None, TEXT_FORMAT, _INT, _KR])
    for sheet in wb.worksheets:
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1

    wb.properties.creator = "grantdocs"
    wb.properties.title = f"{labels['title']} – {subtitle}" if subtitle else labels["title"]
    wb.properties.language = Language(lang).tag
    return workbook_bytes(wb, FIXED_TIME)
