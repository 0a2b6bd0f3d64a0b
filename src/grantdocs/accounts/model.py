"""Typed result of reading a returned accounts workbook, and the arithmetic behind it.

Definitions (the same in the workbook's formulas and here):

* deviation of a line = actual − budget (kroner), and deviation ÷ budget (percent;
  none when the budget is 0);
* grant-funded costs = total actual costs − other income − own contribution, at least 0;
* unspent grant (to be repaid) = grant received − grant-funded costs, at least 0.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

ACCOUNTS_SCHEMA = "grantdocs-accounts"
ACCOUNTS_SCHEMA_VERSION = "1"



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
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


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
