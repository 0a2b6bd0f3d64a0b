"""Write the control checklist and the auditor's procedures as XLSX.

The rows are decided in :mod:`grantdocs.decide.checklist`; the sheet names come from
``templates/<lang>/checklist.toml``.
"""

from __future__ import annotations

import datetime as dt

from openpyxl.styles import Alignment, PatternFill

from grantdocs.decide.checklist import Checklist, Status
from grantdocs.model import Language
from grantdocs.render.labels import load_labels
from grantdocs.writers.xlsx.cells import (
    UNLOCKED,
    a4_landscape,
    fit_row_height,
    font,
    new_workbook,
    put_text,
    workbook_bytes,
)


def checklist_xlsx(checklist: Checklist) -> bytes:
    """The checklist (or the auditor's procedures) as XLSX bytes: one sheet, the same rows."""
    labels = load_labels("checklist.toml", checklist.lang, checklist.templates)
    wb = new_workbook()
    ws = wb.active
    assert ws is not None
    ws.title = labels["sheet" if checklist.kind == "control" else "audit_sheet"]
    put_text(ws, 1, 1, checklist.title).font = font(bold=True, size=14)
    row = 3
    for label, value in checklist.facts:
        put_text(ws, row, 1, label).font = font(bold=True)
        put_text(ws, row, 2, value)
        row += 1
    row += 1
    put_text(ws, row, 1, checklist.intro).font = font(italic=True)
    row += 2
    cols = checklist.columns
    if checklist.kind == "control":
        headers = [cols["check"], cols["rule"], cols["status"], cols["figures"], cols["comment"]]
    else:
        headers = [cols["number"], cols["procedure"], cols["rule"], cols["finding"]]
    header_row = row
    fill = PatternFill("solid", fgColor="D9E1F2")
    for column, header in enumerate(headers, start=1):
        cell = put_text(ws, row, column, header)
        cell.font = font(bold=True)
        cell.fill = fill
    widths = (48, 30, 18, 60, 40) if checklist.kind == "control" else (6, 80, 14, 50)
    colours = {Status.OK: "E2EFDA", Status.DEVIATION: "F8CBAD", Status.MANUAL: "FFF2CC"}
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, check in enumerate(checklist.rows, start=1):
        row += 1
        if checklist.kind == "control":
            values = [check.check, check.rule, check.status_label, check.figures, check.comment]
        else:
            values = [str(number), check.check, check.rule, ""]
        for column, value in enumerate(values, start=1):
            cell = put_text(ws, row, column, value or None)
            cell.alignment = wrap
        if checklist.kind == "control":
            ws.cell(row=row, column=3).fill = PatternFill("solid", fgColor=colours[check.status])
        ws.cell(row=row, column=len(values)).protection = UNLOCKED
        fit_row_height(ws, row, widths)
    if checklist.notes and checklist.notes_heading:
        row += 2
        put_text(ws, row, 1, checklist.notes_heading).font = font(bold=True)
    for note in checklist.notes:
        row += 2
        put_text(ws, row, 1, note).font = font(italic=True, size=9)
    for index, width in enumerate(widths):
        ws.column_dimensions["ABCDE"[index]].width = width
    a4_landscape(ws, header_row)
    wb.properties.creator = "grantdocs"
    wb.properties.title = f"{checklist.title} – {checklist.reference}"
    wb.properties.language = Language(checklist.lang).tag
    return workbook_bytes(wb, dt.datetime.combine(checklist.created, dt.time(12, 0)))
