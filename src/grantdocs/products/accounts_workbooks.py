"""The pre-filled accounts workbook (XLSX) for a granted or partial decision."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from grantdocs.batch.jobs import Job, OutputFile, Rendered
from grantdocs.model import Case
from grantdocs.products.base import Kind
from grantdocs.render.document import DocumentRenderer


@dataclass(frozen=True)
class AccountsWorkbooks(Kind):
    """One workbook per granted or partial decision; rejections are skipped."""

    def render(self, state: DocumentRenderer, job: Job, fmts: Sequence[str]) -> Rendered:
        from grantdocs.render.context import letter_language
        from grantdocs.writers.xlsx.accounts_workbook import write_accounts_workbook

        case = Case.model_validate_json(job.case_json)
        lang = letter_language(case, state.issuer)
        data = write_accounts_workbook(case, state.scheme, lang, issuer=state.issuer,
                                       templates=state.dirs)
        name = self.names(job, fmts)[0]
        return Rendered(job.reference, lang,
                        (OutputFile(name, "accounts-workbook", "xlsx", data),))


ACCOUNTS_WORKBOOKS = AccountsWorkbooks(
    "accounts-workbooks", "Workbooks", ("xlsx",), frozenset({"accounts-workbook"}),
    ("*/accounts.toml",), suffix="_regnskap",
    not_for_rejections="a rejection has no accounts workbook",
)
