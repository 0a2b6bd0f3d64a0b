"""WordprocessingML names and the few element helpers the writer needs.

The body is written as plain lxml elements in the ``w:`` namespace; these helpers keep
the children of ``w:pPr`` in the order the schema wants.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(local: str) -> str:
    return f"{{{W_NS}}}{local}"


VAL = w("val")
P, PPR, R, RPR, T, BR = w("p"), w("pPr"), w("r"), w("rPr"), w("t"), w("br")
TBL, TR, TC, TCPR, TRPR = w("tbl"), w("tr"), w("tc"), w("tcPr"), w("trPr")

# Schema order of the pPr children this writer sets (CT_PPr is a sequence).
PPR_ORDER = {
    w(name): rank
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


def sub(parent: Any, local: str, **attributes: str) -> Any:
    if not attributes:
        return etree.SubElement(parent, w(local))
    return etree.SubElement(parent, w(local), {w(k): v for k, v in attributes.items()})


def ppr_set(p: Any, local: str, **attributes: str) -> Any:
    """Get or add the pPr child `local` of paragraph `p`, in schema order."""
    p_pr = p.find(PPR)
    if p_pr is None:
        p_pr = etree.Element(PPR)
        p.insert(0, p_pr)
    tag = w(local)
    element = p_pr.find(tag)
    if element is None:
        element = etree.Element(tag)
        rank = PPR_ORDER[tag]
        for index, child in enumerate(p_pr):
            if PPR_ORDER.get(child.tag, 99) > rank:
                p_pr.insert(index, element)
                break
        else:
            p_pr.append(element)
    for key, value in attributes.items():
        element.set(w(key), value)
    return element


def ppr_remove(p: Any, local: str) -> None:
    p_pr = p.find(PPR)
    if p_pr is not None:
        element = p_pr.find(w(local))
        if element is not None:
            p_pr.remove(element)


# Characters XML 1.0 cannot hold (tab, LF, CR and form feed are whitespace, handled apart).
XML_INVALID = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
XML_INVALID_OR_FF = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
