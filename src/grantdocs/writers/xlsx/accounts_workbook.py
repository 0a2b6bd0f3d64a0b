"""Write the accounts workbook a grantee fills in: one per granted or partly granted decision.

Layout of the visible sheet (``Regnskap`` / ``Rekneskap``), top to bottom: title,
facts (reference, organisation, grant ...), the cost table (one row per budget
line, two free rows, the total row), financing and unspent grant, the auditor
block and the signature. Yellow cells are input and unlocked; everything else is
locked, and the sheet is protected (no password) with row insertion allowed.

A very hidden, protected sheet ``grantdocs`` carries the identifiers and the
labels the reader looks for, signed: its last row is the HMAC-SHA256 of every row before it
under the installation's secret key (:mod:`grantdocs.keys`), so a workbook altered or made
elsewhere is refused when it comes back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, PatternFill, Side
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from grantdocs.accounts_model import (
    ACCOUNTS_SCHEMA,
    ACCOUNTS_SCHEMA_VERSION,
    COL_ACTUAL,
    COL_BUDGET,
    COL_COMMENT,
    COL_DEV,
    COL_LABEL,
    COL_MONEY,
    COL_PCT,
    COL_VALUE,
    IDS_SHEET,
    SIGNATURE_ROW,
    canonical_amount,
    is_reportable,
    signed_payload,
)
from grantdocs.formatting import format_orgnr, format_period
from grantdocs.keys import Keyring, load_keyring
from grantdocs.model import Case, Language
from grantdocs.render.context import letter_language
from grantdocs.render.labels import load_labels
from grantdocs.resources import TEMPLATES_DIR
from grantdocs.scheme import Issuer, Scheme, load_issuer, load_scheme, scheme_values
from grantdocs.writers.xlsx.cells import (
    AMOUNT_FORMAT,
    DATE_FORMAT,
    PERCENT_FORMAT,
    UNLOCKED,
    a4_landscape,
    cell_at,
    clean_text,
    font,
    new_workbook,
    put_formula,
    put_text,
    put_value,
    workbook_bytes,
)

EXTRA_ROWS = 2

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
BOLD = font(bold=True)
REQUIRED_FONT = font(bold=True, color="C00000")
THIN = Side(style="thin", color="808080")
LINE_BELOW = Border(bottom=THIN)
LINE_ABOVE = Border(top=THIN)

# Labels the reader finds rows by (key in the hidden sheet -> path in accounts.toml).
LAYOUT_LABELS = {
    "facts.reference": ("facts", "reference"),
    "facts.org_number": ("facts", "org_number"),
    "facts.organisation": ("facts", "organisation"),
    "facts.grant": ("facts", "grant"),
    "table.category": ("table", "category"),
    "table.total": ("table", "total"),
    "financing.other_income": ("financing", "other_income"),
    "financing.own_contribution": ("financing", "own_contribution"),
    "auditor.name": ("auditor", "name"),
    "auditor.firm": ("auditor", "firm"),
    "auditor.kind": ("auditor", "kind"),
    "auditor.date": ("auditor", "date"),
    "signature.name": ("signature", "name"),
    "signature.date": ("signature", "date"),
}


def _money(value: Decimal) -> int | Decimal:
    return int(value) if value == value.to_integral_value() else value


def _label(labels: dict[str, Any], path: tuple[str, str]) -> str:
    return str(labels[path[0]][path[1]])


def _input(cell: Any) -> None:
    cell.protection = UNLOCKED
    cell.fill = INPUT_FILL


def write_accounts_workbook(
    case: Case,
    scheme: Scheme | None = None,
    lang: str | None = None,
    *,
    issuer: Issuer | None = None,
    templates: Sequence[Path] = (TEMPLATES_DIR,),
    keyring: Keyring | None = None,
) -> bytes:
    """The pre-filled accounts workbook for one granted or partial decision, as XLSX bytes.

    The language is the recipient's (as for the letter) unless ``lang`` is given. The
    hidden sheet is signed with ``keyring`` (default: the installation's,
    :func:`grantdocs.keys.load_keyring`). Same case and key, same bytes.
    """
    if not is_reportable(case):
        raise ValueError(f"{case.reference}: a rejected application gets no accounts workbook")
    scheme = scheme or load_scheme()
    issuer = issuer or load_issuer()
    lang = lang or letter_language(case, issuer)
    labels = load_labels("accounts.toml", lang, templates)
    app, dec, org = case.application, case.decision, case.organisation
    audit_required = scheme.audit_required(dec.amount_granted)
    values = scheme_values(scheme, issuer, lang)

    wb = new_workbook()
    ws = wb.active
    assert ws is not None
    ws.title = str(labels["sheet"])[:31]

    put_text(ws, 1, 1, labels["title"]).font = font(bold=True, size=14)
    put_text(ws, 2, 1, labels["intro"]).font = font(italic=True)

    # --- facts
    row = 4
    facts = labels["facts"]
    deadline = scheme.report_deadline(dec)
    grant_row = 0
    fact_rows: list[tuple[str, Any, str | None]] = [
        ("reference", case.reference, None),
        ("organisation", org.name, None),
        ("org_number", format_orgnr(org.org_number), None),
        ("project", app.title, None),
        ("scheme", f"{scheme.name(lang)} ({scheme.year})", None),
        ("grant", _money(dec.amount_granted), AMOUNT_FORMAT),
        ("period", format_period(app.period_start, app.period_end), None),
        ("report_deadline", deadline, DATE_FORMAT),
    ]
    for key, value, fmt in fact_rows:
        put_text(ws, row, COL_LABEL, facts[key]).font = BOLD
        cell = put_value(ws, row, COL_VALUE, value, fmt)
        cell.alignment = Alignment(horizontal="left")
        if key == "grant":
            grant_row = row
        row += 1

    # --- cost table
    row += 1
    table = labels["table"]
    header_row = row
    headers = [table["category"], table["budget"], table["actual"], table["deviation"],
               table["deviation_pct"], table["comment"].format_map(values)]
    for column, text in enumerate(headers, start=1):
        cell = put_text(ws, row, column, text)
        cell.font = BOLD
        cell.fill = HEAD_FILL
        cell.border = LINE_BELOW
        cell.alignment = Alignment(wrap_text=True, vertical="top",
                                   horizontal="right" if 1 < column < 6 else "left",
                                   indent=1 if column == COL_COMMENT else 0)
    row += 1
    lines: list[tuple[str, Decimal | None]] = [(b.name, b.amount) for b in app.budget_lines]
    if not lines:
        lines = [(str(name), None) for name in labels["categories"]["default"]]
    lines += [("", None)] * EXTRA_ROWS
    first_line = row
    for name, budget in lines:
        r = row
        name_cell = put_text(ws, r, COL_LABEL, name or None)
        if not name:
            _input(name_cell)
            _input(ws.cell(row=r, column=COL_BUDGET))
        budget_cell = ws.cell(row=r, column=COL_BUDGET,
                              value=_money(budget) if budget is not None else None)
        budget_cell.number_format = AMOUNT_FORMAT
        if not app.budget_lines:  # default categories: the grantee copies in their budget
            _input(budget_cell)
        _input(ws.cell(row=r, column=COL_ACTUAL))
        ws.cell(row=r, column=COL_ACTUAL).number_format = AMOUNT_FORMAT
        put_formula(ws, r, COL_DEV, f'=IF(C{r}="","",C{r}-N(B{r}))', AMOUNT_FORMAT)
        put_formula(ws, r, COL_PCT, f'=IF(OR(C{r}="",N(B{r})=0),"",(C{r}-B{r})/B{r})',
                    PERCENT_FORMAT)
        comment = ws.cell(row=r, column=COL_COMMENT)
        _input(comment)
        comment.alignment = Alignment(wrap_text=True, vertical="top", indent=1)
        row += 1
    last_line = row - 1
    total_row = row
    put_text(ws, row, COL_LABEL, table["total"]).font = BOLD
    for column, letter in ((COL_BUDGET, "B"), (COL_ACTUAL, "C")):
        cell = put_formula(ws, row, column, f"=SUM({letter}{first_line}:{letter}{last_line})",
                           AMOUNT_FORMAT)
        cell.font = BOLD
    put_formula(ws, row, COL_DEV, f"=C{row}-B{row}", AMOUNT_FORMAT).font = BOLD
    put_formula(ws, row, COL_PCT, f'=IF(B{row}=0,"",(C{row}-B{row})/B{row})',
                PERCENT_FORMAT).font = BOLD
    for column in range(1, 7):
        ws.cell(row=row, column=column).border = LINE_ABOVE

    # --- financing
    row += 2
    fin = labels["financing"]
    put_text(ws, row, COL_LABEL, fin["heading"]).font = font(bold=True, size=12)
    row += 1
    grant_received_row = row
    put_text(ws, row, COL_LABEL, fin["grant"])
    put_formula(ws, row, COL_MONEY, f"=B{grant_row}", AMOUNT_FORMAT)
    row += 1
    other_row = row
    put_text(ws, row, COL_LABEL, fin["other_income"])
    _input(ws.cell(row=row, column=COL_MONEY))
    ws.cell(row=row, column=COL_MONEY).number_format = AMOUNT_FORMAT
    row += 1
    own_row = row
    put_text(ws, row, COL_LABEL, fin["own_contribution"])
    _input(ws.cell(row=row, column=COL_MONEY))
    ws.cell(row=row, column=COL_MONEY).number_format = AMOUNT_FORMAT
    row += 1
    funded_row = row
    put_text(ws, row, COL_LABEL, fin["grant_funded"])
    put_formula(ws, row, COL_MONEY,
                f"=MAX(0,C{total_row}-N(C{other_row})-N(C{own_row}))", AMOUNT_FORMAT)
    row += 1
    put_text(ws, row, COL_LABEL, fin["unspent"]).font = BOLD
    unspent = put_formula(ws, row, COL_MONEY, f"=MAX(0,C{grant_received_row}-C{funded_row})",
                          AMOUNT_FORMAT)
    unspent.font = BOLD
    unspent.border = Border(top=THIN, bottom=Side(style="double", color="808080"))
    row += 1
    put_text(ws, row, COL_LABEL, fin["note"]).font = font(italic=True, size=9)

    # --- auditor
    row += 2
    aud = labels["auditor"]
    put_text(ws, row, COL_LABEL, aud["heading"]).font = font(bold=True, size=12)
    row += 1
    note = aud["required"] if audit_required else aud["not_required"]
    put_text(ws, row, COL_LABEL, note.format_map(values)).font = (
        REQUIRED_FONT if audit_required else font(italic=True))
    row += 1
    kind_validation = DataValidation(
        type="list", formula1='"' + ",".join(aud["kinds"]) + '"', allow_blank=True)
    date_validation = DataValidation(
        type="date", operator="greaterThanOrEqual", formula1="36526", allow_blank=True,
        error=table["date_error"], showErrorMessage=True)
    for key in ("name", "firm", "kind", "date"):
        put_text(ws, row, COL_LABEL, aud[key]).font = BOLD if audit_required else font()
        cell = cell_at(ws, row, COL_VALUE)
        _input(cell)
        if key == "kind":
            kind_validation.add(cell)
        if key == "date":
            cell.number_format = DATE_FORMAT
            date_validation.add(cell)
        row += 1

    # --- signature
    row += 1
    sig = labels["signature"]
    put_text(ws, row, COL_LABEL, sig["heading"]).font = font(bold=True, size=12)
    row += 1
    for key in ("name", "date"):
        put_text(ws, row, COL_LABEL, sig[key])
        cell = cell_at(ws, row, COL_VALUE)
        _input(cell)
        if key == "date":
            cell.number_format = DATE_FORMAT
            date_validation.add(cell)
        row += 1

    amounts = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                             allow_blank=True, showErrorMessage=True,
                             error=table["amount_error"])
    amounts.add(f"C{first_line}:C{last_line}")
    amounts.add(f"C{other_row}:C{own_row}")
    for validation in (amounts, kind_validation, date_validation):
        ws.add_data_validation(validation)

    _layout(ws, header_row)
    prefilled = [(name, budget) for name, budget in lines if name]
    _ids_sheet(wb, case, lang, audit_required, labels, prefilled, keyring or load_keyring())
    wb.properties.creator = "grantdocs"
    wb.properties.title = f"{labels['title']} – {case.reference}"
    wb.properties.subject = scheme.name(lang)
    wb.properties.keywords = case.reference
    wb.properties.language = Language(lang).tag
    wb.security = WorkbookProtection(lockStructure=True)
    return workbook_bytes(wb, dt.datetime.combine(dec.date, dt.time(12, 0)))


COLUMN_WIDTHS = (52, 15, 15, 15, 13, 48)
"""Widths of columns A-F (Excel's units): room for each right-aligned header in bold, and
a gap before the comment column's header, which is indented by one character too."""


def _layout(ws: Worksheet, header_row: int) -> None:
    for letter, width in zip("ABCDEF", COLUMN_WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    ws.row_dimensions[header_row].height = 32
    a4_landscape(ws, header_row)
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.freeze_panes = None
    ws.protection.sheet = True
    # Allowed to the grantee, although the sheet is protected:
    ws.protection.insertRows = False
    ws.protection.deleteRows = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False


def identifiers(case: Case, lang: str, audit_required: bool) -> dict[str, str]:
    ids = {
        "schema": ACCOUNTS_SCHEMA,
        "schema_version": ACCOUNTS_SCHEMA_VERSION,
        "reference": case.reference,
        "org_number": case.organisation.org_number,
        "grant": canonical_amount(case.decision.amount_granted),
        "lang": lang,
        "audit_required": "true" if audit_required else "false",
    }
    return ids


def _ids_sheet(wb: Workbook, case: Case, lang: str, audit_required: bool,
               labels: dict[str, Any], lines: list[tuple[str, Decimal | None]],
               keyring: Keyring) -> None:
    ws = wb.create_sheet(IDS_SHEET)
    rows = list(identifiers(case, lang, audit_required).items())
    rows.append(("layout.sheet", str(labels["sheet"])[:31]))
    rows += [(f"label.{key}", _label(labels, path)) for key, path in LAYOUT_LABELS.items()]
    for number, (name, budget) in enumerate(lines, start=1):
        rows.append((f"line.{number}.name", name))
        rows.append((f"line.{number}.budget", canonical_amount(budget) if budget else ""))
    rows = [(key, clean_text(value)) for key, value in rows]  # signed as the sheet holds it
    rows.append((SIGNATURE_ROW, keyring.sign(signed_payload(rows))))
    for number, (key, value) in enumerate(rows, start=1):
        put_text(ws, number, 1, key)
        put_text(ws, number, 2, value)
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True
