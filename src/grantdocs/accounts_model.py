"""The accounts a grantee returns: typed records, their arithmetic, and the workbook's contract.

The writer (:mod:`grantdocs.writers.xlsx.accounts_workbook`) and the reader
(:mod:`grantdocs.readers.accounts_return`) both import this module, and neither
imports the other: the schema version, the hidden identifier sheet, its
signed payload and the columns of the visible sheet are defined here once.

Definitions (the same in the workbook's formulas and here):

* deviation of a line = actual − budget (kroner), and deviation ÷ budget (percent;
  none when the budget is 0);
* grant-funded costs = total actual costs − other income − own contribution, at least 0;
* unspent grant (to be repaid) = grant received − grant-funded costs, at least 0.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from grantdocs.model import Case, DecisionKind

ACCOUNTS_SCHEMA = "grantdocs-accounts"
ACCOUNTS_SCHEMA_VERSION = "1"

# The very hidden sheet that carries the identifiers and the labels the reader finds rows by.
IDS_SHEET = "grantdocs"

# Columns of the visible sheet.
COL_LABEL, COL_BUDGET, COL_ACTUAL, COL_DEV, COL_PCT, COL_COMMENT = 1, 2, 3, 4, 5, 6
COL_VALUE = 2  # facts, auditor and signature values
COL_MONEY = 3  # financing values

# The hidden sheet's last row: the HMAC-SHA256 (grantdocs.keys) of every row before it.
SIGNATURE_ROW = "signature"


def canonical_amount(value: Decimal) -> str:
    """"250000" or "250000.50": how amounts are written in the hidden sheet."""
    value = Decimal(value).quantize(Decimal("0.01"))
    return str(value.quantize(Decimal(1))) if value == value.to_integral_value() else str(value)


def signed_payload(rows: Sequence[tuple[str, str]]) -> bytes:
    """What the hidden sheet's signature covers: every (key, value) row but the signature's,
    in sheet order (identifiers, amounts, labels, layout notes, pre-filled lines).

    JSON, so no two different sheets give the same bytes; prefixed with the schema, so
    a signature made for something else under the same key never passes for this.
    """
    pairs = [[key, value] for key, value in rows if key != SIGNATURE_ROW]
    text = json.dumps(pairs, ensure_ascii=False, separators=(",", ":"))
    return f"{ACCOUNTS_SCHEMA}\n{text}".encode()


def is_reportable(case: Case) -> bool:
    """Granted and partly granted decisions get a workbook and report; rejections do not."""
    return case.decision.kind in (DecisionKind.GRANTED, DecisionKind.PARTIAL)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class AccountLine(_Model):
    row: int
    name: str
    budget: Decimal
    actual: Decimal | None
    deviation: Decimal
    deviation_pct: Decimal | None
    comment: str | None
    added: bool = False  # a row the grantee inserted

    def exceeds(self, pct: Decimal) -> bool:
        """Deviation beyond ``pct`` percent of the budget (any deviation on a zero budget)."""
        if self.deviation == 0:
            return False
        if self.deviation_pct is None:
            return True
        return abs(self.deviation_pct) > pct


class AuditorBlock(_Model):
    name: str | None = None
    firm: str | None = None
    kind: str | None = None
    date: dt.date | None = None

    @property
    def complete(self) -> bool:
        return all((self.name, self.firm, self.kind, self.date))

    def missing(self) -> list[str]:
        return [k for k in ("name", "firm", "kind", "date") if not getattr(self, k)]


# What can be wrong in a returned workbook's cells without refusing it. The wording is in
# templates/<lang>/checklist.toml, [readback], one entry per code, with these parameters.
READBACK_CODES: dict[str, tuple[str, ...]] = {
    # errors: the figures count the cell as 0
    "formula_unsaved": ("cell", "formula"),
    "amount_unreadable": ("cell", "value"),
    "date_unreadable": ("cell", "value"),
    "text_unreadable": ("cell", "value"),
    # warnings
    "formula_used": ("cell", "formula", "value"),
    "unnamed_line": ("cell",),
    "no_actual": ("cell", "name"),
    "budget_changed": ("cell", "name", "approved", "budget"),
    "label_missing": ("label",),
}


class ReadbackNote(_Model):
    """A problem found while reading a returned workbook back: a code and its parameters.

    Checklists word it in their own written form (``templates/<lang>/checklist.toml``,
    table ``[readback]``); ``message`` says it in English for the terminal and logs.
    """

    code: str
    params: dict[str, str] = Field(default_factory=dict)
    message: str

    def __str__(self) -> str:
        return self.message


class AccountsReturn(_Model):
    """A returned accounts workbook, recomputed from its input cells."""

    schema_version: str
    reference: str
    org_number: str
    organisation: str | None
    grant: Decimal
    lang: str
    audit_required: bool
    lines: tuple[AccountLine, ...]
    total_budget: Decimal
    total_actual: Decimal
    other_income: Decimal | None
    own_contribution: Decimal | None
    grant_funded: Decimal
    unspent: Decimal
    auditor: AuditorBlock
    signed_by: str | None
    signed_date: dt.date | None
    errors: tuple[ReadbackNote, ...] = ()
    warnings: tuple[ReadbackNote, ...] = ()


def deviation(budget: Decimal, actual: Decimal) -> tuple[Decimal, Decimal | None]:
    """(actual − budget, that in percent of the budget rounded to 0.1; None for budget 0)."""
    diff = actual - budget
    if budget == 0:
        return diff, None
    return diff, (diff * 100 / budget).quantize(Decimal("0.1"))


def grant_funded(total_actual: Decimal, other_income: Decimal, own: Decimal) -> Decimal:
    return max(total_actual - other_income - own, Decimal(0))


def unspent(grant: Decimal, funded: Decimal) -> Decimal:
    return max(grant - funded, Decimal(0))
