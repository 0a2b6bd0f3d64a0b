"""The control checklist (and the auditor's procedures) for each returned workbook."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grantdocs import messages_files as F
from grantdocs.batch.digest import Settings
from grantdocs.batch.jobs import Job, OutputFile, Rendered
from grantdocs.batch.manifest import BatchResult
from grantdocs.errors import AccountsError, RecordRefused
from grantdocs.model import Case
from grantdocs.products.base import PDF_PRELOAD
from grantdocs.products.returns import Returned, ReturnsKind
from grantdocs.render.document import DocumentRenderer


@dataclass(frozen=True)
class Checklists(ReturnsKind):
    """One checklist per return (and the auditor's procedures with ``auditor``)."""

    auditor: bool = False

    def names(self, job: Job, fmts: Sequence[str]) -> list[str]:
        parts = ("_kontroll", "_revisor") if self.auditor else ("_kontroll",)
        return [f"{job.stem}{part}.{fmt}" for part in parts for fmt in fmts]

    def languages(self, ret: Returned, settings: Settings) -> tuple[str, ...]:
        """The checklist in the issuer's own written form; the auditor's procedures, which
        go to the grantee's auditor, in the recipient's."""
        from grantdocs.scheme import load_issuer

        own = load_issuer(settings.issuer).internal_language
        return (own, ret.lang) if self.auditor else (own,)

    def plan(self, inputs: Sequence[Path | str], settings: Settings,
             result: BatchResult) -> Iterator[Job]:
        returns = ((ret, dict[str, Any]()) for ret in self.returns(inputs, settings, result))
        return self.jobs(returns, settings, str(self.auditor))

    def start(self, settings: Settings, fmts: Sequence[str]) -> Any:
        renderer = super().start(settings, fmts)
        if "pdf" in fmts:
            from grantdocs.documents import checklist_pdf_writer

            checklist_pdf_writer(renderer.dirs)
        return renderer

    def render(self, state: DocumentRenderer, job: Job, fmts: Sequence[str]) -> Rendered:
        from grantdocs.decide.checklist import build_audit_procedures, build_checklist
        from grantdocs.documents import render_checklist
        from grantdocs.limits import current_limits
        from grantdocs.readers.accounts_return import read_accounts
        from grantdocs.readers.zipguard import read_regular_file

        case = Case.model_validate_json(job.case_json)
        extra = json.loads(job.extra)
        try:
            data = read_regular_file(Path(extra["return"]), current_limits())
            if hashlib.sha256(data).hexdigest() != extra["sha256"]:
                raise AccountsError(F.RETURN_CHANGED())
            accounts = read_accounts(data, case)
        except AccountsError as exc:
            raise RecordRefused(F.RETURNED_REFUSED(problem=exc.text) if exc.text is not None
                                else f"returned workbook refused: {exc}") from None
        except OSError as exc:
            raise RecordRefused(f"returned workbook refused: {exc}") from None
        received = dt.date.fromisoformat(extra["received"])
        documents = [build_checklist(case, accounts, received, state.scheme,
                                     issuer=state.issuer, templates=state.dirs)]
        if self.auditor:
            documents.append(build_audit_procedures(case, state.scheme, accounts,
                                                    issuer=state.issuer, templates=state.dirs))
        names = iter(self.names(job, fmts))
        files = tuple(
            OutputFile(next(names), "checklist" if doc.kind == "control" else "audit-procedures",
                       fmt, render_checklist(doc, fmt))  # type: ignore[arg-type]
            for doc in documents for fmt in fmts)
        return Rendered(job.reference, documents[0].lang, files)


def checklists(decisions: Sequence[Path | str], *, received: dt.date | None = None,
               received_on: Mapping[str, dt.date] | None = None,
               auditor: bool = False) -> Checklists:
    """The checklist kind for returns of the decisions in ``decisions``."""
    return Checklists(
        "checklists", "Checklists", ("pdf", "xlsx", "html"),
        frozenset({"checklist", "audit-procedures"}),
        ("*/checklist.html", "*/audit-procedures.html", "*/checklist.toml", "checklist.css"),
        preload=PDF_PRELOAD,
        decisions=tuple(Path(d) for d in decisions), received=received,
        received_on=dict(received_on or {}), auditor=auditor,
    )
