"""Decision letters: grant, partial grant or rejection, as PDF/A, DOCX or HTML."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from grantdocs.batch.digest import Settings
from grantdocs.batch.jobs import Job, OutputFile, Rendered
from grantdocs.batch.manifest import BatchResult
from grantdocs.model import Case, DecisionKind
from grantdocs.products.base import PDF_PRELOAD, Kind
from grantdocs.render.document import DocumentRenderer


@dataclass(frozen=True)
class Letters(Kind):
    """One decision letter per valid record, in the recipient's written form.

    With ``archive``, each PDF letter also gets ``<stem>.arkivmelding.xml``, its
    Noark 5 hand-off to the archive (:mod:`grantdocs.decide.archive`).
    """

    archive: bool = False
    warm_pdf_writer = True

    def with_archive(self) -> Letters:
        """The same letters, each PDF with its arkivmelding beside it."""
        return replace(self, archive=True, kinds=self.kinds | {"arkivmelding"},
                       templates=(*self.templates, "*/archive.toml"))

    def check_formats(self, formats: Sequence[str]) -> tuple[str, ...]:
        fmts = super().check_formats(formats)
        if self.archive and "pdf" not in fmts:
            raise ValueError("letters: the arkivmelding describes the PDF letter; add pdf")
        return fmts

    def names(self, job: Job, fmts: Sequence[str]) -> list[str]:
        names = super().names(job, fmts)
        if self.archive and "pdf" in fmts:
            from grantdocs.decide.archive import archive_name

            names.append(archive_name(f"{job.stem}.pdf"))
        return names

    def plan(self, inputs: Sequence[Path | str], settings: Settings,
             result: BatchResult) -> Iterator[Job]:
        jobs = super().plan(inputs, settings, result)
        if not self.archive:
            return jobs
        return (replace(job, input_hash=hashlib.sha256(
                    f"{job.input_hash}\narchive".encode()).hexdigest()) for job in jobs)

    def render(self, state: DocumentRenderer, job: Job, fmts: Sequence[str]) -> Rendered:
        case = Case.model_validate_json(job.case_json)
        letter = state.html(case)
        files = []
        names = self.names(job, fmts)
        for name, fmt in zip(names[:len(fmts)], fmts, strict=True):
            data, pages = state.write(letter, case, fmt)  # type: ignore[arg-type]
            files.append(OutputFile(name, letter.kind, fmt, data, pages))
        if self.archive:
            from grantdocs.decide.archive import letter_archive
            from grantdocs.writers.arkivmelding import arkivmelding_xml

            pdf = next(f for f in files if f.format == "pdf")
            record = letter_archive(case, state.scheme, state.issuer, state.dirs,
                                    lang=letter.language, title=letter.title, pdf=pdf.data,
                                    file_name=pdf.name)
            files.append(OutputFile(names[-1], "arkivmelding", "xml", arkivmelding_xml(record)))
        return Rendered(job.reference, letter.language, tuple(files))


LETTERS = Letters(
    "letters", "Letters", ("pdf", "docx", "html"),
    frozenset({k.value for k in DecisionKind}),
    ("*/letter-*.html", "letter.css"),
    preload=PDF_PRELOAD,
)
