"""Build the small fonts grantdocs ships (run once; the output is committed).

The letters are set in Noto Sans (SIL Open Font License 1.1, no reserved font
name), cut down to the characters Norwegian and Sámi administrative text needs:
Basic Latin, Latin-1, Latin Extended-A (á č đ ŋ š ŧ ž …), the comma-below
letters, typographic punctuation and a few symbols. A small font keeps every
PDF small and makes WeasyPrint's per-document HarfBuzz subsetting cheap.

Noto Sans has no U+2212 MINUS SIGN, which Norwegian amounts need, so one is
drawn from the horizontal bar of the plus sign: same width, height and stroke.

    python tools/build_fonts.py [SOURCE_DIR]

SOURCE_DIR holds NotoSans-*.ttf (Debian: fonts-noto-core,
/usr/share/fonts/truetype/noto).
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

UNICODES = (
    "U+0020-007E,U+00A0-00FF,U+0100-017F,U+0218-021B,U+02C6-02C7,U+02D8-02DD,"
    "U+2009-200B,U+2010-2027,U+202F,U+2030,U+2032-2033,U+2039-203A,U+20AC,"
    "U+2116,U+2122,U+2190-2193,U+25CF,U+2610,U+2612,U+2713,U+FB01-FB02"
)
STYLES = ("Regular", "Bold", "Italic", "BoldItalic")
OUT = Path(__file__).resolve().parent.parent / "src" / "grantdocs" / "fonts"


def add_minus(font: TTFont) -> None:
    """Add U+2212 as the horizontal bar of the plus sign."""
    cmap = font.getBestCmap()
    if 0x2212 in cmap:
        return
    glyf = font["glyf"]
    plus = glyf[cmap[ord("+")]]
    coords = plus.getCoordinates(glyf)[0]
    ys = sorted({y for _, y in coords})
    # The plus is one contour; its y values are bottom, bar bottom, bar top, top.
    bar_low, bar_high = ys[1], ys[-2]
    xs = [x for x, _ in coords]
    pen = TTGlyphPen(None)
    pen.moveTo((min(xs), bar_low))
    pen.lineTo((min(xs), bar_high))
    pen.lineTo((max(xs), bar_high))
    pen.lineTo((max(xs), bar_low))
    pen.closePath()
    name = "uni2212"
    glyph = pen.glyph()
    glyf[name] = glyph
    glyph.recalcBounds(glyf)
    font["hmtx"][name] = (font["hmtx"][cmap[ord("+")]][0], glyph.xMin)
    order = font.getGlyphOrder()
    if name not in order:
        font.setGlyphOrder([*order, name])
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap[0x2212] = name
    font["maxp"].numGlyphs = len(font.getGlyphOrder())


def build(source_dir: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for style in STYLES:
        options = subset.Options()
        options.layout_features = ["kern", "liga", "clig", "calt", "ccmp", "locl", "mark", "mkmk"]
        options.hinting = False
        options.name_IDs = ["*"]
        options.notdef_outline = True
        options.drop_tables += ["DSIG"]
        font = subset.load_font(str(source_dir / f"NotoSans-{style}.ttf"), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=subset.parse_unicodes(UNICODES))
        subsetter.subset(font)
        add_minus(font)
        target = OUT / f"NotoSans-{style}.ttf"
        # A fixed modification time keeps the committed files reproducible.
        font["head"].modified = font["head"].created
        subset.save_font(font, str(target), options)
        print(f"{target.relative_to(OUT.parent.parent.parent)}: {target.stat().st_size} bytes")


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/usr/share/fonts/truetype/noto"))
