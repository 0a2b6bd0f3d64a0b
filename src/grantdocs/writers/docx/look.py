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
