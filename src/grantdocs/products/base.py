"""What the document kinds share: formats, names, planning, and a warm renderer per worker."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from grantdocs.batch.digest import Settings
from grantdocs.batch.jobs import Job, Rendered
from grantdocs.batch.manifest import BatchResult
from grantdocs.batch.plan import plan_cases
from grantdocs.model import Case, DecisionKind


@dataclass(frozen=True)
class Kind:
    """A document kind made one job per record (a :class:`~grantdocs.batch.DocumentKind`).

    Subclasses say how a job is rendered; kinds are plain picklable objects, so
    worker processes receive them with their settings.
    """

    name: str
    label: str  # shown on the progress bar
    formats: tuple[str, ...]
    kinds: frozenset[str]  # the manifest kinds it writes (other rows in the folder are kept)
    templates: tuple[str, ...]  # globs in the templates folders that decide its bytes
    suffix: str = ""  # after the file stem: "_arsrapport"
    preload: tuple[str, ...] = ("grantdocs.render.document",)
    not_for_rejections: str | None = None  # why a rejection gets none, when it gets none
    warm_pdf_writer: ClassVar[bool] = False  # build it as a worker starts

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
        """What a worker builds once and reuses for every job: here, a warm DocumentRenderer."""
        from grantdocs.render.document import DocumentRenderer
        from grantdocs.scheme import load_issuer, load_scheme

        renderer = DocumentRenderer(load_scheme(settings.scheme), load_issuer(settings.issuer),
                                    settings.templates)
        if self.warm_pdf_writer and "pdf" in fmts:
            renderer.pdf_writer()  # fonts and CSS once per worker, not in the first job
        return renderer

    def render(self, state: Any, job: Job, fmts: Sequence[str]) -> Rendered:
        raise NotImplementedError


PDF_PRELOAD = ("grantdocs.render.document", "grantdocs.writers.pdf", "weasyprint")
