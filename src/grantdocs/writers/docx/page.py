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
from grantdocs.writers.docx.look import (
    FOOTER_PADDING_TOP_PT,
    FOOTER_RULE,
    FOOTER_WIDTHS_TWIPS,
    TEXT_WIDTH_TWIPS,
    twips,
)
from grantdocs.writers.docx.ooxml import RPR, TBL, TC, TCPR, TR, P, sub
from grantdocs.writers.docx.styles import border_size

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
            page_line: list[Item] = []
            if page_word and of_word:
                page_line = [
                    Text(f"{page_word} ", PLAIN),
                    Field("PAGE", PLAIN),
                    Text(f" {of_word} ", PLAIN),
                    Field("NUMPAGES", PLAIN),
                ]
            _footer_table(builder, target, footer, page_line)


def _footer_table(builder: Builder, target: Target, footer: str, page_line: list[Item]) -> None:
    """As in the PDF: the running footer on the left, "Side 1 av 2" on the right, both
    under a thin rule, in the widths of the PDF's two margin boxes."""
    widths = FOOTER_WIDTHS_TWIPS
    tbl = etree.SubElement(target.parent, TBL)
    tbl_pr = sub(tbl, "tblPr")
    sub(tbl_pr, "tblStyle", val=builder.base.style_ids["Normal Table"])
    sub(tbl_pr, "tblW", w=str(sum(widths)), type="dxa")
    sub(tbl_pr, "tblLayout", type="fixed")
    margins = sub(tbl_pr, "tblCellMar")
    for edge, value in (("top", twips(FOOTER_PADDING_TOP_PT)), ("left", 0), ("bottom", 0),
                        ("right", 0)):
        sub(margins, edge, w=str(value), type="dxa")
    sub(tbl_pr, "tblLook", val="0000", firstRow="0", lastRow="0", firstColumn="0",
        lastColumn="0", noHBand="1", noVBand="1")
    grid = sub(tbl, "tblGrid")
    for width in widths:
        sub(grid, "gridCol", w=str(width))
    tr = etree.SubElement(tbl, TR)
    footer_line: list[Item] = [Text(footer, PLAIN)] if footer else []
    for width, items, align in ((widths[0], footer_line, None), (widths[1], page_line, "right")):
        tc = etree.SubElement(tr, TC)
        tc_pr = etree.SubElement(tc, TCPR)
        sub(tc_pr, "tcW", w=str(width), type="dxa")
        if FOOTER_RULE is not None:
            borders = sub(tc_pr, "tcBorders")
            sub(borders, "top", val="single", sz=border_size(FOOTER_RULE[0]), space="0",
                color=FOOTER_RULE[1])
        cell = Target(tc, width)
        builder.flush(items, cell, Context(style="Footer", align=align))
        cell.end_with_paragraph()
    # Word wants a paragraph after a table: a hairline one, so it adds no height
    p = etree.SubElement(target.parent, P)
    p_pr = sub(p, "pPr")
    sub(p_pr, "pStyle", val=builder.base.style_ids["Footer"])
    sub(p_pr, "spacing", before="0", after="0", line="20", lineRule="exact")
    r_pr = etree.SubElement(p_pr, RPR)
    sub(r_pr, "sz", val="2")
    sub(r_pr, "szCs", val="2")


def _header_footer_target(header_footer: Any) -> tuple[Target, Any]:
    """A scratch target for a header or footer, and the w:hdr / w:ftr to move it into."""
    header_footer.is_linked_to_previous = False
    element = header_footer.part.element
    for child in list(element):  # the template's empty paragraph
        element.remove(child)
    return Target(etree.Element(element.tag), TEXT_WIDTH_TWIPS), element
