"""The pre-filled annual report template (DOCX) for a granted or partial decision."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from grantdocs.batch.jobs import Job, OutputFile, Rendered
from grantdocs.model import Case
from grantdocs.products.base import Kind
from grantdocs.render.document import DocumentRenderer


@dataclass(frozen=True)
class ReportTemplates(Kind):
    """One report template per granted or partial decision; rejections are skipped."""

    def render(self, state: DocumentRenderer, job: Job, fmts: Sequence[str]) -> Rendered:
        from grantdocs.reports import report_template_html

        case = Case.model_validate_json(job.case_json)
        doc = report_template_html(state, case)
        files = tuple(OutputFile(name, doc.kind, fmt, state.convert(doc, case, fmt))  # type: ignore[arg-type]
                      for name, fmt in zip(self.names(job, fmts), fmts, strict=True))
        return Rendered(job.reference, doc.language, files)


REPORT_TEMPLATES = ReportTemplates(
    "report-templates", "Report templates", ("docx", "html"), frozenset({"report-template"}),
    ("*/report-template.html",), suffix="_arsrapport",
    not_for_rejections="a rejection has no annual report",
)
