"""Example rows and files for the format tests: a header, a good row, CSV, XLSX and JSON cases."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from grantdocs.model import (
    Case,
)
from grantdocs.readers import ReadRecord, read_cases

GOOD_ORG = "974760673"
BAD_ORG = "974760674"
GOOD_ACCOUNT = "86011117947"
BAD_ACCOUNT = "86011117948"
NBSP = "\u00a0"
NNBSP = "\u202f"

HEADER = [
    "Saksnummer",
    "Vedtak",
    "Vedtaksdato",
    "Organisasjonsnummer",
    "Organisasjon",
    "Prosjekt",
    "Søkt beløp",
    "Innvilget beløp",
    "Saksbehandler",
]


def good_row(**changes: str) -> dict[str, str]:
    row = {
        "Saksnummer": "22/00123",
        "Vedtak": "innvilget",
        "Vedtaksdato": "15.03.2022",
        "Organisasjonsnummer": GOOD_ORG,
        "Organisasjon": "Frivillighetslaget",
        "Prosjekt": "Språkkafé",
        "Søkt beløp": "450 000",
        "Innvilget beløp": "300 000",
        "Saksbehandler": "Kari Nordmann",
    }
    row.update(changes)
    return row


def write_csv(
    path: Path,
    rows: Sequence[dict[str, str]],
    *,
    delimiter: str = ";",
    bom: bool = True,
    header: Sequence[str] | None = None,
) -> Path:
    names = list(header or rows[0])
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter=delimiter)
        writer.writerow(names)
        for row in rows:
            writer.writerow([row.get(name, "") for name in names])
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], title: str = "Ark1") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def read(path: Path) -> list[ReadRecord]:
    return list(read_cases(path))


def only_case(records: Sequence[ReadRecord]) -> Case:
    assert len(records) == 1
    record = records[0]
    assert record.case is not None, [str(i) for i in record.issues]
    return record.case


def errors(record: ReadRecord) -> list[str]:
    return [str(issue) for issue in record.issues if issue.is_error]


def json_case(**decision: Any) -> dict[str, Any]:
    return {
        "organisation": {"org_number": GOOD_ORG, "name": "Laget", "bank_account": GOOD_ACCOUNT},
        "application": {
            "title": "Språkkafé",
            "amount_requested": "450000",
            "sub_goals": ["A"],
            "budget_lines": [{"name": "Lønn", "amount": 200000.50}],
        },
        "decision": {
            "case_number": "22/1",
            "kind": "granted",
            "date": "2022-03-15",
            "caseworker": "Kari",
            **decision,
        },
        "language": "nn",
    }
