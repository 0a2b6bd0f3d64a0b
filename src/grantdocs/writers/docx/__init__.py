"""DOCX writer: the rendered letter HTML (the tags the templates use) as a Word document.

Every document is rendered once as semantic HTML; the PDF and this DOCX are both
derived from that HTML. This package walks the HTML with a small, closed mapping
onto WordprocessingML. It never fetches anything (``img``, ``link``, ``style``,
``script`` and every ``src``/``href`` are ignored) and inserts text literally.

Mapping (the contract the templates keep to; the tag sets are in :mod:`.html`, the
classes in :data:`.look.CLASSES`):

* ``h1``–``h3`` → the built-in "Heading 1"–"Heading 3" styles (``h4``–``h6`` → 4–6);
  ``p``, ``figcaption`` → "Normal"; ``.note`` / ``.e-signed`` → "Small"
  (8.5 pt, added to the base); ``.guidance`` → "Guidance".
* ``ul > li`` → "List Bullet", ``ol > li`` → "List Number"; every ``ol`` gets its
  own ``w:num`` with a start override, so each list restarts at 1 (or ``start``).
  Nested lists use the "… 2" / "… 3" styles; later paragraphs of an item use
  "List Continue".
* ``div``, ``section``, ``figure`` (and unknown elements holding blocks) are
  containers; loose text in them becomes its own paragraph. ``.acceptance`` starts a
  new page; ``.signature`` is kept together; ``.letterhead``, ``.recipient`` and
  ``.signers`` are address blocks without space between their lines.
* ``table`` → "Grantdocs Table" (a rule under each row, as in the PDF; ``.plain`` →
  "Normal Table", no borders), full width, columns laid out as the PDF lays them out
  (the stylesheet's ``th`` width, the rest shared, no word broken); ``thead`` rows,
  or a first row of ``th`` only, repeat on each page (``w:tblHeader``) and are bold
  (unless the stylesheet says otherwise); ``caption`` → "Caption";
  ``colspan`` spans grid columns; rows do not split across pages; ``.num`` cells
  are right-aligned; ``.form`` tables are lines to write on; ``.refs`` is small.
* the running header and footer come from ``<body>``'s attributes, the same ones the
  PDF's margin boxes read: ``data-running-header`` → the page header (left off the
  first page, as in the PDF); ``data-running-footer`` → the footer, under a
  right-aligned "``data-page-word`` PAGE ``data-of-word`` NUMPAGES" line with Word's
  fields.
* Inline: ``strong`` bold, ``em`` italic, ``br`` line break; ``span`` and any other
  tag without blocks inside is plain text. ASCII whitespace collapses as in HTML;
  U+00A0 is kept.

Output is byte-identical for identical input: the core properties' dates come
from :class:`DocxMeta` and the zip is re-packed with fixed entry timestamps.

Speed: the base package (python-docx's default template trimmed to the styles
used, A4, fonts, the "Small" style) is built once per process and kept as bytes;
each document opens a fresh copy. The body is written as lxml elements directly,
not through python-docx's proxy objects, whose table API is quadratic.

The look (font, sizes, colours, spacing, margins, table rules and padding, header and
footer) is read from ``templates/letter.css``, the PDF's stylesheet, by :mod:`.look`.

Where things are: :mod:`.look` (fonts, sizes, the page, the template classes, from
letter.css via :mod:`.css`), :mod:`.styles` (the Word styles),
:mod:`.html` (parsing, tag sets), :mod:`.inline` (runs), :mod:`.blocks` (the walker),
:mod:`.tables`, :mod:`.page` (header and footer), :mod:`.package` (base package, language,
core properties), :mod:`.ooxml` (WordprocessingML names).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from io import BytesIO
from typing import TYPE_CHECKING

import docx

from grantdocs.writers.docx.blocks import Builder
from grantdocs.writers.docx.html import parse_html
from grantdocs.writers.docx.logo import add_logo, wants_logo
from grantdocs.writers.docx.package import apply_core_properties, apply_language, base_package
from grantdocs.writers.zip import fixed_zip

if TYPE_CHECKING:
    from grantdocs.logo import LogoImage

__all__ = ["DocxMeta", "html_to_docx"]


@dataclass(frozen=True)
class DocxMeta:
    """Document properties of one DOCX.

    ``created`` comes from the data (the decision date), never from the clock, so
    that the same input gives the same bytes. It is keyword-only.
    """

    title: str
    author: str
    language: str  # BCP 47, e.g. "nb-NO" or "nn-NO"
    subject: str | None = None
    keywords: str | None = None
    created: datetime.datetime = field(kw_only=True)
    #: The issuer's logo, drawn where the HTML's letterhead has ``<img class="logo">``.
    logo: LogoImage | None = field(default=None, kw_only=True)


def html_to_docx(html: str, meta: DocxMeta) -> bytes:
    """Convert rendered letter HTML (the subset described above) to DOCX bytes."""
    base = base_package()
    document = docx.Document(BytesIO(base.data))
    root = parse_html(html)
    body = root.find("body") if root is not None else None
    Builder(document, base).build(body if body is not None else root)
    if meta.logo is not None and wants_logo(root):
        add_logo(document, meta.logo, meta.author)
    apply_language(document, meta.language)
    apply_core_properties(document, meta)
    buffer = BytesIO()
    document.save(buffer)
    return fixed_zip(buffer.getvalue())
