"""The claim for unspent grant money, from each returned workbook that shows some.

A claim is a new decision (with reasons and appeal rights), in the recipient's
written form, as PDF/A or DOCX. A return with nothing unspent gets no claim: it
is a skipped row.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from grantdocs import messages_files as F
from grantdocs.batch.digest import Settings
from grantdocs.batch.jobs import Job, OutputFile, Rendered
from grantdocs.batch.manifest import BatchResult, OutputRecord
from grantdocs.errors import AccountsError, NotApplicable, RecordRefused
from grantdocs.model import Case
from grantdocs.products.base import PDF_PRELOAD
from grantdocs.products.returns import Returned, ReturnsKind
from grantdocs.render.document import DocumentRenderer

NOTHING_UNSPENT = "nothing unspent; no claim needed"


@dataclass(frozen=True)
class RepaymentClaims(ReturnsKind):
    """One claim per return with unspent money, dated ``claim_date`` (default: today)."""

    claim_date: dt.date | None = None
    days_to_pay: int = 30
    warm_pdf_writer = True

    def plan(self, inputs: Sequence[Path | str], settings: Settings,
             result: BatchResult) -> Iterator[Job]:
        claim_date = self.claim_date or dt.date.today()
        returns = self._with_unspent(self.returns(inputs, settings, result), claim_date, result)
        return self.jobs(returns, settings, str(self.days_to_pay))

    def _with_unspent(self, returns: Iterator[Returned], claim_date: dt.date,
                      result: BatchResult) -> Iterator[tuple[Returned, dict[str, Any]]]:
        from grantdocs.batch.jobs import failed_row
        from grantdocs.readers.accounts_return import read_accounts

        for ret in returns:
            try:
                accounts = read_accounts(ret.data, ret.case)
            except AccountsError as exc:
                row = failed_row(ret.case.reference, ret.where, f"returned workbook refused: {exc}")
                if exc.text is None:
                    result.fail(row, hint="send the grantee the workbook grantdocs wrote for them")
                else:
                    result.fail(row, text=F.RETURNED_REFUSED(problem=exc.text))
                continue
            if accounts.unspent <= 0:
                result.outputs.append(OutputRecord(
                    ret.case.reference, None, None, None, None, None, None, None, "skipped",
                    error=NOTHING_UNSPENT, file=ret.where.file, row=ret.where.row,
                    organisation=ret.case.organisation.name))
                continue
            costs = (accounts.total_actual, accounts.other_income or 0,
                     accounts.own_contribution or 0)
            yield ret, {"unspent": str(accounts.unspent), "claim_date": claim_date.isoformat(),
                        "costs": [str(c) for c in costs]}

    def render(self, state: DocumentRenderer, job: Job, fmts: Sequence[str]) -> Rendered:
        from grantdocs.decide.repayment import repayment_claim
        from grantdocs.reports import claim_case, repayment_claim_html

        case = Case.model_validate_json(job.case_json)
        extra = json.loads(job.extra)
        costs, other, own = (Decimal(value) for value in extra["costs"])
        try:
            claim = repayment_claim(case, Decimal(extra["unspent"]),
                                    received=dt.date.fromisoformat(extra["received"]),
                                    claim_date=dt.date.fromisoformat(extra["claim_date"]),
                                    costs=(costs, other, own),
                                    days_to_pay=self.days_to_pay)
            doc = repayment_claim_html(state, case, claim)
        except (NotApplicable, ValueError) as exc:
            raise RecordRefused(str(exc)) from None
        dated = claim_case(case, claim)
        files = []
        for name, fmt in zip(self.names(job, fmts), fmts, strict=True):
            data, pages = state.write(doc, dated, fmt)  # type: ignore[arg-type]
            files.append(OutputFile(name, doc.kind, fmt, data, pages))
        return Rendered(job.reference, doc.language, tuple(files))


def repayment_claims(decisions: Sequence[Path | str], *, received: dt.date | None = None,
                     received_on: Mapping[str, dt.date] | None = None,
                     claim_date: dt.date | None = None) -> RepaymentClaims:
    """The repayment-claim kind for returns of the decisions in ``decisions``."""
    return RepaymentClaims(
        "repayment-claims", "Repayment claims", ("pdf", "docx"), frozenset({"repayment-claim"}),
        ("*/repayment-claim.html", "letter.css"), suffix="_tilbakebetaling",
        preload=PDF_PRELOAD,
        decisions=tuple(Path(d) for d in decisions), received=received,
        received_on=dict(received_on or {}), claim_date=claim_date,
    )
