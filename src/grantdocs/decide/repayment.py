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


def repayment_claim(
    case: Case,
    unspent: Decimal,
    *,
    received: dt.date,
    claim_date: dt.date,
    account: str | None = None,
    days_to_pay: int = 30,
) -> Repayment:
    """The figures of a claim for ``unspent`` kroner of ``case``'s grant."""
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
    )
