"""The font the package ships (``src/grantdocs/fonts``), as every writer names and measures it.

The PDF embeds these files (``writers/pdf.py`` declares them as "Grantdocs Sans"); the DOCX
and XLSX writers name the same family, read here from the font file itself, so that Word,
Excel and LibreOffice show the same letters as the PDF wherever the family is installed.
The DOCX writer also measures words with the font's advance widths to size table columns.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

from grantdocs.resources import FONTS_DIR

REGULAR, BOLD = "NotoSans-Regular.ttf", "NotoSans-Bold.ttf"


@dataclass(frozen=True)
class Metrics:
    family: str
    units_per_em: int
    line_height: float  # (ascent + descent) / em: what Word and LibreOffice call one line
    advances: dict[int, int]  # code point → advance width in font units
    default_advance: int


@functools.cache
def metrics(file: str = REGULAR) -> Metrics:
    font = TTFont(FONTS_DIR / file, lazy=True)
    names = font["name"]
    family = str(names.getDebugName(16) or names.getDebugName(1))
    units = int(font["head"].unitsPerEm)
    os2 = font["OS/2"]
    hmtx = font["hmtx"]
    advances = {code: hmtx[glyph][0] for code, glyph in font.getBestCmap().items()}
    space = advances.get(0x20, units // 2)
    return Metrics(
        family=family,
        units_per_em=units,
        line_height=(os2.usWinAscent + os2.usWinDescent) / units,
        advances=advances,
        default_advance=space * 2,
    )


def family() -> str:
    """The family name Word, Excel and LibreOffice know the shipped font by ("Noto Sans")."""
    return metrics().family


def text_width(text: str, size_pt: float, bold: bool = False) -> float:
    """The width of `text` in points, set in the shipped font at `size_pt`."""
    m = metrics(BOLD if bold else REGULAR)
    units = sum(m.advances.get(ord(ch), m.default_advance) for ch in text)
    return units * size_pt / m.units_per_em
