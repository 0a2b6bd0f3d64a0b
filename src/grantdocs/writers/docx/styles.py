"""The Word styles and the page of the base package, set from :mod:`.look` (letter.css).

Real Word styles, so the DOCX stays accessible and editable: "Normal", "Heading 1"–"6",
"List Bullet"/"List Number", "Header", "Footer", "Caption", "Small", "Guidance" and the
table style "Grantdocs Table" (the PDF's rules under each row, no grid).
"""

from __future__ import annotations

from typing import Any

from docx.shared import Pt, RGBColor

from grantdocs.writers.docx.look import (
    BODY_FONT,
    BODY_LINE,
    BODY_PT,
    BULLET_HANG_PT,
    CELL_PADDING_PT,
    CELL_RULE,
    FOOTER_COLOUR,
    FOOTER_DISTANCE,
    FOOTER_PT,
    GUIDANCE_STYLE,
    HEADER_COLOUR,
    HEADER_DISTANCE,
    HEADER_PT,
    HEADINGS,
    LIST_INDENT_PT,
    LIST_ITEM_AFTER_PT,
    MARGIN_BOTTOM_PT,
    MARGIN_LEFT_PT,
    MARGIN_RIGHT_PT,
    MARGIN_TOP_PT,
    NUMBER_HANG_PT,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    PARAGRAPH_AFTER_PT,
    SMALL_COLOUR,
    SMALL_SIZE_HALF_POINTS,
    TABLE_STYLE,
    TEXT_COLOUR,
    TEXT_WIDTH_TWIPS,
    line_rule,
    twips,
)
from grantdocs.writers.docx.ooxml import PPR, RPR, VAL, sub, w

GUIDANCE_COLOUR = "1F5F9F"  # the report template's text to replace (no PDF to follow)
_EMU_PER_PT = 12700


def border_size(points: float) -> str:
    """A border width in eighths of a point, as w:sz wants it (2 to 96)."""
    return str(max(2, min(96, round(points * 8))))


def set_styles(document: Any) -> None:
    styles = document.styles
    _defaults(styles.element)
    for style in styles:  # every style in the body font and colour, not the theme's
        r_pr = style.element.find(RPR)
        if r_pr is not None:
            for tag in ("rFonts", "color"):
                for child in r_pr.findall(w(tag)):
                    r_pr.remove(child)
    for level, look in HEADINGS.items():
        _heading(styles[f"Heading {level}"].element, look.size_pt or BODY_PT,
                 look.margin_top_pt or 0.0, look.margin_bottom_pt or 0.0,
                 look.line_height)
    for name in ("List Bullet", "List Bullet 2", "List Bullet 3", "List Number",
                 "List Number 2", "List Number 3"):
        p_pr = styles[name].element.find(PPR)
        for child in p_pr.findall(w("contextualSpacing")):
            p_pr.remove(child)
        _spacing(p_pr, after=twips(LIST_ITEM_AFTER_PT))
    for name, size, colour in (("Header", HEADER_PT, HEADER_COLOUR),
                               ("Footer", FOOTER_PT, FOOTER_COLOUR)):
        style = styles[name]
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor.from_string(colour)
        tabs = style.element.find(PPR).find(w("tabs"))
        if tabs is not None:
            stops = tabs.findall(w("tab"))
            stops[0].set(w("pos"), str(TEXT_WIDTH_TWIPS // 2))
            stops[-1].set(w("pos"), str(TEXT_WIDTH_TWIPS))
        _spacing(style.element.find(PPR), after=0, line=BODY_LINE)

    guidance = styles.add_style(GUIDANCE_STYLE, 1)  # text a grantee replaces
    guidance.base_style = styles["Normal"]
    guidance.quick_style = True
    guidance.font.italic = True
    guidance.font.color.rgb = RGBColor.from_string(GUIDANCE_COLOUR)

    small = styles.add_style("Small", 1)  # WD_STYLE_TYPE.PARAGRAPH
    small.base_style = styles["Normal"]
    small.quick_style = True
    small.font.size = Pt(SMALL_SIZE_HALF_POINTS / 2)
    small.font.color.rgb = RGBColor.from_string(SMALL_COLOUR)

    _table_style(styles)
    _font_table(document)

    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = round(MARGIN_LEFT_PT * _EMU_PER_PT)
    section.right_margin = round(MARGIN_RIGHT_PT * _EMU_PER_PT)
    section.top_margin = round(MARGIN_TOP_PT * _EMU_PER_PT)
    section.bottom_margin = round(MARGIN_BOTTOM_PT * _EMU_PER_PT)
    section.header_distance = HEADER_DISTANCE
    section.footer_distance = FOOTER_DISTANCE


def _defaults(styles: Any) -> None:
    defaults = styles.find(w("docDefaults"))
    r_pr = defaults.find(w("rPrDefault")).find(RPR)
    fonts = r_pr.find(w("rFonts"))
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(w(attribute), None)
    for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(w(attribute), BODY_FONT)
    colour = r_pr.find(w("color"))
    if colour is None:
        colour = sub(r_pr, "color")
        r_pr.insert(list(r_pr).index(r_pr.find(w("sz"))), colour)
    colour.set(VAL, TEXT_COLOUR)
    # Pair kerning, as the PDF's text is set (HarfBuzz kerns); without it Word and
    # LibreOffice set lines a little wider and break some a word earlier.
    if r_pr.find(w("kern")) is None:
        kern = sub(r_pr, "kern", val="2")
        r_pr.find(w("sz")).addprevious(kern)
    half_points = str(round(BODY_PT * 2))
    for tag in ("sz", "szCs"):
        r_pr.find(w(tag)).set(VAL, half_points)
    _spacing(defaults.find(w("pPrDefault")).find(PPR), before=0,
             after=twips(PARAGRAPH_AFTER_PT), line=BODY_LINE)


def _spacing(p_pr: Any, before: int | None = None, after: int | None = None,
             line: int | None = None) -> None:
    spacing = p_pr.find(w("spacing"))
    if spacing is None:
        spacing = sub(p_pr, "spacing")
        anchor = next((p_pr.find(w(t)) for t in ("ind", "jc", "outlineLvl")
                       if p_pr.find(w(t)) is not None), None)
        if anchor is not None:
            anchor.addprevious(spacing)
    for key, value in (("before", before), ("after", after), ("line", line)):
        if value is not None:
            spacing.set(w(key), str(value))
    if line is not None:
        spacing.set(w("lineRule"), "auto")


def _heading(style: Any, size_pt: float, top_pt: float, bottom_pt: float,
             line_height: float | None) -> None:
    """A heading as letter.css sets it: bold, its size, the text colour, its margins.

    Word, like CSS, keeps the larger of a paragraph's space after and the next one's
    space before (LibreOffice does the same with a DOCX), so the margins carry over as
    they are.
    """
    r_pr = style.find(RPR)
    for child in list(r_pr):
        r_pr.remove(child)
    sub(r_pr, "b")
    sub(r_pr, "bCs")
    sub(r_pr, "sz", val=str(round(size_pt * 2)))
    sub(r_pr, "szCs", val=str(round(size_pt * 2)))
    _spacing(style.find(PPR), before=twips(top_pt), after=twips(bottom_pt),
             line=line_rule(line_height) if line_height else BODY_LINE)


def set_list_numbering(document: Any, abstract_num_ids: dict[str, int]) -> None:
    """List markers as the PDF draws them: "•" or "1." hanging left of text indented by
    the list's padding-left (6 mm a level), in the body font rather than Symbol."""
    numbering = document.part.numbering_part.element
    by_id = {int(a.get(w("abstractNumId"))): a for a in numbering.findall(w("abstractNum"))}
    for style_name, abstract_id in abstract_num_ids.items():
        level = int(style_name[-1]) if style_name[-1].isdigit() else 1
        bullet = style_name.startswith("List Bullet")
        lvl = by_id[abstract_id].find(w("lvl"))
        left = twips(LIST_INDENT_PT * level)
        hanging = twips(BULLET_HANG_PT if bullet else NUMBER_HANG_PT)
        if bullet:
            lvl.find(w("lvlText")).set(VAL, "\u2022")
        p_pr = lvl.find(PPR)
        for tab in p_pr.iter(w("tab")):
            tab.set(w("pos"), str(left))
        ind = p_pr.find(w("ind"))
        ind.set(w("left"), str(left))
        ind.set(w("hanging"), str(hanging))
        r_pr = lvl.find(RPR)
        if r_pr is not None:
            lvl.remove(r_pr)
        r_pr = sub(lvl, "rPr")
        sub(r_pr, "rFonts", ascii=BODY_FONT, hAnsi=BODY_FONT, cs=BODY_FONT, hint="default")


def _table_style(styles: Any) -> None:
    """"Grantdocs Table": a rule under every row, no vertical lines, the PDF's padding."""
    style = styles.add_style(TABLE_STYLE, 3)  # WD_STYLE_TYPE.TABLE
    style.base_style = styles["Normal Table"]
    element = style.element
    tbl_pr = element.find(w("tblPr"))
    if tbl_pr is None:
        tbl_pr = sub(element, "tblPr")
    borders = sub(tbl_pr, "tblBorders")
    width, colour = CELL_RULE or (0.4, "BBBBBB")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if edge in ("bottom", "insideH"):
            sub(borders, edge, val="single", sz=border_size(width), space="0", color=colour)
        else:
            sub(borders, edge, val="nil")
    margins = sub(tbl_pr, "tblCellMar")
    top, right, bottom, left = CELL_PADDING_PT
    for edge, value in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        sub(margins, edge, w=str(twips(value)), type="dxa")
    p_pr = element.find(PPR)
    if p_pr is None:
        p_pr = sub(element, "pPr")
        element.insert(list(element).index(tbl_pr), p_pr)
    _spacing(p_pr, before=0, after=0)


def _font_table(document: Any) -> None:
    """Name the body font in the font table, with what Word may put in its place (a sans)."""
    from lxml import etree  # type: ignore[import-untyped]

    for rel in document.part.rels.values():
        if not rel.reltype.endswith("/fontTable") or rel.is_external:
            continue
        part = rel.target_part
        table = etree.fromstring(part.blob)
        if any(font.get(w("name")) == BODY_FONT for font in table.findall(w("font"))):
            return
        entry = etree.Element(w("font"), {w("name"): BODY_FONT})
        table.insert(0, entry)
        sub(entry, "altName", val="Arial")
        sub(entry, "charset", val="00")
        sub(entry, "family", val="swiss")
        sub(entry, "pitch", val="variable")
        part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8",
                                    standalone=True)
