"""The look of a DOCX letter: fonts, sizes, the page, and what the template classes do.

The values come from ``templates/letter.css`` (read by :mod:`.css`), the stylesheet the PDF
is set with, and from the font files the PDF embeds (:mod:`grantdocs.writers.font`): change a
size, a colour or a margin there and both formats follow. What CSS has no word for (Word's
style names, list depth, how columns are measured) is set here.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from docx.shared import Emu, Pt, RGBColor

from grantdocs.resources import TEMPLATES_DIR
from grantdocs.writers import font
from grantdocs.writers.docx import css
from grantdocs.writers.pdf import PAGE_FOOTER_CSS

TWIPS_PER_PT = 20
EMU_PER_TWIP = 635


def twips(points: float | None) -> int:
    return round((points or 0.0) * TWIPS_PER_PT)


#: The stylesheet every letter is set with, and the footer every PDF shares.
SHEET = css.load(TEMPLATES_DIR / "letter.css")
SHEET.merge(css.parse(PAGE_FOOTER_CSS))
_HTML = SHEET.get("html")

BODY_FONT = font.family()  # the family of the files "Grantdocs Sans" is made of
BODY_PT = css.points(_HTML.get("font-size")) or 10.5
BODY_SIZE = Pt(BODY_PT)
LINE_HEIGHT = float(_HTML.get("line-height", "1.2"))  # times the font size, as in CSS
TEXT_COLOUR = css.colour(_HTML.get("color")) or "000000"


def line_rule(line_height: float) -> int:
    """w:spacing/@line ("auto": 240ths of the font's own line) for a CSS line-height.

    CSS multiplies the font size, Word and LibreOffice the font's line (ascent plus
    descent), which for Noto Sans is 1.362 times the size; auto spacing (not exact)
    keeps an inline picture, such as a logo, from being clipped.
    """
    return round(240 * line_height / font.metrics().line_height)


BODY_LINE = line_rule(LINE_HEIGHT)
PARAGRAPH_AFTER_PT = css.side(SHEET.get("p"), "margin", "bottom") or 0.0
LIST_AFTER_PT = css.side(SHEET.get("ul"), "margin", "bottom") or PARAGRAPH_AFTER_PT
LIST_ITEM_AFTER_PT = css.side(SHEET.get("li"), "margin", "bottom") or 0.0
LIST_INDENT_PT = css.side(SHEET.get("ul"), "padding", "left") or 18.0
#: Where the marker hangs left of an item's text: where a browser puts an outside "•"
#: and "1." (measured in the PDF; CSS leaves it to the browser).
BULLET_HANG_PT, NUMBER_HANG_PT = 6.8, 11.6


@dataclass(frozen=True)
class BlockLook:
    """What a selector's rule says about a paragraph: size, colour, weight, margins."""

    size_pt: float | None = None
    colour: str | None = None
    bold: bool | None = None
    margin_top_pt: float | None = None
    margin_bottom_pt: float | None = None
    min_height_pt: float | None = None
    line_height: float | None = None
    keep_with_previous: bool = False  # break-before: avoid


def block_look(declarations: dict[str, str]) -> BlockLook:
    weight = declarations.get("font-weight")
    line = declarations.get("line-height")
    return BlockLook(
        size_pt=css.points(declarations.get("font-size")),
        colour=css.colour(declarations.get("color")),
        bold=None if weight is None else weight in ("bold", "bolder", "600", "700", "800", "900"),
        margin_top_pt=css.side(declarations, "margin", "top"),
        margin_bottom_pt=css.side(declarations, "margin", "bottom"),
        min_height_pt=css.points(declarations.get("min-height")),
        line_height=float(line) if line and re.fullmatch(r"\d*\.?\d+", line) else None,
        keep_with_previous=declarations.get("break-before") == "avoid",
    )


def class_look(name: str) -> BlockLook:
    return block_look(SHEET.of_class(name))


@functools.cache
def class_looks(classes: frozenset[str]) -> BlockLook:
    """What the stylesheet's class rules say about an element with these classes."""
    merged: dict[str, str] = {}
    for name in sorted(classes):
        merged.update(SHEET.of_class(name))
    return block_look(merged)


def line_height_pt(size_pt: float | None = None) -> float:
    """One line of text at `size_pt` (the body size by default), as CSS sets it."""
    return (size_pt or BODY_PT) * LINE_HEIGHT


#: h1-h3 from the stylesheet; h4-h6 look like h3.
HEADINGS = {
    level: block_look(SHEET.get(f"h{min(level, 3)}")) for level in range(1, 7)
}
#: The CSS margin-top of the paragraph styles that have one, for collapsing margins.
STYLE_TOP_PT = {
    f"Heading {level}": look.margin_top_pt or 0.0 for level, look in HEADINGS.items()
}

# -- the page ---------------------------------------------------------------------------
_PAGE_SIZES_MM = {"a4": (210.0, 297.0)}
_size = _PAGE_SIZES_MM[SHEET.page.get("size", "A4").split()[0].lower()]
_MM = 72 / 25.4
PAGE_WIDTH, PAGE_HEIGHT = Emu(round(_size[0] * _MM * 12700)), Emu(round(_size[1] * _MM * 12700))
MARGIN_TOP_PT, MARGIN_RIGHT_PT, MARGIN_BOTTOM_PT, MARGIN_LEFT_PT = css.box(SHEET.page.get("margin"))
TEXT_WIDTH_TWIPS = (PAGE_WIDTH // EMU_PER_TWIP) - twips(MARGIN_LEFT_PT) - twips(MARGIN_RIGHT_PT)

_HEADER_BOX = SHEET.boxes.get("top-right", {})
_FOOTER_LEFT = SHEET.boxes.get("bottom-left", {})
_FOOTER_RIGHT = SHEET.boxes.get("bottom-right", {})
HEADER_PT = css.points(_HEADER_BOX.get("font-size")) or 8.0
HEADER_COLOUR = css.colour(_HEADER_BOX.get("color")) or TEXT_COLOUR
FOOTER_PT = css.points(_FOOTER_LEFT.get("font-size")) or 7.5
FOOTER_COLOUR = css.colour(_FOOTER_LEFT.get("color")) or TEXT_COLOUR
#: The footer's two boxes: the running footer and "Side 1 av 2", side by side.
FOOTER_WIDTHS_TWIPS = (
    twips(css.points(_FOOTER_LEFT.get("width"))) or TEXT_WIDTH_TWIPS * 3 // 4,
    twips(css.points(_FOOTER_RIGHT.get("width"))) or TEXT_WIDTH_TWIPS // 4,
)
FOOTER_RULE = css.border(_FOOTER_LEFT.get("border-top"))  # (points, colour) over the footer
FOOTER_PADDING_TOP_PT = css.side(_FOOTER_LEFT, "padding", "top") or 0.0
_FOOTER_GAP_PT = css.side(_FOOTER_LEFT, "margin", "top") or 0.0
_HEADER_GAP_PT = css.side(_HEADER_BOX, "padding", "bottom") or 0.0
#: Word measures the header from the page's top and the footer from its bottom edge; the
#: PDF puts the header's line just above the text and the footer's top just below it.
#: The footer is placed for two lines, which is what the issuers' footers take.
HEADER_DISTANCE = Emu(round((MARGIN_TOP_PT - _HEADER_GAP_PT - HEADER_PT * LINE_HEIGHT) * 12700))
FOOTER_DISTANCE = Emu(
    round(
        (MARGIN_BOTTOM_PT - _FOOTER_GAP_PT - FOOTER_PADDING_TOP_PT - 2 * FOOTER_PT * LINE_HEIGHT)
        * 12700
    )
)

# -- tables -----------------------------------------------------------------------------
_CELL = SHEET.get("table.facts td")
CELL_PADDING_PT = css.box(_CELL.get("padding"))  # top, right, bottom, left
CELL_RULE = css.border(_CELL.get("border-bottom"))  # the rule under every row
TABLE_STYLE = "Grantdocs Table"
#: Rows of a form and empty rows of a table to fill in are at least 1 cm high.
FILL_IN_ROW_TWIPS = 567


GREY = RGBColor.from_string(HEADER_COLOUR)
HEADER_FOOTER_SIZE = Pt(HEADER_PT)
_SMALL = class_look("note")
SMALL_PT = _SMALL.size_pt or 8.5
SMALL_SIZE_HALF_POINTS = round(SMALL_PT * 2)
SMALL_COLOUR = _SMALL.colour or TEXT_COLOUR

# ---------------------------------------------------------------------------------------
# The CSS classes the templates, templates/letter.css and this writer share.
#
# A template marks what a block *is* with a class; letter.css says how the PDF shows it
# and the constants below how the DOCX shows it. CLASSES is the one list of the classes
# the DOCX writer acts on. Every other class a template uses must be styled in a CSS
# file under templates/, and every class here must be used by a template
# (tests/writers/test_docx_classes.py checks both).

#: Text in 8.5 pt: a paragraph gets the style "Small", a cell or inline text the size.
SMALL_CLASSES = frozenset({"note", "e-signed"})
#: Paragraphs of guidance for the grantee to replace: the style "Guidance".
GUIDANCE_CLASS = "guidance"
GUIDANCE_STYLE = "Guidance"
#: Address blocks: their paragraphs get no space after, the last the block's margin-bottom.
TIGHT_CLASSES = frozenset({"letterhead", "recipient", "signers"})
#: Blocks that start on a new page.
PAGE_BREAK_CLASSES = frozenset({"acceptance"})
#: Blocks kept on one page, with the paragraph after them.
KEEP_TOGETHER_CLASS = "signature"
#: The letterhead's name paragraph: as letter.css says (bold, 14 pt, the issuer's blue).
LETTERHEAD_NAME_CLASS = "issuer-name"
#: Table cells that are right-aligned (amounts and counts).
RIGHT_ALIGN_CLASSES = frozenset({"num"})
#: Tables without borders ("Normal Table"), their text flush with the body text.
PLAIN_TABLE_CLASS = "plain"
#: Tables to fill in by hand: rows at least 1 cm high, a line under each ``td``.
FORM_TABLE_CLASS = "form"
#: Tables in small text (the reference line under the address).
SMALL_TABLE_CLASS = "refs"

#: Every class the DOCX writer acts on, and what it does.
CLASSES: dict[str, str] = {
    **dict.fromkeys(sorted(SMALL_CLASSES), "8.5 pt text (paragraph style Small)"),
    GUIDANCE_CLASS: f"paragraph style {GUIDANCE_STYLE!r} (italic, blue)",
    **dict.fromkeys(
        sorted(TIGHT_CLASSES), "no space between its paragraphs; letter.css's margins around"
    ),
    **dict.fromkeys(sorted(PAGE_BREAK_CLASSES), "starts a new page"),
    KEEP_TOGETHER_CLASS: "kept together, with the paragraph after it",
    LETTERHEAD_NAME_CLASS: "as letter.css says: bold, 14 pt, coloured",
    **dict.fromkeys(sorted(RIGHT_ALIGN_CLASSES), "table cell right-aligned"),
    PLAIN_TABLE_CLASS: "table without borders (style Normal Table), flush with the text",
    FORM_TABLE_CLASS: "table to fill in: rows at least 1 cm, a line under each td",
    SMALL_TABLE_CLASS: "table in 8.5 pt text",
}

CORE_PROPERTY_LIMIT = 255  # python-docx refuses longer core-property strings
MAX_LIST_LEVEL = 3
MAX_COLSPAN = 63  # Word's column limit

# Styles kept in the trimmed base package (plus what they are based on / linked to).
KEPT_STYLES = (
    "Normal",
    "Default Paragraph Font",
    "Normal Table",
    "No List",
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


def list_style(ordered: bool, level: int) -> str:
    """The built-in style of a list item at nesting `level` (1-based)."""
    base = "List Number" if ordered else "List Bullet"
    return base if level == 1 else f"{base} {level}"


@dataclass(frozen=True)
class TableLook:
    """What the stylesheet says about a table of some classes (facts, data, refs, form)."""

    th: BlockLook
    td: BlockLook
    th_width_pt: float | None
    padding_pt: tuple[float, float, float, float]
    head_rule: tuple[float, str] | None
    form_rule: tuple[float, str] | None
    #: ``th:nth-child(n)`` widths: column index (0-based) → "21%" or a length.
    nth_widths: tuple[tuple[int, str], ...] = ()
    border_box: bool = False  # th widths include the padding


_NTH = re.compile(r"table\.([\w-]+) th:nth-child\((\d+)\)")


def _column_width(th: dict[str, str]) -> float | None:
    """A th's CSS width plus its side padding: the column's width (CSS widths are the
    content's, Word's grid columns include the cell margins)."""
    width = css.points(th.get("width"))
    if width is None:
        return None
    _, right, _, left = css.box(th.get("padding"))
    return width + left + right


@functools.cache
def table_css(classes: frozenset[str]) -> TableLook:
    th: dict[str, str] = {}
    td: dict[str, str] = {}
    head: dict[str, str] = {}
    nth: dict[int, str] = {}
    for name in sorted(classes):
        th.update(SHEET.get(f"table.{name} th"))
        td.update(SHEET.get(f"table.{name} td"))
        head.update(SHEET.get(f"table.{name} thead th"))
        for selector, declarations in SHEET.rules.items():
            match = _NTH.fullmatch(selector)
            if match and match.group(1) == name and "width" in declarations:
                nth[int(match.group(2)) - 1] = declarations["width"]
    padding = css.box(td["padding"]) if "padding" in td else CELL_PADDING_PT
    return TableLook(
        th=block_look(th),
        td=block_look(td),
        th_width_pt=_column_width(th),
        padding_pt=padding,
        head_rule=css.border(head.get("border-bottom")),
        form_rule=css.border(td.get("border-bottom")) if FORM_TABLE_CLASS in classes else None,
        nth_widths=tuple(sorted(nth.items())),
        border_box=th.get("box-sizing") == "border-box",
    )
