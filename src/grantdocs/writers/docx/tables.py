"""Tables: ``<table>`` as a full-width w:tbl, columns sized from their text.

``thead`` rows (or a first row of ``th`` only) repeat on every page and are bold; rows
do not split across pages; ``colspan`` spans grid columns; ``.plain`` tables have no
borders and ``.form`` tables are lines to write on.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from lxml import etree  # type: ignore[import-untyped]

from grantdocs.writers.docx.context import Context, Target, cell_context
from grantdocs.writers.docx.html import SKIP_TAGS, class_set, elements, int_attribute
from grantdocs.writers.docx.inline import Item, Text
from grantdocs.writers.docx.look import (
    CELL_PADDING_TWIPS,
    FORM_TABLE_CLASS,
    MAX_COLSPAN,
    PLAIN_TABLE_CLASS,
    RIGHT_ALIGN_CLASSES,
    SMALL_CLASSES,
    SMALL_TABLE_CLASS,
    TWIPS_PER_CHAR,
)
from grantdocs.writers.docx.ooxml import TBL, TC, TCPR, TR, TRPR, ppr_set, sub

if TYPE_CHECKING:
    from grantdocs.writers.docx.blocks import Builder


def table(builder: Builder, element: Any, target: Target, ctx: Context) -> None:
    """The HTML table `element` as a w:tbl in `target`, full width, columns sized by text."""
    classes = class_set(element)
    rows: list[tuple[list[Any], bool]] = []
    loose: list[Item] = []  # stray content outside the rows: shown before the table
    if element.text:
        loose.append(Text(element.text, ctx.fmt))
    for child in elements(element):
        tag = child.tag
        if tag == "caption":
            caption_ctx = dataclasses.replace(ctx, style="Caption", list_item=None)
            builder.container(child, target, caption_ctx)
        elif tag == "tr":
            rows.append((_cells(child), False))
        elif tag in ("thead", "tbody"):
            rows.extend((_cells(tr), tag == "thead") for tr in child if tr.tag == "tr")
        elif tag in SKIP_TAGS:
            pass
        elif builder.is_block(child, ctx):
            builder.flush(loose, target, ctx)
            loose = []
            builder.block(child, target, ctx)
        else:
            builder.inline(child, ctx.fmt, loose)
        if child.tail:
            loose.append(Text(child.tail, ctx.fmt))
    builder.flush(loose, target, ctx)
    rows = [(cells, header) for cells, header in rows if cells]
    if not rows:
        return
    if not any(header for _, header in rows) and all(c.tag == "th" for c in rows[0][0]):
        rows[0] = (rows[0][0], True)
    spans = [[int_attribute(c, "colspan", 1, upper=MAX_COLSPAN) for c in r] for r, _ in rows]
    n_cols = min(max(sum(row) for row in spans), MAX_COLSPAN)
    widths = _column_widths(rows, spans, n_cols, target.width)

    in_body = target is builder.body
    if in_body and builder.page_break_pending:
        # A table cannot carry pageBreakBefore: an empty paragraph does.
        p, _ = builder.new_paragraph(target, dataclasses.replace(ctx, list_item=None))
        ppr_set(p, "spacing", after="0")

    plain = PLAIN_TABLE_CLASS in classes
    form = FORM_TABLE_CLASS in classes
    tbl = etree.Element(TBL)
    tbl_pr = sub(tbl, "tblPr")
    sub(tbl_pr, "tblStyle", val=builder.base.style_ids["Normal Table" if plain else "Table Grid"])
    sub(tbl_pr, "tblW", w=str(sum(widths)), type="dxa")
    sub(tbl_pr, "tblLayout", type="fixed")
    if plain:  # text flush with the body text
        margins = sub(tbl_pr, "tblCellMar")
        sub(margins, "left", w="0", type="dxa")
        sub(margins, "right", w="113", type="dxa")
    sub(
        tbl_pr,
        "tblLook",
        val="04A0",
        firstRow="1",
        lastRow="0",
        firstColumn="0",
        lastColumn="0",
        noHBand="0",
        noVBand="1",
    )
    grid = sub(tbl, "tblGrid")
    for width in widths:
        sub(grid, "gridCol", w=str(width))

    small_table = ctx.fmt.small or SMALL_TABLE_CLASS in classes
    for (cells, header), row_spans in zip(rows, spans, strict=True):
        tr = etree.SubElement(tbl, TR)
        tr_pr = etree.SubElement(tr, TRPR)
        sub(tr_pr, "cantSplit")
        if form:
            sub(tr_pr, "trHeight", val="567", hRule="atLeast")
        if header:
            sub(tr_pr, "tblHeader")
        column = 0
        for cell_element, span in zip(cells, row_spans, strict=True):
            if column >= n_cols:
                break
            span = min(span, n_cols - column)
            cell_classes = class_set(cell_element)
            this_ctx = cell_context(
                bold=header or cell_element.tag == "th",
                small=small_table or bool(cell_classes & SMALL_CLASSES),
                right=bool(cell_classes & RIGHT_ALIGN_CLASSES),
            )
            width = sum(widths[column : column + span])
            tc = _new_cell(tr, width, span, bottom_border=form and cell_element.tag == "td")
            if form:
                sub(tc[0], "vAlign", val="bottom")
            cell_target = Target(tc, max(width - 2 * 115, 567))  # less cell margins
            builder.container(cell_element, cell_target, this_ctx)
            cell_target.end_with_paragraph()
            column += span
        while column < n_cols:  # a short row: pad with empty cells
            cell_target = Target(_new_cell(tr, widths[column], 1, False), widths[column])
            cell_target.end_with_paragraph()
            column += 1
    target.append(tbl)


def _cells(tr: Any) -> list[Any]:
    return [cell for cell in tr if cell.tag in ("td", "th")]


def _cell_text_length(cell: Any) -> int:
    return len(" ".join("".join(cell.itertext()).split()))


def _column_widths(
    rows: list[tuple[list[Any], bool]], spans: list[list[int]], n_cols: int, total: int
) -> list[int]:
    """Full-width column widths (twips), each column as wide as its longest text needs.

    Columns whose text fits keep their natural width; the widest share what is left.
    Extra room goes to columns without any text (form fields), else to all in proportion.
    """
    chars = [0] * n_cols
    for (cells, _), row_spans in zip(rows, spans, strict=True):
        column = 0
        for cell, span in zip(cells, row_spans, strict=True):
            if span == 1 and column < n_cols:
                chars[column] = max(chars[column], _cell_text_length(cell))
            column += span
    desired = [min(max(n, 4), 60) * TWIPS_PER_CHAR + CELL_PADDING_TWIPS for n in chars]
    widths = [0] * n_cols
    remaining = total
    order = sorted(range(n_cols), key=lambda i: desired[i])
    for position, index in enumerate(order):
        share = remaining // (n_cols - position)
        widths[index] = min(desired[index], share)
        remaining -= widths[index]
    if remaining > 0:
        empty = [i for i in range(n_cols) if chars[i] == 0]
        receivers = empty or list(range(n_cols))
        weight = sum(desired[i] for i in receivers)
        for i in receivers:
            widths[i] += remaining * desired[i] // weight
    widths[-1] += total - sum(widths)  # rounding
    return [max(width, 100) for width in widths]


def _new_cell(tr: Any, width: int, span: int, bottom_border: bool) -> Any:
    tc = etree.SubElement(tr, TC)
    tc_pr = etree.SubElement(tc, TCPR)
    sub(tc_pr, "tcW", w=str(width), type="dxa")
    if span > 1:
        sub(tc_pr, "gridSpan", val=str(span))
    if bottom_border:
        borders = sub(tc_pr, "tcBorders")
        sub(borders, "bottom", val="single", sz="4", space="0", color="333333")
    return tc
