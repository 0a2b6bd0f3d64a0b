"""The document kinds the batch engine makes, one module each, and their registry.

A kind (:class:`~grantdocs.batch.DocumentKind`) tells
:func:`grantdocs.batch.run_batch` which records become jobs, which template
files decide its bytes, the file names a job writes, and how a worker renders
a job. :data:`KINDS` lists the fixed ones by name; checklists and repayment
claims read returned workbooks and so are built with the decisions and
received dates (:func:`checklists`, :func:`repayment_claims`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from grantdocs.batch import run_batch as _engine
from grantdocs.batch.digest import Settings
from grantdocs.batch.jobs import DocumentKind, OutputFile, Rendered
from grantdocs.batch.manifest import BatchResult
from grantdocs.batch.run import Progress
from grantdocs.batch.workers import DEFAULT_MAX_TASKS, DEFAULT_TIMEOUT
from grantdocs.products.accounts_workbooks import ACCOUNTS_WORKBOOKS, AccountsWorkbooks
from grantdocs.products.base import Kind
from grantdocs.products.checklist import Checklists, checklists
from grantdocs.products.letters import LETTERS, Letters
from grantdocs.products.repayment_claim import RepaymentClaims, repayment_claims
from grantdocs.products.report_templates import REPORT_TEMPLATES, ReportTemplates

KINDS: dict[str, DocumentKind] = {k.name: k for k in (LETTERS, REPORT_TEMPLATES,
                                                      ACCOUNTS_WORKBOOKS)}

__all__ = [
    "ACCOUNTS_WORKBOOKS", "KINDS", "LETTERS", "REPORT_TEMPLATES", "AccountsWorkbooks",
    "Checklists", "DocumentKind", "Kind", "Letters", "OutputFile", "Rendered",
    "RepaymentClaims", "ReportTemplates", "checklists", "repayment_claims", "run_batch",
]


def run_batch(
    inputs: Sequence[Path | str],
    out_dir: Path | str,
    formats: Sequence[str] = ("pdf",),
    *,
    kind: DocumentKind = LETTERS,
    settings: Settings | None = None,
    jobs: int | None = None,
    force: bool = False,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_tasks: int = DEFAULT_MAX_TASKS,
    on_progress: Progress | None = None,
    on_planned: Callable[[BatchResult], None] | None = None,
    on_finished: Callable[[BatchResult], None] | None = None,
) -> BatchResult:
    """The batch engine (:func:`grantdocs.batch.run_batch`) with letters as the default kind."""
    return _engine(inputs, out_dir, formats, kind=kind, settings=settings, jobs=jobs,
                   force=force, timeout=timeout, max_tasks=max_tasks, on_progress=on_progress,
                   on_planned=on_planned, on_finished=on_finished)
