"""Decision letters: one case in, one rendered HTML, then PDF and DOCX derived from it."""

from __future__ import annotations

from pathlib import Path

from grantdocs.model import Case
from grantdocs.render.document import FORMATS, DocumentRenderer, Format, HtmlDocument
from grantdocs.rules import refuse_forbidden
from grantdocs.scheme import Issuer, Scheme, load_issuer, load_scheme

__all__ = ["FORMATS", "DocumentRenderer", "Format", "HtmlDocument", "LetterRenderer",
           "render_letter"]


def render_letter(
    case: Case,
    format: Format = "pdf",
    *,
    scheme: Scheme | None = None,
    issuer: Issuer | None = None,
    templates: Path | None = None,
    lang: str | None = None,
    check: bool = True,
) -> bytes:
    """Render one decision letter as PDF/A, DOCX or HTML bytes.

    The language is the case's, else the organisation's preference, else the
    issuer's default. For many letters, build one :class:`DocumentRenderer` and
    reuse it.

    The case is checked against the scheme first: :class:`~grantdocs.errors.CaseRefused`
    (listing the issues) if it breaks a rule; ``check=False`` renders it anyway.
    """
    renderer = _renderer(scheme, issuer, templates)
    if check:
        refuse_forbidden(case, renderer.scheme)
    return renderer.render(case, format, lang)


_RENDERERS: dict[tuple[int, int, Path | None], DocumentRenderer] = {}


def _renderer(
    scheme: Scheme | None, issuer: Issuer | None, templates: Path | None
) -> DocumentRenderer:
    scheme = scheme or load_scheme()
    issuer = issuer or load_issuer()
    key = (id(scheme), id(issuer), templates)
    if key not in _RENDERERS:
        _RENDERERS[key] = DocumentRenderer(scheme, issuer, templates)
    return _RENDERERS[key]


LetterRenderer = DocumentRenderer  # the old name, kept for callers that still use it
