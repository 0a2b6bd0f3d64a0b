"""DOCX writer: the rendered letter HTML (a fixed subset) as a Word document.

Every document is rendered once as semantic HTML; the PDF and this DOCX are both
derived from that HTML. This module walks the HTML with a small, closed mapping
onto WordprocessingML. It never fetches anything (``img``, ``link``, ``style``,
``script`` and every ``src``/``href`` are ignored) and inserts text literally.

Mapping (the contract the templates keep to):

* ``h1``–``h3`` → the built-in "Heading 1"–"Heading 3" styles (``h4``–``h6`` → 4–6);
  ``p`` → "Normal"; ``.small`` / ``.note`` → "Small" (8.5 pt, added to the base).
* ``ul > li`` → "List Bullet", ``ol > li`` → "List Number"; every ``ol`` gets its
  own ``w:num`` with a start override, so each list restarts at 1 (or ``start``).
  Nested lists use the "… 2" / "… 3" styles; later paragraphs of an item use
  "List Continue".
* ``div``, ``section``, ``article``, ``main``, ``aside``, ``address``,
  ``blockquote`` (and unknown elements holding blocks) are containers; loose text
  in them becomes its own paragraph. ``.page-break-before`` and
  ``section.acceptance`` start a new page; ``div.signature`` is kept together.
* ``table`` → "Table Grid" (``.plain`` → "Normal Table", no borders), full width,
  columns sized from their text; ``thead`` rows, or a first row of ``th`` only,
  repeat on each page (``w:tblHeader``) and are bold; ``colspan`` spans grid
  columns; rows do not split across pages; ``td.num`` is right-aligned.
* the running header and footer come from ``<body>``'s attributes, the same ones the
  PDF's margin boxes read: ``data-running-header`` → the page header (left off the
  first page, as in the PDF); ``data-running-footer`` → the footer, under a
  right-aligned "``data-page-word`` PAGE ``data-of-word`` NUMPAGES" line with Word's
  fields.
* Inline: ``strong``/``b`` bold, ``em``/``i`` italic, ``u`` underline, ``sup``/``sub``,
  ``br`` line break, ``a`` plain text. ASCII whitespace collapses as in HTML;
  U+00A0 is kept.

Output is byte-identical for identical input: the core properties' dates come
from :class:`DocxMeta` and the zip is re-packed with fixed entry timestamps.

Speed: the base package (python-docx's default template trimmed to the styles
used, A4, fonts, the "Small" style) is built once per process and kept as bytes;
each document opens a fresh copy. The body is written as lxml elements directly,
not through python-docx's proxy objects, whose table API is quadratic.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import functools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

import docx
from docx.shared import Cm, Pt, RGBColor
from lxml import etree  # type: ignore[import-untyped]
from lxml import html as lxml_html

__all__ = ["DocxMeta", "html_to_docx"]


# ---------------------------------------------------------------------------------------
# Public API


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


def html_to_docx(html: str, meta: DocxMeta) -> bytes:
    """Convert rendered letter HTML (the subset described above) to DOCX bytes."""
    base = _base_package()
    document = docx.Document(BytesIO(base.data))
    root = _parse_html(html)
    body = root.find("body") if root is not None else None
    _Builder(document, base).build(body if body is not None else root)
    _apply_language(document, meta.language)
    _apply_core_properties(document, meta)
    buffer = BytesIO()
    document.save(buffer)
    return _repack_deterministic(buffer.getvalue())


# ---------------------------------------------------------------------------------------
# Tunables of the look

BODY_FONT = "Calibri"
BODY_SIZE = Pt(10.5)
SMALL_SIZE_HALF_POINTS = 17  # 8.5 pt
HEADER_FOOTER_SIZE = Pt(8)
GREY = RGBColor(0x55, 0x55, 0x55)
PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)
MARGIN_LEFT_RIGHT, MARGIN_TOP_BOTTOM = Cm(2.5), Cm(2.0)
HEADER_FOOTER_DISTANCE = Cm(1.0)
TEXT_WIDTH_TWIPS = (PAGE_WIDTH - 2 * MARGIN_LEFT_RIGHT) // 635  # 635 EMU per twip

#: Classes of a paragraph (or any element) that make its text small.
SMALL_CLASSES = frozenset({"small", "note", "e-signed"})
#: Paragraphs with this class are guidance for the reader to replace: style "Guidance".
GUIDANCE_CLASS = "guidance"
GUIDANCE_STYLE = "Guidance"
#: Classes of a container whose paragraphs get no space after (address blocks); its
#: last paragraph gets `BLOCK_GAP_TWIPS` after instead.
TIGHT_CLASSES = frozenset({"letterhead", "recipient", "signers"})
BLOCK_GAP_TWIPS = 360  # 18 pt
#: Classes of a container that starts on a new page.
PAGE_BREAK_CLASSES = frozenset({"page-break-before"})
#: Classes of a cell that is right-aligned (amounts).
RIGHT_ALIGN_CLASSES = frozenset({"num", "amount", "right"})
#: Class of the letterhead's name paragraph: bold, 14 pt.
LETTERHEAD_NAME_CLASS = "issuer-name"

_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CORE_PROPERTY_LIMIT = 255  # python-docx refuses longer core-property strings
_MAX_LIST_LEVEL = 3
_MAX_COLSPAN = 63  # Word's column limit
# Column widths are estimated from text length: a generous average glyph width at
# 10.5 pt (fonts substituted for Calibri run wider), plus the cell's side margins.
_TWIPS_PER_CHAR = 120
_CELL_PADDING_TWIPS = 230

# Styles kept in the trimmed base package (plus what they are based on / linked to).
_KEPT_STYLES = (
    "Normal",
    "Default Paragraph Font",
    "Normal Table",
    "No List",
    "Table Grid",
    "Header",
    "Footer",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "Heading 4",
    "Heading 5",
    "Heading 6",
    "List Bullet",
    "List Bullet 2",
    "List Bullet 3",
    "List Number",
    "List Number 2",
    "List Number 3",
    "List Continue",
    "List Continue 2",
    "List Continue 3",
    "Caption",
)

# ---------------------------------------------------------------------------------------
# WordprocessingML names

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _w(local: str) -> str:
    return f"{{{_W_NS}}}{local}"


_VAL = _w("val")
_P, _PPR, _R, _RPR, _T, _BR = _w("p"), _w("pPr"), _w("r"), _w("rPr"), _w("t"), _w("br")
_TBL, _TR, _TC, _TCPR, _TRPR = _w("tbl"), _w("tr"), _w("tc"), _w("tcPr"), _w("trPr")

# Schema order of the pPr children this writer sets (CT_PPr is a sequence).
_PPR_ORDER = {
    _w(name): rank
    for rank, name in enumerate(
        (
            "pStyle",
            "keepNext",
            "keepLines",
            "pageBreakBefore",
            "framePr",
            "widowControl",
            "numPr",
            "suppressLineNumbers",
            "pBdr",
            "shd",
            "tabs",
            "suppressAutoHyphens",
            "kinsoku",
            "wordWrap",
            "overflowPunct",
            "topLinePunct",
            "autoSpaceDE",
            "autoSpaceDN",
            "bidi",
            "adjustRightInd",
            "snapToGrid",
            "spacing",
            "ind",
            "contextualSpacing",
            "mirrorIndents",
            "suppressOverlap",
            "jc",
            "textDirection",
            "textAlignment",
            "textboxTightWrap",
            "outlineLvl",
            "divId",
            "cnfStyle",
            "rPr",
        )
    )
}


def _sub(parent: Any, local: str, **attributes: str) -> Any:
    if not attributes:
        return etree.SubElement(parent, _w(local))
    return etree.SubElement(parent, _w(local), {_w(k): v for k, v in attributes.items()})


def _ppr_set(p: Any, local: str, **attributes: str) -> Any:
    """Get or add the pPr child `local` of paragraph `p`, in schema order."""
    p_pr = p.find(_PPR)
    if p_pr is None:
        p_pr = etree.Element(_PPR)
        p.insert(0, p_pr)
    tag = _w(local)
    element = p_pr.find(tag)
    if element is None:
        element = etree.Element(tag)
        rank = _PPR_ORDER[tag]
        for index, child in enumerate(p_pr):
            if _PPR_ORDER.get(child.tag, 99) > rank:
                p_pr.insert(index, element)
                break
        else:
            p_pr.append(element)
    for key, value in attributes.items():
        element.set(_w(key), value)
    return element


def _ppr_remove(p: Any, local: str) -> None:
    p_pr = p.find(_PPR)
    if p_pr is not None:
        element = p_pr.find(_w(local))
        if element is not None:
            p_pr.remove(element)


# ---------------------------------------------------------------------------------------
# HTML classification

_SKIP_TAGS = frozenset(
    {
        "head", "title", "meta", "link", "style", "script", "template", "base",
        "img", "picture", "source", "track", "video", "audio", "iframe", "object",
        "embed", "param", "svg", "canvas", "map", "area", "input", "hr", "wbr",
    }
)  # fmt: skip
_CONTAINER_TAGS = frozenset(
    {
        "html", "body", "div", "section", "article", "main", "aside", "address",
        "blockquote", "header", "footer", "nav", "figure", "form", "fieldset",
        "details", "hgroup", "search", "center", "noscript", "dl", "menu",
        "thead", "tbody", "tfoot", "tr", "td", "th",
    }
)  # fmt: skip
_PARAGRAPH_TAGS = frozenset({"p", "dt", "dd", "figcaption", "summary", "legend", "pre", "caption"})
_HEADING_TAGS = {f"h{level}": f"Heading {level}" for level in range(1, 7)}
_LIST_TAGS = frozenset({"ul", "ol"})
_BLOCK_TAGS = (
    _CONTAINER_TAGS | _PARAGRAPH_TAGS | _LIST_TAGS | frozenset(_HEADING_TAGS) | {"li", "table"}
)
_INLINE_TAGS = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "dfn", "del",
        "em", "i", "ins", "kbd", "label", "mark", "q", "s", "samp", "small", "span",
        "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "font", "big",
        "nobr", "button", "output", "meter", "progress", "select", "option",
        "optgroup", "textarea", "ruby", "rt", "rp", "math",
    }
)  # fmt: skip

_COLLAPSIBLE_WS = re.compile(r"[ \t\n\r\f]+")
# Characters XML 1.0 cannot hold (tab, LF, CR and form feed are whitespace, handled apart).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_XML_INVALID_OR_FF = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _parse_html(html: str) -> Any:
    """Parse with libxml2's HTML parser: no network, no DTD, comments and PIs dropped."""
    cleaned = _XML_INVALID.sub("\ufffd", html)
    if not cleaned.strip():
        return None
    parser = lxml_html.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True
    )
    try:
        return lxml_html.document_fromstring(cleaned.encode("utf-8", "replace"), parser=parser)
    except etree.ParserError:
        return None


def _classes(element: Any) -> frozenset[str]:
    value = element.get("class")
    return frozenset(value.split()) if value else frozenset()


def _has_block_descendant(element: Any) -> bool:
    return any(
        isinstance(child.tag, str) and child.tag in _BLOCK_TAGS
        for child in element.iterdescendants()
    )


def _elements(element: Any) -> Iterator[Any]:
    """Child elements, without comments and processing instructions."""
    return (child for child in element if isinstance(child.tag, str))


# ---------------------------------------------------------------------------------------
# Inline content: a flat list of items, whitespace-normalised per paragraph


@dataclass(frozen=True)
class _Format:
    bold: bool = False
    italic: bool = False
    underline: bool = False
    strike: bool = False
    superscript: bool = False
    subscript: bool = False
    mono: bool = False
    small: bool = False
    size: int | None = None  # half-points


_PLAIN = _Format()


@dataclass(frozen=True)
class _Text:
    text: str
    fmt: _Format


@dataclass(frozen=True)
class _Break:
    soft: bool = False  # from a block inside inline content: dropped at line edges


@dataclass(frozen=True)
class _Field:
    instruction: str  # "PAGE" or "NUMPAGES"
    fmt: _Format


_Item = _Text | _Break | _Field
_HARD_BREAK = _Break()
_SOFT_BREAK = _Break(soft=True)


def _normalise(items: list[_Item], preserve: bool) -> list[_Item]:
    """Collapse whitespace as HTML does; trim line starts and ends; keep U+00A0.

    Adjacent texts in the same format are merged, so each becomes one run.
    """
    out: list[_Item] = []
    at_line_start = True
    pending_space = False  # the last emitted text ends in a collapsible space

    def trim_trailing() -> None:
        if pending_space and out and isinstance(out[-1], _Text):
            last = out[-1]
            text = last.text[:-1]
            if text:
                out[-1] = _Text(text, last.fmt)
            else:
                out.pop()

    def emit(text: str, fmt: _Format) -> None:
        last = out[-1] if out else None
        if isinstance(last, _Text) and last.fmt == fmt:
            out[-1] = _Text(last.text + text, fmt)
        else:
            out.append(_Text(text, fmt))

    for item in items:
        if isinstance(item, _Text):
            if preserve:
                text = _XML_INVALID_OR_FF.sub("\ufffd", item.text.replace("\r\n", "\n"))
                if text:
                    emit(text, item.fmt)
                    at_line_start = False
                continue
            text = _COLLAPSIBLE_WS.sub(" ", item.text)
            if text.startswith(" ") and (at_line_start or pending_space):
                text = text[1:]
            if not text:
                continue
            emit(_XML_INVALID.sub("\ufffd", text), item.fmt)
            pending_space = text.endswith(" ")
            at_line_start = False
        elif isinstance(item, _Break):
            if item.soft and at_line_start:
                continue
            trim_trailing()
            out.append(item)
            at_line_start, pending_space = True, False
        else:
            out.append(item)
            at_line_start, pending_space = False, False
    trim_trailing()
    # Like a browser: a break that ends the block adds no empty line.
    while out and out[-1] is _SOFT_BREAK:
        out.pop()
    if out and isinstance(out[-1], _Break):
        out.pop()
    return out


def _inline_format(tag: str, classes: frozenset[str], fmt: _Format) -> _Format:
    changes: dict[str, Any] = {}
    if tag in ("strong", "b"):
        changes["bold"] = True
    elif tag in ("em", "i", "cite", "dfn", "var"):
        changes["italic"] = True
    elif tag in ("u", "ins"):
        changes["underline"] = True
    elif tag in ("s", "del", "strike"):
        changes["strike"] = True
    elif tag == "sup":
        changes["superscript"] = True
    elif tag == "sub":
        changes["subscript"] = True
    elif tag in ("code", "kbd", "samp", "tt"):
        changes["mono"] = True
    if classes & SMALL_CLASSES:
        changes["small"] = True
    return dataclasses.replace(fmt, **changes) if changes else fmt


@functools.lru_cache(maxsize=256)
def _run_properties(fmt: _Format, paragraph_small: bool) -> Any:
    """A w:rPr template for `fmt` (None when the run needs none); copy before use."""
    r_pr = etree.Element(_RPR)
    if fmt.mono:
        _sub(r_pr, "rFonts", ascii="Courier New", hAnsi="Courier New", cs="Courier New")
    if fmt.bold:
        _sub(r_pr, "b")
    if fmt.italic:
        _sub(r_pr, "i")
    if fmt.strike:
        _sub(r_pr, "strike")
    size = fmt.size
    if size is None and fmt.small and not paragraph_small:
        size = SMALL_SIZE_HALF_POINTS
    if size is not None:
        _sub(r_pr, "sz", val=str(size))
        _sub(r_pr, "szCs", val=str(size))
    if fmt.underline:
        _sub(r_pr, "u", val="single")
    if fmt.superscript or fmt.subscript:
        _sub(r_pr, "vertAlign", val="superscript" if fmt.superscript else "subscript")
    return r_pr if len(r_pr) else None


def _add_run(p: Any, fmt: _Format, paragraph_small: bool) -> Any:
    r = etree.SubElement(p, _R)
    template = _run_properties(fmt, paragraph_small)
    if template is not None:
        r.append(copy.copy(template))
    return r


def _add_text(r: Any, text: str) -> None:
    """Text into run `r`; in <pre> text, tabs and newlines become w:tab / w:br."""
    if "\n" not in text and "\t" not in text:
        t = etree.SubElement(r, _T)
        t.set(_XML_SPACE, "preserve")
        t.text = text
        return
    for index, line in enumerate(text.split("\n")):
        if index:
            etree.SubElement(r, _BR)
        for tab_index, chunk in enumerate(line.split("\t")):
            if tab_index:
                _sub(r, "tab")
            if chunk:
                t = etree.SubElement(r, _T)
                t.set(_XML_SPACE, "preserve")
                t.text = chunk


def _add_field(p: Any, item: _Field, paragraph_small: bool) -> None:
    """PAGE / NUMPAGES as a complex field with the placeholder result "1"."""
    _sub(_add_run(p, item.fmt, paragraph_small), "fldChar", fldCharType="begin")
    instruction = _sub(_add_run(p, item.fmt, paragraph_small), "instrText")
    instruction.set(_XML_SPACE, "preserve")
    instruction.text = f" {item.instruction} "
    _sub(_add_run(p, item.fmt, paragraph_small), "fldChar", fldCharType="separate")
    _add_text(_add_run(p, item.fmt, paragraph_small), "1")
    _sub(_add_run(p, item.fmt, paragraph_small), "fldChar", fldCharType="end")


# ---------------------------------------------------------------------------------------
# Block context


@dataclass
class _ListItem:
    style: str
    continue_style: str
    num_id: int | None
    started: bool = False


@dataclass(frozen=True)
class _Context:
    style: str = "Normal"
    fmt: _Format = _PLAIN
    align: str | None = None  # w:jc value
    list_level: int = 0
    list_ordered: bool = False
    list_num_id: int | None = None
    list_item: _ListItem | None = None
    tight: bool = False
    keep: bool = False  # keep with the next paragraph (signature block)
    indent: int = 0  # blockquote nesting
    preserve: bool = False  # inside <pre>


@functools.cache
def _cell_context(bold: bool, small: bool, right: bool) -> _Context:
    """The context of a table cell's content (shared: it holds no list state)."""
    return _Context(
        tight=True, fmt=_Format(bold=bold, small=small), align="right" if right else None
    )


def _with_fmt(ctx: _Context, **changes: Any) -> _Context:
    return dataclasses.replace(ctx, fmt=dataclasses.replace(ctx.fmt, **changes))


class _Target:
    """Where paragraphs and tables go: the body, a table cell, a header or a footer.

    The body, headers and footers are first built in a scratch element outside the
    python-docx tree (plain lxml elements are much cheaper to make than python-docx's
    custom element classes) and moved into the document by :meth:`move_into`.
    """

    def __init__(self, parent: Any, width: int) -> None:
        self.parent = parent
        self.width = width  # twips available for tables

    def append(self, element: Any) -> None:
        self.parent.append(element)

    def end_with_paragraph(self) -> None:
        """Cells, headers, footers and the body must end with a paragraph, not a table."""
        last = self.parent[-1] if len(self.parent) else None
        if last is None or last.tag != _P:
            etree.SubElement(self.parent, _P)

    def move_into(self, element: Any, before: Any = None) -> None:
        for child in list(self.parent):
            if before is not None:
                before.addprevious(child)
            else:
                element.append(child)


@dataclass(frozen=True)
class _Base:
    """The prepared base package, built once per process."""

    data: bytes
    style_ids: dict[str, str]
    abstract_num_ids: dict[str, int]


class _Builder:
    """Walks the HTML body and writes WordprocessingML into one python-docx Document."""

    def __init__(self, document: Any, base: _Base) -> None:
        self.document = document
        self.base = base
        self.section = document.sections[0]
        self._body = _Target(etree.Element(_w("body")), TEXT_WIDTH_TWIPS)
        self._body_paragraphs: list[Any] = []
        self._page_break_pending = False
        self._header_targets: list[tuple[_Target, Any]] | None = None
        self._footer_targets: list[tuple[_Target, Any]] | None = None

    # -- entry -----------------------------------------------------------------------

    def build(self, root: Any) -> None:
        if root is not None:
            self._running(root)
            self._container(root, self._body, _Context())
        self._body.end_with_paragraph()  # Word wants a paragraph before w:sectPr
        body = self.document.element.body
        self._body.move_into(body, before=body.find(_w("sectPr")))
        for targets in (self._header_targets, self._footer_targets):
            for target, element in targets or ():
                target.end_with_paragraph()
                target.move_into(element)

    # -- blocks ----------------------------------------------------------------------

    def _container(self, element: Any, target: _Target, ctx: _Context) -> None:
        """Children of `element` as block content; loose inline runs become paragraphs."""
        pending: list[_Item] = []
        if element.text:
            pending.append(_Text(element.text, ctx.fmt))
        for child in element:
            tag = child.tag
            if isinstance(tag, str) and tag not in _SKIP_TAGS:
                if self._is_block(child, ctx):
                    self._flush(pending, target, ctx)
                    pending = []
                    self._block(child, target, ctx)
                else:
                    self._inline(child, ctx.fmt, pending)
            if child.tail:
                pending.append(_Text(child.tail, ctx.fmt))
        self._flush(pending, target, ctx)

    def _is_block(self, element: Any, ctx: _Context) -> bool:
        tag = element.tag
        if tag in _BLOCK_TAGS:
            return True
        if tag in _INLINE_TAGS:
            return False
        return _has_block_descendant(element)  # unknown element: by its content

    def _block(self, element: Any, target: _Target, ctx: _Context) -> None:
        tag = element.tag
        classes = _classes(element)
        in_body = target is self._body

        starts_page = classes & PAGE_BREAK_CLASSES or (tag == "section" and "acceptance" in classes)
        if starts_page and in_body and self._body_paragraphs:
            self._page_break_pending = True
        if classes & SMALL_CLASSES:
            ctx = _with_fmt(ctx, small=True)
        if LETTERHEAD_NAME_CLASS in classes:
            ctx = _with_fmt(ctx, bold=True, size=28)
        tight = bool(classes & TIGHT_CLASSES) and not ctx.tight
        if tight:
            ctx = dataclasses.replace(ctx, tight=True)
        keep = tag == "div" and "signature" in classes and in_body and not ctx.keep
        if keep:
            ctx = dataclasses.replace(ctx, keep=True)
        start = len(self._body_paragraphs)

        if GUIDANCE_CLASS in classes and ctx.style == "Normal":
            ctx = dataclasses.replace(ctx, style=GUIDANCE_STYLE)
        if tag in _HEADING_TAGS:
            ctx = dataclasses.replace(ctx, style=_HEADING_TAGS[tag], list_item=None)
            self._container(element, target, ctx)
        elif tag in _PARAGRAPH_TAGS:
            if tag == "pre":
                ctx = dataclasses.replace(_with_fmt(ctx, mono=True), preserve=True)
            self._container(element, target, ctx)
        elif tag in _LIST_TAGS:
            self._list(element, target, ctx)
        elif tag == "li":
            self._list_item(element, target, ctx)
        elif tag == "table":
            self._table(element, target, ctx)
        elif tag == "blockquote":
            self._container(element, target, dataclasses.replace(ctx, indent=ctx.indent + 1))
        else:
            self._container(element, target, ctx)

        created = self._body_paragraphs[start:] if in_body else []
        if created and keep:
            _ppr_remove(created[-1], "keepNext")  # the block ends: it need not stay with more
        if created and tight:
            _ppr_set(created[-1], "spacing", after=str(BLOCK_GAP_TWIPS))

    def _list(self, element: Any, target: _Target, ctx: _Context) -> None:
        level = min(ctx.list_level + 1, _MAX_LIST_LEVEL)
        ordered = element.tag == "ol"
        num_id = None
        if ordered:
            start = _int_attribute(element, "start", 1, lower=0)
            num_id = self._restarted_num(_list_style(True, level), start)
        inner = dataclasses.replace(
            ctx, list_level=level, list_ordered=ordered, list_num_id=num_id, list_item=None
        )
        self._container(element, target, inner)

    def _restarted_num(self, style_name: str, start: int) -> int:
        """A new w:num for the list style's abstract numbering, restarting at `start`."""
        numbering = self.document.part.numbering_part.element
        num = numbering.add_num(self.base.abstract_num_ids[style_name])
        num.add_lvlOverride(ilvl=0).add_startOverride(start)
        return int(num.numId)

    def _list_item(self, element: Any, target: _Target, ctx: _Context) -> None:
        level = max(ctx.list_level, 1)
        item = _ListItem(
            style=_list_style(ctx.list_ordered, level),
            continue_style="List Continue" if level == 1 else f"List Continue {level}",
            num_id=ctx.list_num_id if ctx.list_ordered else None,
        )
        self._container(element, target, dataclasses.replace(ctx, list_level=level, list_item=item))

    def _flush(self, items: list[_Item], target: _Target, ctx: _Context) -> None:
        normalised = _normalise(items, ctx.preserve)
        if not any(not isinstance(item, _Break) for item in normalised):
            return
        p, style = self._new_paragraph(target, ctx)
        paragraph_small = style == "Small"
        r: Any = None
        for item in normalised:
            if isinstance(item, _Text):
                r = _add_run(p, item.fmt, paragraph_small)
                _add_text(r, item.text)
            elif isinstance(item, _Break):
                if r is None:
                    r = _add_run(p, _PLAIN, paragraph_small)
                etree.SubElement(r, _BR)
            else:
                _add_field(p, item, paragraph_small)
                r = None

    def _new_paragraph(self, target: _Target, ctx: _Context) -> tuple[Any, str]:
        p = etree.SubElement(target.parent, _P)
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
        if target is self._body:
            page_break, self._page_break_pending = self._page_break_pending, False
            self._body_paragraphs.append(p)
        if (
            style == "Normal"
            and num_id is None
            and not (ctx.keep or ctx.tight or ctx.indent or page_break)
            and ctx.align is None
        ):
            return p, style
        # pPr children in schema order
        p_pr = etree.SubElement(p, _PPR)
        if style != "Normal":
            _sub(p_pr, "pStyle", val=self.base.style_ids[style])
        if ctx.keep:
            _sub(p_pr, "keepNext")
            _sub(p_pr, "keepLines")
        if page_break:
            _sub(p_pr, "pageBreakBefore")
        if num_id is not None:
            num_pr = _sub(p_pr, "numPr")
            _sub(num_pr, "ilvl", val="0")
            _sub(num_pr, "numId", val=str(num_id))
        if ctx.tight:
            _sub(p_pr, "spacing", after="0")
        if ctx.indent:
            _sub(p_pr, "ind", left=str(567 * ctx.indent))
        if ctx.align is not None:
            _sub(p_pr, "jc", val=ctx.align)
        return p, style

    # -- inline ----------------------------------------------------------------------

    def _inline(self, element: Any, fmt: _Format, out: list[_Item]) -> None:
        """Inline content of `element` (not its tail) appended to `out`."""
        tag = element.tag
        if tag == "br":
            out.append(_HARD_BREAK)
            return
        classes = _classes(element)
        fmt = _inline_format(tag, classes, fmt)
        is_block = tag in _BLOCK_TAGS
        if is_block:
            out.append(_SOFT_BREAK)
        if element.text:
            out.append(_Text(element.text, fmt))
        for child in element:
            if isinstance(child.tag, str) and child.tag not in _SKIP_TAGS:
                self._inline(child, fmt, out)
            if child.tail:
                out.append(_Text(child.tail, fmt))
        if is_block:
            out.append(_SOFT_BREAK)

    # -- tables ----------------------------------------------------------------------

    def _table(self, element: Any, target: _Target, ctx: _Context) -> None:
        classes = _classes(element)
        rows: list[tuple[list[Any], bool]] = []
        loose: list[_Item] = []  # stray content outside the rows: shown before the table
        if element.text:
            loose.append(_Text(element.text, ctx.fmt))
        for child in _elements(element):
            tag = child.tag
            if tag == "caption":
                caption_ctx = dataclasses.replace(ctx, style="Caption", list_item=None)
                self._container(child, target, caption_ctx)
            elif tag == "tr":
                rows.append((_cells(child), False))
            elif tag in ("thead", "tbody", "tfoot"):
                rows.extend((_cells(tr), tag == "thead") for tr in child if tr.tag == "tr")
            elif tag in _SKIP_TAGS or tag in ("colgroup", "col"):
                pass
            elif self._is_block(child, ctx):
                self._flush(loose, target, ctx)
                loose = []
                self._block(child, target, ctx)
            else:
                self._inline(child, ctx.fmt, loose)
            if child.tail:
                loose.append(_Text(child.tail, ctx.fmt))
        self._flush(loose, target, ctx)
        rows = [(cells, header) for cells, header in rows if cells]
        if not rows:
            return
        if not any(header for _, header in rows) and all(c.tag == "th" for c in rows[0][0]):
            rows[0] = (rows[0][0], True)
        spans = [[_int_attribute(c, "colspan", 1, upper=_MAX_COLSPAN) for c in r] for r, _ in rows]
        n_cols = min(max(sum(row) for row in spans), _MAX_COLSPAN)
        widths = _column_widths(rows, spans, n_cols, target.width)

        in_body = target is self._body
        if in_body and self._page_break_pending:
            # A table cannot carry pageBreakBefore: an empty paragraph does.
            p, _ = self._new_paragraph(target, dataclasses.replace(ctx, list_item=None))
            _ppr_set(p, "spacing", after="0")

        plain = "plain" in classes
        form = "form" in classes
        tbl = etree.Element(_TBL)
        tbl_pr = _sub(tbl, "tblPr")
        _sub(tbl_pr, "tblStyle", val=self.base.style_ids["Normal Table" if plain else "Table Grid"])
        _sub(tbl_pr, "tblW", w=str(sum(widths)), type="dxa")
        _sub(tbl_pr, "tblLayout", type="fixed")
        if plain:  # text flush with the body text
            margins = _sub(tbl_pr, "tblCellMar")
            _sub(margins, "left", w="0", type="dxa")
            _sub(margins, "right", w="113", type="dxa")
        _sub(
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
        grid = _sub(tbl, "tblGrid")
        for width in widths:
            _sub(grid, "gridCol", w=str(width))

        small_table = ctx.fmt.small or "refs" in classes
        for (cells, header), row_spans in zip(rows, spans, strict=True):
            tr = etree.SubElement(tbl, _TR)
            tr_pr = etree.SubElement(tr, _TRPR)
            _sub(tr_pr, "cantSplit")
            if form:
                _sub(tr_pr, "trHeight", val="567", hRule="atLeast")
            if header:
                _sub(tr_pr, "tblHeader")
            column = 0
            for cell_element, span in zip(cells, row_spans, strict=True):
                if column >= n_cols:
                    break
                span = min(span, n_cols - column)
                cell_classes = _classes(cell_element)
                this_ctx = _cell_context(
                    bold=header or cell_element.tag == "th",
                    small=small_table or bool(cell_classes & SMALL_CLASSES),
                    right=bool(cell_classes & RIGHT_ALIGN_CLASSES)
                    or cell_element.get("align") == "right",
                )
                width = sum(widths[column : column + span])
                tc = _new_cell(tr, width, span, bottom_border=form and cell_element.tag == "td")
                if form:
                    _sub(tc[0], "vAlign", val="bottom")
                cell_target = _Target(tc, max(width - 2 * 115, 567))  # less cell margins
                self._container(cell_element, cell_target, this_ctx)
                cell_target.end_with_paragraph()
                column += span
            while column < n_cols:  # a short row: pad with empty cells
                cell_target = _Target(_new_cell(tr, widths[column], 1, False), widths[column])
                cell_target.end_with_paragraph()
                column += 1
        target.append(tbl)

    # -- running header and footer ---------------------------------------------------

    def _running(self, body: Any) -> None:
        """The page header and footer, from ``<body>``'s data attributes."""
        header = (body.get("data-running-header") or "").strip()
        footer = (body.get("data-running-footer") or "").strip()
        page_word = body.get("data-page-word")
        of_word = body.get("data-of-word")
        section = self.section
        if header:
            # As in the PDF, the first page (with the letterhead) has no running header.
            section.different_first_page_header_footer = True
            section.first_page_header.is_linked_to_previous = False
            self._header_targets = [_header_footer_target(section.header)]
            for target, _ in self._header_targets:
                self._flush([_Text(header, _PLAIN)], target,
                            _Context(style="Header", align="right"))
        if footer or page_word:
            section.different_first_page_header_footer = True
            self._footer_targets = [_header_footer_target(section.footer),
                                    _header_footer_target(section.first_page_footer)]
            for target, _ in self._footer_targets:
                if page_word and of_word:
                    self._flush([_Text(f"{page_word} ", _PLAIN), _Field("PAGE", _PLAIN),
                                 _Text(f" {of_word} ", _PLAIN), _Field("NUMPAGES", _PLAIN)],
                                target, _Context(style="Footer", align="right"))
                if footer:
                    self._flush([_Text(footer, _PLAIN)], target, _Context(style="Footer"))


# ---------------------------------------------------------------------------------------
# Helpers


def _int_attribute(
    element: Any, name: str, default: int, upper: int = 10_000, lower: int = 1
) -> int:
    value = element.get(name)
    try:
        number = int(value.strip()) if value else default
    except ValueError:
        return default
    return max(lower, min(number, upper))


def _list_style(ordered: bool, level: int) -> str:
    base = "List Number" if ordered else "List Bullet"
    return base if level == 1 else f"{base} {level}"


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
    desired = [min(max(n, 4), 60) * _TWIPS_PER_CHAR + _CELL_PADDING_TWIPS for n in chars]
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
    tc = etree.SubElement(tr, _TC)
    tc_pr = etree.SubElement(tc, _TCPR)
    _sub(tc_pr, "tcW", w=str(width), type="dxa")
    if span > 1:
        _sub(tc_pr, "gridSpan", val=str(span))
    if bottom_border:
        borders = _sub(tc_pr, "tcBorders")
        _sub(borders, "bottom", val="single", sz="4", space="0", color="333333")
    return tc


def _header_footer_target(header_footer: Any) -> tuple[_Target, Any]:
    """A scratch target for a header or footer, and the w:hdr / w:ftr to move it into."""
    header_footer.is_linked_to_previous = False
    element = header_footer.part.element
    for child in list(element):  # the template's empty paragraph
        element.remove(child)
    return _Target(etree.Element(element.tag), TEXT_WIDTH_TWIPS), element


# ---------------------------------------------------------------------------------------
# Document-level settings


def _apply_language(document: Any, language: str) -> None:
    """Proofing language: w:lang in docDefaults (Word ignores dc:language alone)."""
    language = _XML_INVALID_OR_FF.sub("", language)
    r_pr = document.styles.element.find(_w("docDefaults")).find(_w("rPrDefault")).find(_RPR)
    lang = r_pr.find(_w("lang"))
    if lang is None:
        lang = _sub(r_pr, "lang")
    lang.set(_VAL, language)
    theme_lang = document.settings.element.find(_w("themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(_VAL, language)


def _clip(value: str) -> str:
    value = _XML_INVALID_OR_FF.sub("\ufffd", value)
    if len(value) <= _CORE_PROPERTY_LIMIT:
        return value
    return value[: _CORE_PROPERTY_LIMIT - 1] + "…"


def _apply_core_properties(document: Any, meta: DocxMeta) -> None:
    created = meta.created
    if not isinstance(created, datetime.datetime):  # a plain date, despite the type
        created = datetime.datetime.combine(created, datetime.time())
    if created.tzinfo is not None:
        created = created.astimezone(datetime.UTC).replace(tzinfo=None)
    props = document.core_properties
    props.title = _clip(meta.title)
    props.author = _clip(meta.author)
    props.last_modified_by = _clip(meta.author)
    props.subject = _clip(meta.subject or "")
    props.keywords = _clip(meta.keywords or "")
    props.comments = ""  # python-docx's template says "generated by python-docx"
    props.language = _clip(meta.language)
    props.revision = 1
    props.created = created
    props.modified = created
    props.last_printed = created


def _repack_deterministic(data: bytes) -> bytes:
    """Re-write the zip with fixed timestamps and attributes, in python-docx's order."""
    out = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


# ---------------------------------------------------------------------------------------
# The base package, built once per process


@functools.cache
def _base_package() -> _Base:
    """python-docx's default template, trimmed and set up for letters, as bytes."""
    document = docx.Document()
    _drop_unused_parts(document)
    _trim_styles(document.styles.element)
    _set_defaults(document)
    style_ids = {style.name: style.style_id for style in document.styles}
    numbering = document.part.numbering_part.element
    abstract_num_ids = {}
    for ordered in (False, True):
        for level in range(1, _MAX_LIST_LEVEL + 1):
            name = _list_style(ordered, level)
            num_id = document.styles[name].element.pPr.numPr.numId.val
            abstract_num_ids[name] = int(numbering.num_having_numId(num_id).abstractNumId.val)
    buffer = BytesIO()
    document.save(buffer)
    return _Base(buffer.getvalue(), style_ids, abstract_num_ids)


def _drop_unused_parts(document: Any) -> None:
    """Drop the thumbnail (python-docx's logo), stylesWithEffects and customXml."""
    package = document.part.package
    unwanted = ("/thumbnail", "/stylesWithEffects", "/customXml")
    for rels in (package.rels, document.part.rels):
        for r_id in [r for r, rel in rels.items() if rel.reltype.endswith(unwanted)]:
            del rels[r_id]


def _trim_styles(styles: Any) -> None:
    """Keep only the styles the writer uses (and what they depend on)."""
    by_name: dict[str, Any] = {}
    by_id: dict[str, Any] = {}
    for style in styles.findall(_w("style")):
        name = style.find(_w("name"))
        if name is not None:
            by_name[name.get(_VAL).lower()] = style
        by_id[style.get(_w("styleId"))] = style
    wanted: set[str] = set()
    queue = [by_name[name.lower()].get(_w("styleId")) for name in _KEPT_STYLES]
    while queue:
        style_id = queue.pop()
        if style_id in wanted or style_id not in by_id:
            continue
        wanted.add(style_id)
        for ref in ("basedOn", "link", "next"):
            child = by_id[style_id].find(_w(ref))
            if child is not None:
                queue.append(child.get(_VAL))
    for style_id, style in by_id.items():
        if style_id not in wanted:
            styles.remove(style)


def _set_defaults(document: Any) -> None:
    styles = document.styles
    defaults = styles.element.find(_w("docDefaults"))
    r_pr = defaults.find(_w("rPrDefault")).find(_RPR)
    fonts = r_pr.find(_w("rFonts"))
    for attribute in ("asciiTheme", "hAnsiTheme", "cstheme"):
        fonts.attrib.pop(_w(attribute), None)
    for attribute in ("ascii", "hAnsi", "cs"):
        fonts.set(_w(attribute), BODY_FONT)
    half_points = str(int(BODY_SIZE.pt * 2))
    for tag in ("sz", "szCs"):
        r_pr.find(_w(tag)).set(_VAL, half_points)
    spacing = defaults.find(_w("pPrDefault")).find(_PPR).find(_w("spacing"))
    spacing.set(_w("after"), "140")  # 7 pt
    spacing.set(_w("line"), "264")  # 1.1 lines

    # Headings in the body font, not the theme's serif.
    for style in styles:
        style_r_pr = style.element.find(_RPR)
        if style_r_pr is not None:
            style_fonts = style_r_pr.find(_w("rFonts"))
            if style_fonts is not None:
                style_r_pr.remove(style_fonts)
    for name, before, after in (("Heading 1", 12, 6), ("Heading 2", 12, 4), ("Heading 3", 8, 3)):
        styles[name].paragraph_format.space_before = Pt(before)
        styles[name].paragraph_format.space_after = Pt(after)

    for name in ("Header", "Footer"):
        style = styles[name]
        style.font.size = HEADER_FOOTER_SIZE
        style.font.color.rgb = GREY
        tabs = style.element.find(_PPR).find(_w("tabs"))
        if tabs is not None:
            stops = tabs.findall(_w("tab"))
            stops[0].set(_w("pos"), str(TEXT_WIDTH_TWIPS // 2))
            stops[-1].set(_w("pos"), str(TEXT_WIDTH_TWIPS))

    guidance = styles.add_style(GUIDANCE_STYLE, 1)  # text a grantee replaces
    guidance.base_style = styles["Normal"]
    guidance.quick_style = True
    guidance.font.italic = True
    guidance.font.color.rgb = RGBColor(0x1F, 0x5F, 0x9F)

    small = styles.add_style("Small", 1)  # WD_STYLE_TYPE.PARAGRAPH
    small.base_style = styles["Normal"]
    small.quick_style = True
    small.font.size = Pt(SMALL_SIZE_HALF_POINTS / 2)
    small.font.color.rgb = RGBColor(0x44, 0x44, 0x44)

    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN_LEFT_RIGHT
    section.top_margin = section.bottom_margin = MARGIN_TOP_BOTTOM
    section.header_distance = section.footer_distance = HEADER_FOOTER_DISTANCE

    # Norwegian conventions for fields and formulas typed in Word.
    settings = document.settings.element
    for tag, value in (("decimalSymbol", ","), ("listSeparator", ";")):
        element = settings.find(_w(tag))
        if element is not None:
            element.set(_VAL, value)
