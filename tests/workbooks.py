"""Helpers for the tests that open grantdocs' accounts workbooks: samples, rows, a filled return."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook

from grantdocs.model import Case
from tests.helpers import SAMPLES, row_of

RETURN = SAMPLES / "returns" / "22-00133-5_Apen-dor-regnskap.xlsx"


def sample_cases() -> list[Case]:
    doc = json.loads((SAMPLES / "decisions.json").read_text("utf-8"))
    return [Case.model_validate(c) for c in doc["cases"]]


def granted_samples() -> list[Case]:
    return [c for c in sample_cases() if c.decision.kind.value != "rejected"]




def fill(data: bytes) -> bytes:
    """Fill a fresh nb workbook as a grantee would, text amounts and an inserted row included."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Regnskap"]
    values = {"Lønn og honorarer": (100_000, "kr 95 000", None),
              "Leie av lokaler": (50_000, "70 000,-", "Større lokale, godkjent 01.06.2022"),
              "Reise": (20_000, 10_000, None)}
    for name, (budget, actual, comment) in values.items():
        row = row_of(ws, name)
        ws.cell(row=row, column=2, value=budget)
        ws.cell(row=row, column=3, value=actual)
        ws.cell(row=row, column=6, value=comment)
    at = row_of(ws, "Reise")
    ws.insert_rows(at)
    ws.cell(row=at, column=1, value="Kurs")
    ws.cell(row=at, column=3, value="12 500 kr")
    total = row_of(ws, "Sum kostnader")
    ws.cell(row=total, column=3, value=1)  # typed over a formula: must be ignored
    ws.cell(row=row_of(ws, "Andre inntekter (andre tilskudd, salg, deltakeravgift)"),
            column=3, value="kr 30 000")
    ws.cell(row=row_of(ws, "Egeninnsats og egne midler"), column=3, value=7_500)
    ws.cell(row=row_of(ws, "Revisorens navn"), column=2, value="Kari Nilsen")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def edit(data: bytes, sheet: str, label: str, value: object) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    ws = wb[sheet]
    for row in range(1, ws.max_row + 1):
        if ws.cell(row=row, column=1).value == label:
            ws.cell(row=row, column=2, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
