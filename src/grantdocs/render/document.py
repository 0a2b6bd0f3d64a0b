"""One document as HTML, and its PDF, DOCX or HTML bytes: the state a worker keeps warm.

Every document kind renders through a :class:`DocumentRenderer`: letters,
report templates, repayment claims (and, for its scheme, issuer and templates,
the accounts workbook). It caches what is costly (the Jinja environment,
WeasyPrint's fonts and CSS), so a batch pays for them once.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from grantdocs.model import Case, Language
from grantdocs.render.context import build_letter_context
from grantdocs.render.environment import render_template, template_dirs
from grantdocs.scheme import Issuer, Scheme, load_issuer, load_scheme

if TYPE_CHECKING:
    from grantdocs.writers.pdf import PdfWriter

Format = Literal["pdf", "docx", "html"]
FORMATS: tuple[Format, ...] = ("pdf", "docx", "html")

_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


@dataclass(frozen=True)
class HtmlDocument:
    """One rendered document: the HTML every format is made from."""

    reference: str
    language: str
    kind: str
    html: str
    title: str


@dataclass
class DocumentRenderer:
    """Renders documents with one scheme, issuer and templates folder; reuse it for many cases.

    It caches what is costly (the Jinja environment, WeasyPrint's fonts and CSS),
    so a batch pays for them once.
    """

    scheme: Scheme = field(default_factory=load_scheme)
    issuer: Issuer = field(default_factory=load_issuer)
    templates: Path | None = None
    _pdf: PdfWriter | None = field(default=None, init=False, repr=False)

    @property
    def dirs(self) -> tuple[Path, ...]:
        return template_dirs(self.templates)

    def html(self, case: Case, lang: str | None = None) -> HtmlDocument:
        """The decision letter for ``case`` as HTML, the one source of its PDF and DOCX."""
        kind = case.decision.kind.value
        return self.render_html(case, f"letter-{kind}.html", kind, lang=lang)

    def render_html(self, case: Case, template: str, kind: str,
                    extra: dict[str, Any] | None = None,
                    lang: str | None = None) -> HtmlDocument:
        """Render ``<lang>/template`` with the letter context of ``case`` (plus ``extra``)."""
        context = build_letter_context(case, self.scheme, self.issuer, lang=lang,
                                       templates=self.dirs)
        context.update(extra or {})
        html = render_template(f"{context['lang']}/{template}", context, self.dirs)
        match = _TITLE.search(html)
        title = _unescape(match.group(1)) if match else kind
        return HtmlDocument(case.reference, context["lang"], kind, html, title)

    def pdf_writer(self) -> PdfWriter:
        if self._pdf is None:
            from grantdocs.writers.pdf import shared_writer

            logo = self.issuer.logo_path()
            self._pdf = shared_writer(self.dirs, extra_allowed=[logo] if logo else ())
        return self._pdf

    def render(self, case: Case, fmt: Format = "pdf", lang: str | None = None) -> bytes:
        """The decision letter for ``case`` as ``fmt`` bytes."""
        return self.convert(self.html(case, lang), case, fmt)

    def convert(self, doc: HtmlDocument, case: Case, fmt: Format) -> bytes:
        """``doc`` as PDF/A, DOCX or HTML bytes."""
        return self.write(doc, case, fmt)[0]

    def write(self, doc: HtmlDocument, case: Case, fmt: Format) -> tuple[bytes, int | None]:
        """``doc`` as PDF/A, DOCX or HTML bytes, and the page count (known for PDF only)."""
        if fmt == "html":
            return self_contained(doc.html, self.issuer).encode("utf-8"), None
        if fmt == "pdf":
            return self.pdf_writer().write_counted(doc.html)
        if fmt == "docx":
            from grantdocs.writers.docx import DocxMeta, html_to_docx

            meta = DocxMeta(
                title=doc.title,
                author=self.issuer.name(doc.language),
                language=Language(doc.language).tag,
                subject=self.scheme.name(doc.language),
                keywords=case.reference,
                created=dt.datetime.combine(case.decision.date, dt.time(12, 0)),
                logo=self.issuer.logo_image(),
            )
            return html_to_docx(doc.html, meta), None
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def self_contained(html: str, issuer: Issuer) -> str:
    """``html`` as a file of its own: the issuer's logo inline as a ``data:`` URI.

    The HTML that the PDF is made from names the logo by its ``file:`` path on this
    machine (WeasyPrint's fetcher reads that one file); an HTML document handed to
    someone else must carry the image itself.
    """
    logo = issuer.logo_image()
    if logo is None:
        return html
    return html.replace(f'src="{logo.path.as_uri()}"', f'src="{logo.data_uri}"')


def _unescape(text: str) -> str:
    import html

    return html.unescape(text).strip()
