"""The issuer's logo in a DOCX letter: an inline picture above the letterhead's name.

The HTML says whether a document has one (``<img class="logo">`` in the
letterhead, as the PDF draws it); its bytes come from the caller
(:class:`grantdocs.logo.LogoImage`, checked when the profile was loaded), never
from the ``src``, which this writer does not fetch. The picture has the PDF's
size and the issuer's name as its description (alternative text).
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING, Any

from docx.shared import Mm, Pt

from grantdocs.writers.docx.ooxml import w

if TYPE_CHECKING:
    from grantdocs.logo import LogoImage

LOGO_CLASS = "logo"
LETTERHEAD_CLASS = "letterhead"
SPACE_AFTER = Pt(8.5)  # 3 mm, as letter.css puts under the logo


def wants_logo(root: Any) -> bool:
    """Whether the HTML draws a logo in its letterhead."""
    if root is None:
        return False
    return bool(root.xpath(f'//*[contains(concat(" ", @class, " "), " {LETTERHEAD_CLASS} ")]'
                           f'//img[contains(concat(" ", @class, " "), " {LOGO_CLASS} ")]'))


def add_logo(document: Any, logo: LogoImage, description: str) -> None:
    """The logo as the first paragraph of the body (the letterhead is always first)."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_after = SPACE_AFTER
    paragraph.paragraph_format.keep_with_next = True
    shape = paragraph.add_run().add_picture(
        BytesIO(logo.data), width=Mm(logo.width_mm), height=Mm(logo.height_mm))
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", description)
    doc_pr.set("name", f"Logo {description}"[:255])
    body = document.element.body
    body.remove(paragraph._p)
    first = next((child for child in body if child.tag in (w("p"), w("tbl"))), None)
    if first is None:
        body.insert(0, paragraph._p)
    else:
        first.addprevious(paragraph._p)
