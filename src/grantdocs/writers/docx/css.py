"""Reading the letter's stylesheet, so the DOCX takes its look from the same rules as the PDF.

Only what :mod:`.look` needs: the declarations of plain rules by selector, the page's
declarations and its margin boxes, and lengths and colours in the units the stylesheets
use (pt, mm, cm, in, px). Selectors are not matched against the document; :mod:`.look`
asks for the rules it knows by their written selector or by the class they end in.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import tinycss2  # type: ignore[import-untyped]

_PT_PER_UNIT = {"pt": 1.0, "mm": 72 / 25.4, "cm": 720 / 25.4, "in": 72.0, "px": 0.75}
_LENGTH = re.compile(r"^(-?\d*\.?\d+)(pt|mm|cm|in|px)?$")
_CLASS = re.compile(r"\.([A-Za-z0-9_-]+)$")


@dataclass
class Stylesheet:
    """Declarations (property → value text) by selector, in the order they cascade."""

    rules: dict[str, dict[str, str]] = field(default_factory=dict)
    page: dict[str, str] = field(default_factory=dict)
    boxes: dict[str, dict[str, str]] = field(default_factory=dict)  # "top-right" → ...

    def get(self, selector: str) -> dict[str, str]:
        return self.rules.get(" ".join(selector.split()), {})

    def of_class(self, name: str) -> dict[str, str]:
        """The declarations of every rule whose selector ends in ``.name``, merged in order."""
        merged: dict[str, str] = {}
        for selector, declarations in self.rules.items():
            match = _CLASS.search(selector.split(" ")[-1])
            if match and match.group(1) == name:
                merged.update(declarations)
        return merged

    def merge(self, other: Stylesheet) -> None:
        for selector, declarations in other.rules.items():
            self.rules.setdefault(selector, {}).update(declarations)
        self.page.update(other.page)
        for box, declarations in other.boxes.items():
            self.boxes.setdefault(box, {}).update(declarations)


def _declarations(content: list[object], sheet: Stylesheet | None = None) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True):
        if item.type == "declaration":
            out[item.lower_name] = tinycss2.serialize(item.value).strip()
        elif item.type == "at-rule" and sheet is not None and item.content is not None:
            sheet.boxes.setdefault(item.lower_at_keyword, {}).update(_declarations(item.content))
    return out


def parse(css: str) -> Stylesheet:
    sheet = Stylesheet()
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "at-rule" and rule.lower_at_keyword == "page":
            if tinycss2.serialize(rule.prelude).strip():  # @page :first and the like
                continue
            sheet.page.update(_declarations(rule.content or [], sheet))
        elif rule.type == "qualified-rule":
            declarations = _declarations(rule.content)
            for selector in tinycss2.serialize(rule.prelude).split(","):
                key = " ".join(selector.split())
                sheet.rules.setdefault(key, {}).update(declarations)
    return sheet


@functools.cache
def load(path: Path) -> Stylesheet:
    return parse(path.read_text(encoding="utf-8"))


def points(value: str | None, font_size: float = 0.0) -> float | None:
    """A length in points; ``em`` relative to `font_size`; None when it is not a length."""
    if value is None:
        return None
    text = value.strip().lower()
    if text.endswith("em") and font_size:
        try:
            return float(text[:-2]) * font_size
        except ValueError:
            return None
    match = _LENGTH.match(text)
    if match is None:
        return None
    number, unit = float(match.group(1)), match.group(2)
    if unit is None:
        return number if number == 0 else None
    return number * _PT_PER_UNIT[unit]


def box(value: str | None) -> tuple[float, float, float, float]:
    """A margin or padding shorthand as (top, right, bottom, left) in points."""
    parts = [points(part) or 0.0 for part in (value or "0").split()]
    if len(parts) == 1:
        parts *= 4
    elif len(parts) == 2:
        parts = [parts[0], parts[1], parts[0], parts[1]]
    elif len(parts) == 3:
        parts = [parts[0], parts[1], parts[2], parts[1]]
    top, right, bottom, left = parts[:4]
    return top, right, bottom, left


def side(declarations: dict[str, str], prop: str, which: str) -> float | None:
    """`prop`-`which` (``margin-top``...) from the longhand or the shorthand, in points."""
    longhand = points(declarations.get(f"{prop}-{which}"))
    if longhand is not None:
        return longhand
    if prop not in declarations:
        return None
    index = ("top", "right", "bottom", "left").index(which)
    return box(declarations[prop])[index]


def colour(value: str | None) -> str | None:
    """``#rgb`` / ``#rrggbb`` as ``RRGGBB``; None for anything else."""
    if value is None:
        return None
    text = value.strip().lstrip("#")
    hex_digits = re.fullmatch(r"[0-9a-fA-F]{3}|[0-9a-fA-F]{6}", text)
    if not value.strip().startswith("#") or not hex_digits:
        return None
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    return text.upper()


def border(value: str | None) -> tuple[float, str] | None:
    """A ``0.4pt solid #bbb`` border as (width in points, colour); None when there is none."""
    if value is None:
        return None
    width: float | None = None
    hue: str | None = None
    solid = False
    for part in value.split():
        width = points(part) if points(part) is not None else width
        hue = colour(part) or hue
        solid = solid or part == "solid"
    if not solid or not width:
        return None
    return width, hue or "000000"
