"""The running header and footer, from ``<body>``'s data attributes.

These are the attributes the PDF's margin boxes read: ``data-running-header`` becomes
the page header (left off the first page, as in the PDF); ``data-running-footer`` the
footer, under a right-aligned "``data-page-word`` PAGE ``data-of-word`` NUMPAGES" line
with Word's fields.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lxml import etree  # type: ignore[import-untyped]

from grantdocs.writers.docx.context import Context, Target
from grantdocs.writers.docx.inline import PLAIN, Field, Item, Text
from grantdocs.writers.docx.look import TEXT_WIDTH_TWIPS

if TYPE_CHECKING:
    from grantdocs.writers.docx.blocks import Builder


def running(builder: Builder, body: Any) -> None:
    """The page header and footer, from ``<body>``'s data attributes."""
    header = (body.get("data-running-header") or "").strip()
    footer = (body.get("data-running-footer") or "").strip()
    page_word = body.get("data-page-word")
    of_word = body.get("data-of-word")
    section = builder.section
    if header:
        # As in the PDF, the first page (with the letterhead) has no running header.
        section.different_first_page_header_footer = True
        section.first_page_header.is_linked_to_previous = False
        builder.header_targets = [_header_footer_target(section.header)]
        for target, _ in builder.header_targets:
            builder.flush([Text(header, PLAIN)], target, Context(style="Header", align="right"))
    if footer or page_word:
        section.different_first_page_header_footer = True
        builder.footer_targets = [
            _header_footer_target(section.footer),
            _header_footer_target(section.first_page_footer),
        ]
        for target, _ in builder.footer_targets:
            if page_word and of_word:
                page_line: list[Item] = [
                    Text(f"{page_word} ", PLAIN),
                    Field("PAGE", PLAIN),
                    Text(f" {of_word} ", PLAIN),
                    Field("NUMPAGES", PLAIN),
                ]
                builder.flush(page_line, target, Context(style="Footer", align="right"))
            if footer:
                builder.flush([Text(footer, PLAIN)], target, Context(style="Footer"))


def _header_footer_target(header_footer: Any) -> tuple[Target, Any]:
    """A scratch target for a header or footer, and the w:hdr / w:ftr to move it into."""
    header_footer.is_linked_to_previous = False
    element = header_footer.part.element
    for child in list(element):  # the template's empty paragraph
        element.remove(child)
    return Target(etree.Element(element.tag), TEXT_WIDTH_TWIPS), element
