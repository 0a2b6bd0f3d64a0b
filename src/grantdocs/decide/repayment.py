"""Decide a repayment claim's figures: how much of a grant is claimed back, and by when.

The unspent amount comes from the returned accounts
(:attr:`grantdocs.accounts_model.AccountsReturn.unspent`); the claim's wording and
its PDF and DOCX are made in :mod:`grantdocs.reports`, like a letter's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from grantdocs.errors import NotApplicable
from grantdocs.model import Case


@dataclass(frozen=True)
class Repayment:
    """What a repayment claim states: the unspent amount and how to pay it back."""

    amount: Decimal
    spent: Decimal
    grant_date: dt.date
    received: dt.date
    claim_date: dt.date
    due: dt.date
    account: str
    # how the grant-funded costs were computed, when the accounts are known:
    # costs - other income - own contribution
    costs: Decimal | None = None
    other_income: Decimal | None = None
    own_contribution: Decimal | None = None


def repayment_claim(
    case: Case,
    unspent: Decimal,
    *,
    received: dt.date,
    claim_date: dt.date,
    account: str | None = None,
    days_to_pay: int = 30,
    costs: tuple[Decimal, Decimal, Decimal] | None = None,
) -> Repayment:
    """The figures of a claim for ``unspent`` kroner of ``case``'s grant.

    ``costs`` (actual costs, other income, own contribution) shows the claim's computation.
    """
    if unspent <= 0:
        raise NotApplicable(f"{case.reference}: nothing is unspent, so there is nothing to claim")
    if unspent > case.decision.amount_granted:
        raise ValueError(f"{case.reference}: unspent {unspent} exceeds the grant")
    return Repayment(
        amount=unspent,
        spent=case.decision.amount_granted - unspent,
        grant_date=case.decision.date,
        received=received,
        claim_date=claim_date,
        due=claim_date + dt.timedelta(days=days_to_pay),
        account=account or "",
        **(dict(zip(("costs", "other_income", "own_contribution"), costs, strict=True))
           if costs else {}),
    )
