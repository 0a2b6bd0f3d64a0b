"""The walker: the HTML body as WordprocessingML paragraphs, lists and containers.

Tables are written by :mod:`.tables`, the running header and footer by :mod:`.page`;
both get the :class:`Builder` to write the content of cells and margins.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from lxml import etree  # type: ignore[import-untyped]

from grantdocs.writers.docx.context import Context, ListItem, Target, with_fmt
from grantdocs.writers.docx.html import (
    BLOCK_TAGS,
    HEADING_TAGS,
    INLINE_TAGS,
    LIST_TAGS,
    PARAGRAPH_TAGS,
    SKIP_TAGS,
    class_set,
    has_block_descendant,
    int_attribute,
)
from grantdocs.writers.docx.inline import (
    HARD_BREAK,
    PLAIN,
    SOFT_BREAK,
    Break,
    Format,
    Item,
    Text,
    add_field,
    add_run,
    add_text,
    inline_format,
    normalise,
)
from grantdocs.writers.docx.look import (
    GUIDANCE_CLASS,
    GUIDANCE_STYLE,
    KEEP_TOGETHER_CLASS,
    LIST_AFTER_PT,
    MAX_LIST_LEVEL,
    PAGE_BREAK_CLASSES,
    PARAGRAPH_AFTER_PT,
    SMALL_CLASSES,
    STYLE_TOP_PT,
    TEXT_WIDTH_TWIPS,
    TIGHT_CLASSES,
    BlockLook,
    class_looks,
    line_height_pt,
    list_style,
    twips,
)
from grantdocs.writers.docx.ooxml import BR, PPR, P, ppr_remove, ppr_set, sub, w
from grantdocs.writers.docx.page import running
from grantdocs.writers.docx.tables import table

if TYPE_CHECKING:
    from grantdocs.writers.docx.package import Base


class Builder:
    """Walks the HTML body and writes WordprocessingML into one python-docx Document."""

    def __init__(self, document: Any, base: Base) -> None:
        self.document = document
        self.base = base
        self.section = document.sections[0]
        self.body = Target(etree.Element(w("body")), TEXT_WIDTH_TWIPS)
        self.body_paragraphs: list[Any] = []
        self.page_break_pending = False
        self.gap_pending_pt = 0.0  # a table's margin-bottom, for the next body paragraph
        self.header_targets: list[tuple[Target, Any]] | None = None
        self.footer_targets: list[tuple[Target, Any]] | None = None

    # -- entry -----------------------------------------------------------------------

    def build(self, root: Any) -> None:
        if root is not None:
            running(self, root)
            self.container(root, self.body, Context())
        self.body.end_with_paragraph()  # Word wants a paragraph before w:sectPr
        body = self.document.element.body
        self.body.move_into(body, before=body.find(w("sectPr")))
        for targets in (self.header_targets, self.footer_targets):
            for target, element in targets or ():
                target.end_with_paragraph()
                target.move_into(element)

    # -- blocks ----------------------------------------------------------------------

    def container(self, element: Any, target: Target, ctx: Context) -> None:
        """Children of `element` as block content; loose inline runs become paragraphs."""
        pending: list[Item] = []
        if element.text:
            pending.append(Text(element.text, ctx.fmt))
        for child in element:
            tag = child.tag
            if isinstance(tag, str) and tag not in SKIP_TAGS:
                if self.is_block(child, ctx):
                    self.flush(pending, target, ctx)
                    pending = []
                    self.block(child, target, ctx)
                else:
                    self.inline(child, ctx.fmt, pending)
            if child.tail:
                pending.append(Text(child.tail, ctx.fmt))
        self.flush(pending, target, ctx)

    def is_block(self, element: Any, ctx: Context) -> bool:
        tag = element.tag
        if tag in BLOCK_TAGS:
            return True
        if tag in INLINE_TAGS:
            return False
        return has_block_descendant(element)  # unknown element: by its content

    def block(self, element: Any, target: Target, ctx: Context) -> None:
        tag = element.tag
        classes = class_set(element)
        in_body = target is self.body

        if classes & PAGE_BREAK_CLASSES and in_body and self.body_paragraphs:
            self.page_break_pending = True
        if classes & SMALL_CLASSES:
            ctx = with_fmt(ctx, small=True)
        look = class_looks(classes)  # what letter.css says about these classes
        if look.size_pt is not None and not classes & SMALL_CLASSES:
            ctx = with_fmt(ctx, size=round(look.size_pt * 2))
        if look.colour is not None:
            ctx = with_fmt(ctx, colour=look.colour)
        if look.bold is not None:
            ctx = with_fmt(ctx, bold=look.bold)
        tight = bool(classes & TIGHT_CLASSES) and not ctx.tight
        if tight:
            ctx = dataclasses.replace(ctx, tight=True)
        keep = KEEP_TOGETHER_CLASS in classes and in_body and not ctx.keep
        if keep:
            ctx = dataclasses.replace(ctx, keep=True)
        start = len(self.body_paragraphs)
        if look.keep_with_previous and in_body and start:
            ppr_set(self.body_paragraphs[-1], "keepNext")

        if GUIDANCE_CLASS in classes and ctx.style == "Normal":
            ctx = dataclasses.replace(ctx, style=GUIDANCE_STYLE)
        if tag in HEADING_TAGS:
            ctx = dataclasses.replace(ctx, style=HEADING_TAGS[tag], list_item=None)
            self.container(element, target, ctx)
        elif tag in PARAGRAPH_TAGS:
            self.container(element, target, ctx)
        elif tag in LIST_TAGS:
            self._list(element, target, ctx)
        elif tag == "li":
            self._list_item(element, target, ctx)
        elif tag == "table":
            if in_body and start and look.margin_top_pt:  # the gap above the table
                previous = self.body_paragraphs[-1]
                after = max(look.margin_top_pt, _after_pt(previous))
                ppr_set(previous, "spacing", after=str(twips(after)))
            table(self, element, target, ctx)
            if in_body and look.margin_bottom_pt:
                self.gap_pending_pt = look.margin_bottom_pt
        else:
            self.container(element, target, ctx)

        created = self.body_paragraphs[start:] if in_body else []
        if created and keep:
            ppr_remove(created[-1], "keepNext")  # the block ends: it need not stay with more
        if created and tag != "table":
            self._margins(created, start, look, ctx)

    def _margins(self, created: list[Any], start: int, look: BlockLook, ctx: Context) -> None:
        """The block's CSS margins on its first and last paragraph (Word and LibreOffice
        keep the larger of two paragraphs' space after and before, as CSS collapses
        margins)."""
        if look.margin_top_pt:
            ppr_set(created[0], "spacing", before=str(twips(look.margin_top_pt)))
        after = look.margin_bottom_pt
        if look.min_height_pt:  # the address block keeps its height, as in the window envelope
            lines = line_height_pt(ctx.fmt.size / 2 if ctx.fmt.size else None)
            after = (after or 0.0) + max(0.0, look.min_height_pt - len(created) * lines)
        if after is not None:
            ppr_set(created[-1], "spacing", after=str(twips(after)))

    def _list(self, element: Any, target: Target, ctx: Context) -> None:
        level = min(ctx.list_level + 1, MAX_LIST_LEVEL)
        ordered = element.tag == "ol"
        num_id = None
        if ordered:
            start = int_attribute(element, "start", 1, lower=0)
            num_id = self._restarted_num(list_style(True, level), start)
        inner = dataclasses.replace(
            ctx, list_level=level, list_ordered=ordered, list_num_id=num_id, list_item=None
        )
        start = len(self.body_paragraphs)
        previous = element.getprevious()
        if target is self.body and start and previous is not None and previous.tag == "p":
            # the paragraph that introduces a list stays with its first item, as in the PDF
            ppr_set(self.body_paragraphs[-1], "keepNext")
        self.container(element, target, inner)
        if target is self.body and ctx.list_level == 0 and len(self.body_paragraphs) > start:
            # the list's margin-bottom collapses with its last item's
            ppr_set(self.body_paragraphs[-1], "spacing", after=str(twips(LIST_AFTER_PT)))

    def _restarted_num(self, style_name: str, start: int) -> int:
        """A new w:num for the list style's abstract numbering, restarting at `start`."""
        numbering = self.document.part.numbering_part.element
        num = numbering.add_num(self.base.abstract_num_ids[style_name])
        num.add_lvlOverride(ilvl=0).add_startOverride(start)
        return int(num.numId)

    def _list_item(self, element: Any, target: Target, ctx: Context) -> None:
        level = max(ctx.list_level, 1)
        item = ListItem(
            style=list_style(ctx.list_ordered, level),
            continue_style="List Continue" if level == 1 else f"List Continue {level}",
            num_id=ctx.list_num_id if ctx.list_ordered else None,
        )
        self.container(element, target, dataclasses.replace(ctx, list_level=level, list_item=item))

    def flush(self, items: list[Item], target: Target, ctx: Context) -> None:
        normalised = normalise(items)
        if not any(not isinstance(item, Break) for item in normalised):
            return
        p, style = self.new_paragraph(target, ctx)
        paragraph_small = style == "Small"
        r: Any = None
        for item in normalised:
            if isinstance(item, Text):
                r = add_run(p, item.fmt, paragraph_small)
                add_text(r, item.text)
            elif isinstance(item, Break):
                if r is None:
                    r = add_run(p, PLAIN, paragraph_small)
                etree.SubElement(r, BR)
            else:
                add_field(p, item, paragraph_small)
                r = None

    def new_paragraph(self, target: Target, ctx: Context) -> tuple[Any, str]:
        p = etree.SubElement(target.parent, P)
        item = ctx.list_item
        num_id: int | None = None
        if item is None:
            style = "Small" if ctx.style == "Normal" and ctx.fmt.small else ctx.style
        elif not item.started:
            style, num_id = item.style, item.num_id
            item.started = True
        else:
            style = item.continue_style
        page_break = False
        if target is self.body:
            page_break, self.page_break_pending = self.page_break_pending, False
            self.body_paragraphs.append(p)
        gap = 0.0
        if target is self.body and self.gap_pending_pt:
            gap, self.gap_pending_pt = self.gap_pending_pt, 0.0
            gap = max(gap, STYLE_TOP_PT.get(style, 0.0))
        if (
            style == "Normal"
            and num_id is None
            and not (ctx.keep or ctx.tight or page_break or gap)
            and ctx.align is None
        ):
            return p, style
        # pPr children in schema order
        p_pr = etree.SubElement(p, PPR)
        if style != "Normal":
            sub(p_pr, "pStyle", val=self.base.style_ids[style])
        if ctx.keep:
            sub(p_pr, "keepNext")
            sub(p_pr, "keepLines")
        if page_break:
            sub(p_pr, "pageBreakBefore")
        if num_id is not None:
            num_pr = sub(p_pr, "numPr")
            sub(num_pr, "ilvl", val="0")
            sub(num_pr, "numId", val=str(num_id))
        if ctx.tight or gap:
            spacing = sub(p_pr, "spacing")
            if gap:
                spacing.set(w("before"), str(twips(gap)))
            if ctx.tight:
                spacing.set(w("after"), "0")
        if ctx.align is not None:
            sub(p_pr, "jc", val=ctx.align)
        return p, style

    # -- inline ----------------------------------------------------------------------

    def inline(self, element: Any, fmt: Format, out: list[Item]) -> None:
        """Inline content of `element` (not its tail) appended to `out`."""
        tag = element.tag
        if tag == "br":
            out.append(HARD_BREAK)
            return
        classes = class_set(element)
        fmt = inline_format(tag, classes, fmt)
        is_block = tag in BLOCK_TAGS
        if is_block:
            out.append(SOFT_BREAK)
        if element.text:
            out.append(Text(element.text, fmt))
        for child in element:
            if isinstance(child.tag, str) and child.tag not in SKIP_TAGS:
                self.inline(child, fmt, out)
            if child.tail:
                out.append(Text(child.tail, fmt))
        if is_block:
            out.append(SOFT_BREAK)



def _after_pt(p: Any) -> float:
    """The space after body paragraph `p` in points: its own, else the body text's."""
    p_pr = p.find(PPR)
    spacing = p_pr.find(w("spacing")) if p_pr is not None else None
    after = spacing.get(w("after")) if spacing is not None else None
    return int(after) / 20 if after is not None else PARAGRAPH_AFTER_PT
