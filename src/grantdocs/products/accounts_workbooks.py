"""The pre-filled accounts workbook (XLSX) for a granted or partial decision."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from grantdocs.batch.digest import Settings
from grantdocs.batch.jobs import Job, OutputFile, Rendered
from grantdocs.batch.manifest import BatchResult
from grantdocs.model import Case
from grantdocs.products.base import Kind
from grantdocs.render.document import DocumentRenderer


@dataclass(frozen=True)
class AccountsWorkbooks(Kind):
    """One workbook per granted or partial decision; rejections are skipped."""

    def plan(self, inputs: Sequence[Path | str], settings: Settings,
             result: BatchResult) -> Iterator[Job]:
        """As for every kind, with the signing key's fingerprint in each job's hash, so a
        rerun after a key rotation signs the workbooks anew. The key is loaded (and made,
        on first use) here, in the parent: a bad key file stops the run before any job."""
        from grantdocs.keys import load_keyring

        key_id = load_keyring().key_id
        for job in super().plan(inputs, settings, result):
            digest = hashlib.sha256(f"{job.input_hash}\n{key_id}".encode()).hexdigest()
            yield dataclasses.replace(job, input_hash=digest)

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
