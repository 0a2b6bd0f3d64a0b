"""Tables: ``<table>`` as a full-width w:tbl, laid out as the PDF lays it out.

``thead`` rows (or a first row of ``th`` only) repeat on every page and are bold; rows
do not split across pages; ``colspan`` spans grid columns; ``.plain`` tables have no
borders and ``.form`` tables are lines to write on.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from lxml import etree  # type: ignore[import-untyped]

from grantdocs.writers.docx.context import Context, Target, cell_context
from grantdocs.writers.docx.css import points
from grantdocs.writers.docx.html import SKIP_TAGS, class_set, elements, int_attribute
from grantdocs.writers.docx.inline import Item, Text
from grantdocs.writers.docx.look import (
    BODY_PT,
    FILL_IN_ROW_TWIPS,
    FORM_TABLE_CLASS,
    MAX_COLSPAN,
    PLAIN_TABLE_CLASS,
    RIGHT_ALIGN_CLASSES,
    SMALL_CLASSES,
    SMALL_PT,
    SMALL_TABLE_CLASS,
    TABLE_STYLE,
    table_css,
    twips,
)
from grantdocs.writers.docx.ooxml import PPR, TBL, TC, TCPR, TR, TRPR, ppr_set, sub
from grantdocs.writers.docx.styles import border_size
from grantdocs.writers.font import text_width

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
    look = table_css(classes)
    small_table = ctx.fmt.small or SMALL_TABLE_CLASS in classes
    widths = _column_widths(rows, spans, n_cols, target.width, look.th_width_pt,
                            SMALL_PT if small_table else BODY_PT, look.padding_pt,
                            dict(look.nth_widths), look.border_box)

    in_body = target is builder.body
    if in_body and builder.page_break_pending:
        # A table cannot carry pageBreakBefore: an empty paragraph does.
        p, _ = builder.new_paragraph(target, dataclasses.replace(ctx, list_item=None))
        ppr_set(p, "spacing", after="0")

    plain = PLAIN_TABLE_CLASS in classes
    form = FORM_TABLE_CLASS in classes
    tbl = etree.Element(TBL)
    tbl_pr = sub(tbl, "tblPr")
    sub(tbl_pr, "tblStyle", val=builder.base.style_ids["Normal Table" if plain else TABLE_STYLE])
    sub(tbl_pr, "tblW", w=str(sum(widths)), type="dxa")
    sub(tbl_pr, "tblLayout", type="fixed")
    margins = sub(tbl_pr, "tblCellMar")  # the stylesheet's cell padding; text flush left
    top, right, bottom, left = look.padding_pt
    for edge, value in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        sub(margins, edge, w=str(twips(value)), type="dxa")
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

    for (cells, header), row_spans in zip(rows, spans, strict=True):
        tr = etree.SubElement(tbl, TR)
        tr_pr = etree.SubElement(tr, TRPR)
        sub(tr_pr, "cantSplit")
        blank = not header and not any("".join(c.itertext()).strip() for c in cells)
        if form or blank:  # a line to write on, or an empty row to fill in: room to write
            sub(tr_pr, "trHeight", val=str(FILL_IN_ROW_TWIPS), hRule="atLeast")
        if header:
            sub(tr_pr, "tblHeader")
        column = 0
        for cell_element, span in zip(cells, row_spans, strict=True):
            if column >= n_cols:
                break
            span = min(span, n_cols - column)
            cell_classes = class_set(cell_element)
            is_th = header or cell_element.tag == "th"
            cell_look = look.th if is_th else look.td
            this_ctx = cell_context(
                bold=is_th if cell_look.bold is None else cell_look.bold,
                small=small_table or bool(cell_classes & SMALL_CLASSES),
                right=bool(cell_classes & RIGHT_ALIGN_CLASSES),
                colour=cell_look.colour,
            )
            width = sum(widths[column : column + span])
            rule = look.head_rule if header else (look.form_rule if form and not is_th else None)
            tc = _new_cell(tr, width, span, rule)
            if form:
                sub(tc[0], "vAlign", val="bottom")
            cell_target = Target(tc, max(width - twips(left + right), 567))  # less padding
            builder.container(cell_element, cell_target, this_ctx)
            _end_cell(cell_target)
            column += span
        while column < n_cols:  # a short row: pad with empty cells
            cell_target = Target(_new_cell(tr, widths[column], 1, None), widths[column])
            _end_cell(cell_target)
            column += 1
    target.append(tbl)


def _end_cell(cell: Target) -> None:
    """A cell ends with a paragraph; an empty one adds no space under it (a line to fill)."""
    cell.end_with_paragraph()
    last = cell.parent[-1]
    if last.find(PPR) is None:
        ppr_set(last, "spacing", after="0")


def _cells(tr: Any) -> list[Any]:
    return [cell for cell in tr if cell.tag in ("td", "th")]


def _longest_word_pt(cell: Any, size_pt: float, bold: bool) -> float:
    words = "".join(cell.itertext()).split()
    return max((text_width(word, size_pt, bold) for word in words), default=0.0)


def _column_widths(
    rows: list[tuple[list[Any], bool]],
    spans: list[list[int]],
    n_cols: int,
    total: int,
    th_width_pt: float | None,
    size_pt: float,
    padding_pt: tuple[float, float, float, float],
    nth_widths: dict[int, str] | None = None,
    border_box: bool = False,
) -> list[int]:
    """Full-width column widths (twips), as the PDF lays the table out, and never so narrow
    that a word breaks.

    As with CSS ``table-layout: fixed``: a column of ``th`` cells gets the width the
    stylesheet gives ``th`` (facts 45 mm), a column the stylesheet sizes by position
    (``th:nth-child(3) { width: 44% }``) that width; the others share the rest equally. A
    column narrower than its longest word (measured in the font, bold in headers) is
    widened to it, taking the room from the columns that have room to spare.
    """
    padding = twips(padding_pt[1] + padding_pt[3]) + 20  # and a point for rounding
    floor = [0] * n_cols
    all_th = [True] * n_cols
    for (cells, header), row_spans in zip(rows, spans, strict=True):
        column = 0
        for cell, span in zip(cells, row_spans, strict=True):
            if column >= n_cols:
                break
            bold = header or cell.tag == "th"
            if span == 1:
                floor[column] = max(floor[column], twips(_longest_word_pt(cell, size_pt, bold)))
                all_th[column] = all_th[column] and cell.tag == "th" and not header
            column += span
    floor = [f + padding for f in floor]
    widths: list[int | None] = [None] * n_cols
    if th_width_pt and n_cols > 1:
        for i in range(n_cols):
            if all_th[i]:
                widths[i] = twips(th_width_pt)
    extra = 0 if border_box else padding - 20  # CSS widths are the content's, unless
    for i, value in (nth_widths or {}).items():  # the th is box-sizing: border-box
        if i < n_cols and value.strip().endswith("%"):
            widths[i] = round(total * float(value.strip()[:-1]) / 100) + extra
        elif i < n_cols and points(value) is not None:
            widths[i] = twips(points(value)) + extra
    free = [i for i in range(n_cols) if widths[i] is None]
    fixed_total = sum(w for w in widths if w is not None)
    if not free and fixed_total > total:  # every column sized, more than the width: scale
        widths = [(w or 0) * total // fixed_total for w in widths]
    share = max(total - fixed_total, 0) // len(free) if free else 0
    out = [share if w is None else w for w in widths]
    for i in sorted(range(n_cols), key=lambda k: floor[k] - out[k], reverse=True):
        need = floor[i] - out[i]
        if need <= 0:
            break
        spare = {k: out[k] - floor[k] for k in range(n_cols) if k != i and out[k] > floor[k]}
        room = sum(spare.values())
        take = min(need, room)
        for k, extra in spare.items():
            cut = take * extra // room if room else 0
            out[k] -= cut
            out[i] += cut
    out[-1] += total - sum(out)  # rounding
    return [max(width, 100) for width in out]


def _new_cell(tr: Any, width: int, span: int, rule: tuple[float, str] | None) -> Any:
    tc = etree.SubElement(tr, TC)
    tc_pr = etree.SubElement(tc, TCPR)
    sub(tc_pr, "tcW", w=str(width), type="dxa")
    if span > 1:
        sub(tc_pr, "gridSpan", val=str(span))
    if rule is not None:
        borders = sub(tc_pr, "tcBorders")
        sub(borders, "bottom", val="single", sz=border_size(rule[0]), space="0", color=rule[1])
    return tc
