"""Decision letters: one case in, one rendered HTML, then PDF and DOCX derived from it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from grantdocs.model import Case

if TYPE_CHECKING:
    from grantdocs.writers.pdf import PdfWriter
from grantdocs.render.context import LANG_TAGS, build_letter_context
from grantdocs.render.environment import render_template, template_dirs
from grantdocs.scheme import Issuer, Scheme, load_issuer, load_scheme

Format = Literal["pdf", "docx", "html"]
FORMATS: tuple[Format, ...] = ("pdf", "docx", "html")

_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


@dataclass(frozen=True)
class RenderedLetter:
    reference: str
    language: str
    kind: str
    html: str
    title: str


@dataclass
class LetterRenderer:
    """Renders letters with one scheme, issuer and templates folder; reuse it for many cases.

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

    def html(self, case: Case, lang: str | None = None) -> RenderedLetter:
        """The decision letter for ``case`` as HTML, the one source of its PDF and DOCX."""
        kind = case.decision.kind.value
        return self.render_html(case, f"letter-{kind}.html", kind, lang=lang)

    def render_html(self, case: Case, template: str, kind: str,
                    extra: dict[str, Any] | None = None,
                    lang: str | None = None) -> RenderedLetter:
        """Render ``<lang>/template`` with the letter context of ``case`` (plus ``extra``)."""
        context = build_letter_context(case, self.scheme, self.issuer, lang=lang)
        context.update(extra or {})
        html = render_template(f"{context['lang']}/{template}", context, self.dirs)
        match = _TITLE.search(html)
        title = _unescape(match.group(1)) if match else kind
        return RenderedLetter(case.reference, context["lang"], kind, html, title)

    def pdf_writer(self) -> PdfWriter:
        if self._pdf is None:
            from grantdocs.writers.pdf import shared_writer

            logo = self.issuer.logo_path()
            self._pdf = shared_writer(self.dirs, extra_allowed=[logo] if logo else ())
        return self._pdf

    def render(self, case: Case, fmt: Format = "pdf", lang: str | None = None) -> bytes:
        letter = self.html(case, lang)
        return self.convert(letter, case, fmt)

    def convert(self, letter: RenderedLetter, case: Case, fmt: Format) -> bytes:
        if fmt == "html":
            return letter.html.encode("utf-8")
        if fmt == "pdf":
            return self.pdf_writer().write(letter.html)
        if fmt == "docx":
            from grantdocs.writers.docx import DocxMeta, html_to_docx

            meta = DocxMeta(
                title=letter.title,
                author=self.issuer.name(letter.language),
                language=LANG_TAGS[letter.language],
                subject=self.scheme.name(letter.language),
                keywords=case.reference,
                created=dt.datetime.combine(case.decision.date, dt.time(12, 0)),
            )
            return html_to_docx(letter.html, meta)
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def _unescape(text: str) -> str:
    import html

    return html.unescape(text).strip()


def render_letter(
    case: Case,
    format: Format = "pdf",
    *,
    scheme: Scheme | None = None,
    issuer: Issuer | None = None,
    templates: Path | None = None,
    lang: str | None = None,
) -> bytes:
    """Render one decision letter as PDF/A, DOCX or HTML bytes.

    The language is the case's, else the organisation's preference, else the
    issuer's default. For many letters, build one :class:`LetterRenderer` and
    reuse it.
    """
    renderer = _renderer(scheme, issuer, templates)
    return renderer.render(case, format, lang)


_RENDERERS: dict[tuple[int, int, Path | None], LetterRenderer] = {}


def _renderer(
    scheme: Scheme | None, issuer: Issuer | None, templates: Path | None
) -> LetterRenderer:
    scheme = scheme or load_scheme()
    issuer = issuer or load_issuer()
    key = (id(scheme), id(issuer), templates)
    if key not in _RENDERERS:
        _RENDERERS[key] = LetterRenderer(scheme, issuer, templates)
    return _RENDERERS[key]
