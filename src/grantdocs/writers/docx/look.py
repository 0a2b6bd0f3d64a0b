"""The look of a DOCX letter: fonts, sizes, the page, and what the template classes do.

Change the Word font, a size or a margin here. The PDF's look is ``templates/letter.css``;
the two are kept alike by hand.
"""

from __future__ import annotations

from docx.shared import Cm, Pt, RGBColor

BODY_FONT = "Calibri"
BODY_SIZE = Pt(10.5)
SMALL_SIZE_HALF_POINTS = 17  # 8.5 pt
HEADER_FOOTER_SIZE = Pt(8)
GREY = RGBColor(0x55, 0x55, 0x55)
PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)
MARGIN_LEFT_RIGHT, MARGIN_TOP_BOTTOM = Cm(2.5), Cm(2.0)
HEADER_FOOTER_DISTANCE = Cm(1.0)
TEXT_WIDTH_TWIPS = (PAGE_WIDTH - 2 * MARGIN_LEFT_RIGHT) // 635  # 635 EMU per twip

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
#: Address blocks: their paragraphs get no space after, the last `BLOCK_GAP_TWIPS`.
TIGHT_CLASSES = frozenset({"letterhead", "recipient", "signers"})
BLOCK_GAP_TWIPS = 360  # 18 pt
#: Blocks that start on a new page.
PAGE_BREAK_CLASSES = frozenset({"acceptance"})
#: Blocks kept on one page, with the paragraph after them.
KEEP_TOGETHER_CLASS = "signature"
#: The letterhead's name paragraph: bold, 14 pt.
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
    **dict.fromkeys(sorted(TIGHT_CLASSES), "no space between its paragraphs, 18 pt after"),
    **dict.fromkeys(sorted(PAGE_BREAK_CLASSES), "starts a new page"),
    KEEP_TOGETHER_CLASS: "kept together, with the paragraph after it",
    LETTERHEAD_NAME_CLASS: "bold, 14 pt",
    **dict.fromkeys(sorted(RIGHT_ALIGN_CLASSES), "table cell right-aligned"),
    PLAIN_TABLE_CLASS: "table without borders (style Normal Table), flush with the text",
    FORM_TABLE_CLASS: "table to fill in: rows at least 1 cm, a line under each td",
    SMALL_TABLE_CLASS: "table in 8.5 pt text",
}

CORE_PROPERTY_LIMIT = 255  # python-docx refuses longer core-property strings
MAX_LIST_LEVEL = 3
MAX_COLSPAN = 63  # Word's column limit
# Column widths are estimated from text length: a generous average glyph width at
# 10.5 pt (fonts substituted for Calibri run wider), plus the cell's side margins.
TWIPS_PER_CHAR = 120
CELL_PADDING_TWIPS = 230

# Styles kept in the trimmed base package (plus what they are based on / linked to).
KEPT_STYLES = (
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


def list_style(ordered: bool, level: int) -> str:
    """The built-in style of a list item at nesting `level` (1-based)."""
    base = "List Number" if ordered else "List Bullet"
    return base if level == 1 else f"{base} {level}"
