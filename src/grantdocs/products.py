"""The document kinds the batch engine makes: what each reads, renders and names.

A :class:`Product` tells :func:`grantdocs.batch.run_batch` four things:

* which records become jobs (:meth:`Product.plan`; by default one job per valid
  decision, minus those the document does not exist for, which are recorded as
  *skipped*);
* which template files decide its bytes (``templates``, for incremental runs);
* the file names a job writes (:meth:`Product.names`);
* how a worker renders a job (:meth:`Product.start` once per worker, then
  :meth:`Product.render` per job).

Products are plain picklable objects, so worker processes receive them with
their settings. The four kinds: :data:`LETTERS`, :data:`REPORT_TEMPLATES`,
:data:`ACCOUNTS_WORKBOOKS` and :class:`Checklists` (which reads returned
workbooks and so is built with the decisions and received dates).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grantdocs.batch import run_batch as _engine
from grantdocs.batch.digest import Settings
from grantdocs.batch.jobs import (
    DocumentKind,
    Job,
    OutputFile,
    Rendered,
    StemCounter,
    failed_row,
    safe_stem,
)
from grantdocs.batch.manifest import BatchResult
from grantdocs.batch.plan import plan_cases
from grantdocs.batch.run import Progress
from grantdocs.batch.workers import DEFAULT_MAX_TASKS, DEFAULT_TIMEOUT
from grantdocs.errors import Location, RecordRefused
from grantdocs.model import Case, DecisionKind
from grantdocs.validate import cases_by_reference

if TYPE_CHECKING:
    from grantdocs.letters import LetterRenderer

__all__ = ["ACCOUNTS_WORKBOOKS", "LETTERS", "REPORT_TEMPLATES", "DocumentKind", "OutputFile",
           "Product", "Rendered", "checklists", "run_batch"]


@dataclass(frozen=True)
class Product:
    """A document kind made one job per record; subclasses say how."""

    name: str
    label: str  # shown on the progress bar
    formats: tuple[str, ...]
    kinds: frozenset[str]  # the manifest kinds it writes (other rows in the folder are kept)
    templates: tuple[str, ...]  # globs in the templates folders that decide its bytes
    suffix: str = ""  # after the file stem: "_arsrapport"
    preload: tuple[str, ...] = ("grantdocs.letters",)
    not_for_rejections: str | None = None  # why a rejection gets none, when it gets none

    def check_formats(self, formats: Sequence[str]) -> tuple[str, ...]:
        fmts = tuple(dict.fromkeys(f.strip().lower() for f in formats if f.strip()))
        bad = [f for f in fmts if f not in self.formats]
        if bad or not fmts:
            raise ValueError(f"{self.name}: format {', '.join(bad) or '(none)'} is not "
                             f"available; use {', '.join(self.formats)}")
        return fmts

    def skip_reason(self, case: Case) -> str | None:
        """Why ``case`` gets no document of this kind, or None when it gets one."""
        if case.decision.kind is DecisionKind.REJECTED:
            return self.not_for_rejections
        return None

    def names(self, job: Job, fmts: Sequence[str]) -> list[str]:
        """The files ``job`` writes, in the order :meth:`render` returns them."""
        return [f"{job.stem}{self.suffix}.{fmt}" for fmt in fmts]

    def plan(self, inputs: Sequence[Path | str], settings: Settings,
             result: BatchResult) -> Iterator[Job]:
        """One job per valid record; invalid and skipped records go straight into ``result``."""
        return plan_cases(self, inputs, settings, result)

    def start(self, settings: Settings, fmts: Sequence[str]) -> Any:
        """What a worker builds once and reuses for every job: here, a warm LetterRenderer."""
        from grantdocs.letters import LetterRenderer
        from grantdocs.scheme import load_issuer, load_scheme

        return LetterRenderer(load_scheme(settings.scheme), load_issuer(settings.issuer),
                              settings.templates)

    def render(self, state: Any, job: Job, fmts: Sequence[str]) -> Rendered:
        raise NotImplementedError


@dataclass(frozen=True)
class Letters(Product):
    """Decision letters: grant, partial grant or rejection, PDF/A, DOCX or HTML.

    With ``archive``, each PDF letter also gets ``<stem>.arkivmelding.xml``, its
    Noark 5 hand-off to the archive (:mod:`grantdocs.decide.archive`).
    """

    archive: bool = False

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

    def start(self, settings: Settings, fmts: Sequence[str]) -> Any:
        renderer = super().start(settings, fmts)
        if "pdf" in fmts:
            renderer.pdf_writer()
        return renderer

    def render(self, state: LetterRenderer, job: Job, fmts: Sequence[str]) -> Rendered:
        case = Case.model_validate_json(job.case_json)
        letter = state.html(case)
        files = []
        names = self.names(job, fmts)
        for name, fmt in zip(names[:len(fmts)], fmts, strict=True):
            if fmt == "pdf":
                data, pages = state.pdf_writer().write_counted(letter.html)
                files.append(OutputFile(name, letter.kind, fmt, data, pages))
            else:
                data = state.convert(letter, case, fmt)  # type: ignore[arg-type]
                files.append(OutputFile(name, letter.kind, fmt, data))
        if self.archive:
            from grantdocs.decide.archive import letter_archive
            from grantdocs.writers.arkivmelding import arkivmelding_xml

            pdf = next(f for f in files if f.format == "pdf")
            record = letter_archive(case, state.scheme, state.issuer, state.dirs,
                                    lang=letter.language, title=letter.title, pdf=pdf.data,
                                    file_name=pdf.name)
            files.append(OutputFile(names[-1], "arkivmelding", "xml", arkivmelding_xml(record)))
        return Rendered(job.reference, letter.language, tuple(files))


@dataclass(frozen=True)
class ReportTemplates(Product):
    """The pre-filled annual report template (DOCX) for a granted or partial decision."""

    def render(self, state: LetterRenderer, job: Job, fmts: Sequence[str]) -> Rendered:
        from grantdocs.reports import report_template_html

        case = Case.model_validate_json(job.case_json)
        doc = report_template_html(state, case)
        files = tuple(OutputFile(name, doc.kind, fmt, state.convert(doc, case, fmt))  # type: ignore[arg-type]
                      for name, fmt in zip(self.names(job, fmts), fmts, strict=True))
        return Rendered(job.reference, doc.language, files)


@dataclass(frozen=True)
class AccountsWorkbooks(Product):
    """The pre-filled accounts workbook (XLSX) for a granted or partial decision."""

    def render(self, state: LetterRenderer, job: Job, fmts: Sequence[str]) -> Rendered:
        from grantdocs.accounts.workbook import write_accounts_workbook
        from grantdocs.render.context import letter_language

        case = Case.model_validate_json(job.case_json)
        lang = letter_language(case, state.issuer)
        data = write_accounts_workbook(case, state.scheme, lang, issuer=state.issuer,
                                       templates=state.dirs)
        name = self.names(job, fmts)[0]
        return Rendered(job.reference, lang,
                        (OutputFile(name, "accounts-workbook", "xlsx", data),))


@dataclass(frozen=True)
class Checklists(Product):
    """The control checklist (and the auditor's procedures) for each returned workbook.

    The inputs are returned accounts workbooks; each is matched to its decision
    in ``decisions`` by the reference in the workbook's hidden identifiers. The
    date a return arrived comes from ``received_on`` (by reference), else
    ``received``.
    """

    decisions: tuple[Path, ...] = ()
    received: dt.date | None = None
    received_on: Mapping[str, dt.date] = field(default_factory=dict)
    auditor: bool = False

    def names(self, job: Job, fmts: Sequence[str]) -> list[str]:
        parts = ("_kontroll", "_revisor") if self.auditor else ("_kontroll",)
        return [f"{job.stem}{part}.{fmt}" for part in parts for fmt in fmts]

    def plan(self, inputs: Sequence[Path | str], settings: Settings,
             result: BatchResult) -> Iterator[Job]:
        from grantdocs.accounts import AccountsError
        from grantdocs.accounts.readback import workbook_identifiers

        digests: dict[str, str] = {}
        decisions = cases_by_reference(self.decisions, settings.scheme, sheet=settings.sheet,
                                       columns=settings.columns)
        invalid = decisions.invalid
        stems = StemCounter()
        for source in inputs:
            where = Location(file=str(source))
            try:
                data = Path(source).read_bytes()
                ids = workbook_identifiers(data)
            except (OSError, AccountsError) as exc:
                result.fail(failed_row(None, where, str(exc)),
                            hint="send the grantee the workbook grantdocs wrote for them")
                continue
            reference, lang = ids["reference"], ids["lang"]
            if lang not in ("nb", "nn"):
                result.fail(failed_row(reference, where, f"unknown written form {lang!r} in the "
                                       "workbook's identifiers"),
                            hint="send the grantee the workbook grantdocs wrote for them")
                continue
            case = decisions.valid.get(reference)
            if case is None:
                why = (f"its decision is invalid ({invalid[reference]})" if reference in invalid
                       else "no decision with this reference in "
                            + ", ".join(map(str, self.decisions)))
                result.fail(failed_row(reference, where,
                                       f"returned workbook for {reference}: {why}"),
                            hint="give the decisions file the workbook came from")
                continue
            received = self.received_on.get(reference, self.received)
            if received is None:
                result.fail(failed_row(reference, where, f"no date received for {reference}"),
                            hint="add it to the list of received dates, or give --received")
                continue
            case_json, organisation = case.model_dump_json(), case.organisation.name
            extra = json.dumps({"return": str(Path(source).resolve()),
                                "received": received.isoformat()})
            stem = stems.unique(safe_stem(reference, organisation))
            if lang not in digests:
                digests[lang] = settings.digest(self, lang)
            h = hashlib.sha256(f"{digests[lang]}\n{case_json}\n{extra}\n{self.auditor}".encode())
            h.update(hashlib.sha256(data).digest())
            yield Job(case_json, reference, where, stem, h.hexdigest(), organisation, extra)

    def start(self, settings: Settings, fmts: Sequence[str]) -> Any:
        renderer = super().start(settings, fmts)
        if "pdf" in fmts:
            from grantdocs.accounts.checklist import checklist_pdf_writer

            checklist_pdf_writer(renderer.dirs)
        return renderer

    def render(self, state: LetterRenderer, job: Job, fmts: Sequence[str]) -> Rendered:
        from grantdocs.accounts import AccountsError, read_accounts
        from grantdocs.accounts.checklist import (
            build_audit_procedures,
            build_checklist,
            render_checklist,
        )

        case = Case.model_validate_json(job.case_json)
        extra = json.loads(job.extra)
        try:
            accounts = read_accounts(Path(extra["return"]), case)
        except (AccountsError, OSError) as exc:
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


LETTERS = Letters(
    "letters", "Letters", ("pdf", "docx", "html"),
    frozenset({k.value for k in DecisionKind}),
    ("*/letter-*.html", "letter.css"),
    preload=("grantdocs.letters", "grantdocs.writers.pdf", "weasyprint"),
)
REPORT_TEMPLATES = ReportTemplates(
    "report-templates", "Report templates", ("docx", "html"), frozenset({"report-template"}),
    ("*/report-template.html",), suffix="_arsrapport",
    not_for_rejections="a rejection has no annual report",
)
ACCOUNTS_WORKBOOKS = AccountsWorkbooks(
    "accounts-workbooks", "Workbooks", ("xlsx",), frozenset({"accounts-workbook"}),
    ("*/accounts.toml",), suffix="_regnskap",
    not_for_rejections="a rejection has no accounts workbook",
)


def checklists(decisions: Sequence[Path | str], *, received: dt.date | None = None,
               received_on: Mapping[str, dt.date] | None = None,
               auditor: bool = False) -> Checklists:
    """The checklist product for returns of the decisions in ``decisions``."""
    return Checklists(
        "checklists", "Checklists", ("pdf", "xlsx", "html"),
        frozenset({"checklist", "audit-procedures"}),
        ("*/checklist.html", "*/audit-procedures.html", "*/checklist.toml", "checklist.css"),
        preload=("grantdocs.letters", "grantdocs.writers.pdf", "weasyprint"),
        decisions=tuple(Path(d) for d in decisions), received=received,
        received_on=dict(received_on or {}), auditor=auditor,
    )


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
) -> BatchResult:
    """The batch engine (:func:`grantdocs.batch.run_batch`) with letters as the default kind."""
    return _engine(inputs, out_dir, formats, kind=kind, settings=settings, jobs=jobs,
                   force=force, timeout=timeout, max_tasks=max_tasks, on_progress=on_progress,
                   on_planned=on_planned)
