"""Read a returned accounts workbook back, recomputing every figure from the input cells.

Cached formula results are never used for totals: openpyxl cannot compute
formulas, and a grantee may have typed over one. Rows are found by their labels
(stored in the hidden ``grantdocs`` sheet), so rows inserted inside the table or
elsewhere are tolerated. The hidden sheet is signed (HMAC-SHA256 under the
installation's secret key, :mod:`grantdocs.keys`): a workbook whose signature does
not verify (made elsewhere, or altered: identifiers, amounts, labels, layout), or
that belongs to another decision, is refused with :class:`AccountsError`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from grantdocs import messages_files as F
from grantdocs.accounts_model import (
    ACCOUNTS_SCHEMA,
    ACCOUNTS_SCHEMA_VERSION,
    COL_ACTUAL,
    COL_BUDGET,
    COL_COMMENT,
    COL_LABEL,
    COL_MONEY,
    COL_VALUE,
    IDS_SHEET,
    SIGNATURE_ROW,
    AccountLine,
    AccountsReturn,
    AuditorBlock,
    ReadbackNote,
    canonical_amount,
    deviation,
    grant_funded,
    signed_payload,
    unspent,
)
from grantdocs.catalog import Message, Text, joined
from grantdocs.errors import AccountsError, CoerceError
from grantdocs.formatting import format_amount, format_orgnr
from grantdocs.keys import ENV_PREVIOUS, Keyring, load_keyring
from grantdocs.model import Case
from grantdocs.readers import coerce
from grantdocs.readers.return_workbook import Grid, ReturnBook

_REQUIRED_IDS = ("schema", "schema_version", "reference", "org_number", "grant", "lang",
                 "audit_required", "label.facts.reference", "label.facts.org_number",
                 "label.facts.grant", "label.table.category", "label.table.total",
                 "label.financing.other_income", "label.financing.own_contribution",
                 "label.auditor.name", "label.auditor.firm", "label.auditor.kind",
                 "label.auditor.date", "label.signature.name", "label.signature.date")
# No grant is a trillion kroner; past this an amount is a typing error (and its
# arithmetic would overflow Decimal's 28 digits).
_MAX_AMOUNT = Decimal(10) ** 15
_SHEET_COLUMNS = 6


def _norm(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _shown(value: object) -> str:
    """A cell's value as the grantee typed it, shortened for a note."""
    text = " ".join(str(value).split())
    return text if len(text) <= 60 else text[:59] + "…"


class _Sheet:
    """The visible sheet plus its cached values, with error and warning collection."""

    def __init__(self, ws: Grid, cached: Grid | None) -> None:
        self.ws = ws
        self.cached = cached
        self.errors: list[ReadbackNote] = []
        self.warnings: list[ReadbackNote] = []

    def ref(self, row: int, column: int) -> str:
        return self.ws.ref(row, column)

    def error(self, code: str, message: str, **params: str) -> None:
        self.errors.append(ReadbackNote(code=code, params=params, message=message))

    def warn(self, code: str, message: str, **params: str) -> None:
        self.warnings.append(ReadbackNote(code=code, params=params, message=message))

    def _unreadable(self, code: str, row: int, column: int, exc: CoerceError) -> None:
        ref = self.ref(row, column)
        value = self.ws.value(row, column)
        self.error(code, f"{ref}: {exc}", cell=ref, value=_shown(value))

    def raw(self, row: int, column: int) -> Any:
        value = self.ws.value(row, column)
        if isinstance(value, str) and value.startswith("=") and len(value) > 1:
            saved = self.cached.value(row, column) if self.cached is not None else None
            ref = self.ref(row, column)
            if saved is None:
                self.error("formula_unsaved", f"{ref}: holds a formula ({value[:60]}) whose "
                           "result is not saved in the file; type the amount",
                           cell=ref, formula=value[:60])
                return None
            self.warn("formula_used", f"{ref}: holds a formula ({value[:60]}); its saved result "
                      f"{saved!r} was used", cell=ref, formula=value[:60], value=_shown(saved))
            return saved
        return value

    def amount(self, row: int, column: int) -> Decimal | None:
        try:
            value = coerce.amount(self.raw(row, column))
            if value is not None and not (value.is_finite() and abs(value) < _MAX_AMOUNT):
                raise CoerceError(f"{value} is not an amount this workbook can hold")
            return value
        except CoerceError as exc:
            self._unreadable("amount_unreadable", row, column, exc)
            return None

    def text(self, row: int, column: int) -> str | None:
        try:
            return coerce.text(self.ws.value(row, column))
        except CoerceError as exc:
            self._unreadable("text_unreadable", row, column, exc)
            return None

    def date(self, row: int, column: int) -> dt.date | None:
        try:
            return coerce.date(self.ws.value(row, column))
        except CoerceError as exc:
            self._unreadable("date_unreadable", row, column, exc)
            return None

    def find(self, label: str, start: int = 1) -> int | None:
        want = _norm(label)
        for row in range(start, self.ws.max_row + 1):
            if _norm(self.ws.value(row, COL_LABEL)) == want:
                return row
        return None

    def require(self, label: str, start: int = 1) -> int:
        row = self.find(label, start)
        if row is None:
            raise AccountsError(F.RETURN_NO_ROW(sheet=repr(self.ws.title), label=repr(label),
                                                rows=f"{self.ws.max_row:,}"))
        return row


def _identifiers(wb: ReturnBook, keyring: Keyring | None) -> dict[str, str]:
    if IDS_SHEET not in wb.sheetnames:
        raise AccountsError(F.RETURN_NO_IDS(sheet=repr(IDS_SHEET)))
    rows = [(str(key), "" if value is None else str(value))
            for key, value, *_ in ((*row, None, None) for row in wb.grid(IDS_SHEET, 2).rows)
            if key is not None]
    ids = dict(rows)
    ring = keyring or load_keyring()
    if not ring.verify(signed_payload(rows), ids.get(SIGNATURE_ROW, "")):
        claimed: str | Text = _shown(ids.get("reference", "")) or F.NO_CLAIM()
        raise AccountsError(F.RETURN_SIGNATURE(claimed=claimed, variable=ENV_PREVIOUS))
    missing = [k for k in _REQUIRED_IDS if k not in ids]
    if missing:
        raise AccountsError(F.RETURN_IDS_MISSING(keys=", ".join(missing)))
    if ids["schema"] != ACCOUNTS_SCHEMA:
        raise AccountsError(F.RETURN_SCHEMA_UNKNOWN(schema=repr(ids["schema"])))
    if ids["schema_version"] != ACCOUNTS_SCHEMA_VERSION:
        raise AccountsError(F.RETURN_SCHEMA_VERSION(version=repr(ids["schema_version"]),
                                                    supported=ACCOUNTS_SCHEMA_VERSION))
    return ids


def _main_sheet(wb: ReturnBook, ids: dict[str, str]) -> _Sheet:
    """The sheet named in the identifiers, else the first with the cost table; each sheet
    is read once, and only until it is found."""
    label = ids.get("label.table.category", "")
    names = [ids.get("layout.sheet", "")] + [n for n in wb.sheetnames if n != IDS_SHEET]
    for name in dict.fromkeys(names):
        if name in wb.sheetnames and name != IDS_SHEET:
            sheet = _Sheet(wb.grid(name, _SHEET_COLUMNS), None)
            if sheet.find(label) is not None:
                sheet.cached = wb.cached_grid(name, _SHEET_COLUMNS)
                return sheet
    raise AccountsError(F.RETURN_NO_COST_TABLE(label=repr(label)))


def _differences(pairs: list[tuple[Message, str, str]]) -> Text | None:
    """The pairs that differ, as one list ("what: 'a' ≠ 'b'; ..."), or None."""
    found = [F.DIFFERENCE(what=what(), left=repr(a), right=repr(b))
             for what, a, b in pairs if a != b]
    return joined(found, "; ") if found else None


def _check_visible(sheet: _Sheet, ids: dict[str, str]) -> None:
    ref_row = sheet.require(ids["label.facts.reference"])
    org_row = sheet.require(ids["label.facts.org_number"])
    grant_row = sheet.require(ids["label.facts.grant"])
    reference = sheet.text(ref_row, COL_VALUE) or ""
    org_digits = "".join(c for c in (sheet.text(org_row, COL_VALUE) or "") if c.isdigit())
    try:
        grant = coerce.amount(sheet.ws.value(grant_row, COL_VALUE))
    except CoerceError:
        grant = None
    if grant is not None and not (grant.is_finite() and abs(grant) < _MAX_AMOUNT):
        grant = None
    visible_grant = canonical_amount(grant) if grant is not None else "(unreadable)"
    diffs = _differences([
        (F.SHEET_REFERENCE, reference, ids["reference"]),
        (F.SHEET_ORG_NUMBER, org_digits, ids["org_number"]),
        (F.SHEET_GRANT, visible_grant, ids["grant"]),
    ])
    if diffs is not None:
        raise AccountsError(F.RETURN_IDS_ALTERED(differences=diffs))


def _check_case(ids: dict[str, str], case: Case) -> None:
    diffs = _differences([
        (F.CASE_REFERENCE, ids["reference"], case.reference),
        (F.CASE_ORG_NUMBER, format_orgnr(ids["org_number"]),
         format_orgnr(case.organisation.org_number)),
        (F.CASE_GRANT, ids["grant"], canonical_amount(case.decision.amount_granted)),
    ])
    if diffs is not None:
        raise AccountsError(F.RETURN_OTHER_DECISION(reference=case.reference, differences=diffs))


def _prefilled(ids: dict[str, str]) -> dict[str, str]:
    """Pre-filled line names and their budget as written ("" when the grantee fills it in)."""
    names: dict[str, str] = {}
    number = 1
    while f"line.{number}.name" in ids:
        names[_norm(ids[f"line.{number}.name"])] = ids.get(f"line.{number}.budget", "")
        number += 1
    return names


def _lines(sheet: _Sheet, ids: dict[str, str]) -> tuple[list[AccountLine], int]:
    header = sheet.require(ids["label.table.category"])
    total = sheet.require(ids["label.table.total"], header + 1)
    prefilled = _prefilled(ids)
    lines: list[AccountLine] = []
    for row in range(header + 1, total):
        name = sheet.text(row, COL_LABEL)
        budget = sheet.amount(row, COL_BUDGET)
        actual = sheet.amount(row, COL_ACTUAL)
        comment = sheet.text(row, COL_COMMENT)
        if name is None and budget is None and actual is None and comment is None:
            continue
        if name is None:
            ref = sheet.ref(row, COL_LABEL)
            sheet.warn("unnamed_line", f"{ref}: a cost line without a name", cell=ref)
        if actual is None and (budget or 0) > 0:
            ref = sheet.ref(row, COL_ACTUAL)
            sheet.warn("no_actual", f"{ref}: no actual amount for {name!r} (counted as 0)",
                       cell=ref, name=name or "")
        written = prefilled.get(_norm(name))
        if written and (budget is None or canonical_amount(budget) != written):
            ref = sheet.ref(row, COL_BUDGET)
            sheet.warn("budget_changed", f"{ref}: the approved budget for {name!r} was "
                       f"{written} kr, the sheet says {budget}", cell=ref, name=name or "",
                       approved=format_amount(Decimal(written)),
                       budget=format_amount(budget) if budget is not None else "–")
        diff, pct = deviation(budget or Decimal(0), actual or Decimal(0))
        lines.append(AccountLine(
            row=row, name=name or "", budget=budget or Decimal(0), actual=actual,
            deviation=diff, deviation_pct=pct, comment=comment,
            added=_norm(name) not in prefilled))
    return lines, total


def workbook_identifiers(source: Path | str | bytes, *,
                         keyring: Keyring | None = None) -> dict[str, str]:
    """A returned workbook's hidden identifiers (reference, lang, ...), checked, not read whole.

    Raises AccountsError like :func:`read_accounts` when the workbook is not
    one grantdocs wrote or its signature does not verify under ``keyring``.
    """
    wb = ReturnBook(source, cached=False)
    try:
        return _identifiers(wb, keyring)
    finally:
        wb.close()


def read_accounts(source: Path | str | bytes, case: Case | None = None, *,
                  keyring: Keyring | None = None) -> AccountsReturn:
    """Read a returned accounts workbook; see the module doc.

    With ``case``, the workbook must belong to that decision (reference,
    organisation number and grant). Its signature is checked with ``keyring``
    (default: the installation's, :func:`grantdocs.keys.load_keyring`). Problems in
    single cells (an amount that cannot be read) are listed in ``errors``; the
    figures count them as 0.
    """
    wb = ReturnBook(source)
    try:
        return _read(wb, case, keyring)
    finally:
        wb.close()


def _read(wb: ReturnBook, case: Case | None, keyring: Keyring | None) -> AccountsReturn:
    ids = _identifiers(wb, keyring)
    if case is not None:
        _check_case(ids, case)
    sheet = _main_sheet(wb, ids)
    _check_visible(sheet, ids)
    try:
        grant = Decimal(ids["grant"])
    except InvalidOperation:
        raise AccountsError(F.RETURN_GRANT_NOT_NUMBER(value=repr(ids["grant"]))) from None

    lines, total_row = _lines(sheet, ids)
    other_row = sheet.require(ids["label.financing.other_income"], total_row)
    own_row = sheet.require(ids["label.financing.own_contribution"], total_row)
    other = sheet.amount(other_row, COL_MONEY)
    own = sheet.amount(own_row, COL_MONEY)
    total_budget = sum((line.budget for line in lines), Decimal(0))
    total_actual = sum((line.actual or Decimal(0) for line in lines), Decimal(0))
    funded = grant_funded(total_actual, other or Decimal(0), own or Decimal(0))

    def field(key: str, kind: str) -> Any:
        row = sheet.find(ids[f"label.{key}"], total_row)
        if row is None:
            label = ids[f"label.{key}"]
            sheet.warn("label_missing", f"no row labelled {label!r}", label=label)
            return None
        return sheet.date(row, COL_VALUE) if kind == "date" else sheet.text(row, COL_VALUE)

    auditor = AuditorBlock(name=field("auditor.name", "text"), firm=field("auditor.firm", "text"),
                           kind=field("auditor.kind", "text"),
                           date=field("auditor.date", "date"))
    organisation = None
    org_label = ids.get("label.facts.organisation")
    if org_label:
        row = sheet.find(org_label)
        organisation = sheet.text(row, COL_VALUE) if row else None
    return AccountsReturn(
        schema_version=ids["schema_version"], reference=ids["reference"],
        org_number=ids["org_number"], organisation=organisation, grant=grant, lang=ids["lang"],
        audit_required=ids["audit_required"] == "true", lines=tuple(lines),
        total_budget=total_budget, total_actual=total_actual, other_income=other,
        own_contribution=own, grant_funded=funded, unspent=unspent(grant, funded),
        auditor=auditor, signed_by=field("signature.name", "text"),
        signed_date=field("signature.date", "date"),
        errors=tuple(sheet.errors), warnings=tuple(sheet.warnings),
    )

