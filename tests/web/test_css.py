"""The stylesheet's colours: every pair of text and background the pages use has a
contrast of at least 4.5:1 (WCAG 2.1 1.4.3), computed from site.css's own variables."""

from __future__ import annotations

import fnmatch
import re

import pytest

from grantdocs.resources import TEMPLATES_DIR
from grantdocs.service.web import STATIC_DIR
from tests.writers.test_docx_classes import (
    _CLASS_ATTRIBUTE,
    _JINJA_COMMENT,
    classes_in_attribute,
    css_classes,
)

CSS = (STATIC_DIR / "site.css").read_text("utf-8")
COLOURS = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})\s*;", CSS))

# (text, background) as site.css sets them
PAIRS = [("text", "paper"), ("muted", "paper"), ("accent", "paper"), ("paper", "accent"),
         ("paper", "accent-dark"), ("accent-dark", "paper"), ("text", "tint"),
         ("accent", "tint"), ("accent-dark", "tint"), ("muted", "tint"), ("error", "paper"),
         ("error", "error-tint"), ("paper", "error"), ("text", "error-tint"),
         ("ok", "ok-tint"), ("text", "ok-tint"), ("warn", "warn-tint"),
         ("text", "warn-tint"), ("text", "focus")]


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_contrast_formula() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize(("text", "background"), PAIRS)
def test_text_colours_have_a_contrast_of_at_least_4_5(text: str, background: str) -> None:
    assert contrast(COLOURS[text], COLOURS[background]) >= 4.5


def test_field_borders_are_visible() -> None:
    assert contrast(COLOURS["line"], COLOURS["paper"]) >= 3.0  # WCAG 1.4.11


def test_focus_is_never_hidden() -> None:
    assert ":focus-visible" in CSS
    assert not re.search(r"(?<!main):focus(-visible)?\s*\{[^}]*outline:\s*(none|0)", CSS)


def test_every_class_of_the_pages_is_styled() -> None:
    """A class in templates/web/ that site.css does not style is a typo or a leftover."""
    used: dict[str, set[str]] = {}
    for path in sorted((TEMPLATES_DIR / "web").rglob("*.html")):
        text = _JINJA_COMMENT.sub("", path.read_text("utf-8"))
        for match in _CLASS_ATTRIBUTE.finditer(text):
            for name in classes_in_attribute(match.group(2)):
                used.setdefault(name, set()).add(path.name)
    assert {"skip-link", "site-header"} <= set(used)
    styled = css_classes(CSS)
    unstyled = {name: sorted(files) for name, files in used.items()
                if not any(fnmatch.fnmatchcase(known, name) for known in styled)}
    assert not unstyled, f"classes of templates/web/ that site.css does not style: {unstyled}"
