"""Spreadsheets built the way caseworkers build them, for the reader tests."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

GOOD_ORG = "974760673"
GOOD_ACCOUNT = "86011117947"

HEADER = [
    "Saksnummer", "Vedtak", "Vedtaksdato", "Organisasjonsnummer", "Organisasjon", "Prosjekt",
    "Søkt beløp", "Innvilget beløp", "Saksbehandler", "Kontonummer", "Delmål",
]


def good_row(**changes: object) -> dict[str, object]:
    """One valid grant, keyed by the canonical headers."""
    row: dict[str, object] = {
        "Saksnummer": "22/00123-1",
        "Vedtak": "innvilget",
        "Vedtaksdato": "15.03.2022",
        "Organisasjonsnummer": GOOD_ORG,
        "Organisasjon": "Frivillighetslaget",
        "Prosjekt": "Språkkafé",
        "Søkt beløp": "50 000",
        "Innvilget beløp": "50 000",
        "Saksbehandler": "Kari Nordmann",
        "Kontonummer": GOOD_ACCOUNT,
        "Delmål": "A",
    }
    row.update(changes)
    return row


def sheet_rows(rows: Sequence[dict[str, object]], header: Sequence[str] | None = None,
               *, titles: Sequence[Sequence[object]] = ()) -> list[list[object]]:
    names = list(header or rows[0])
    return [*map(list, titles), names, *([row.get(n) for n in names] for row in rows)]


def write_workbook(path: Path, sheets: dict[str, Sequence[Sequence[object]]]) -> Path:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    workbook.save(path)
    return path


def write_csv(path: Path, rows: Sequence[Sequence[object]], *, encoding: str = "utf-8-sig",
              delimiter: str = ";") -> Path:
    with path.open("w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream, delimiter=delimiter)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
    return path
