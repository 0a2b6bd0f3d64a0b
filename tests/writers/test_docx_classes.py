"""The CSS classes the templates use, against the DOCX writer's list and the stylesheets.

Every class a template uses is either acted on by the DOCX writer
(``grantdocs.writers.docx.look.CLASSES``) or styled in a CSS file under templates/,
and every class of the writer's list is used by a template: no dead entries.
"""

from __future__ import annotations

import datetime
import fnmatch
import re
from io import BytesIO
from pathlib import Path

import docx
import pytest

from grantdocs.resources import TEMPLATES_DIR
from grantdocs.writers.docx import DocxMeta, html_to_docx, look

# A class attribute's value, quoted either way; Jinja inside it may hold the other quote.
_CLASS_ATTRIBUTE = re.compile(
    r"""(?<![\w-])class\s*=\s*(["'])((?:\{\{.*?\}\}|\{%.*?%\}|(?!\1).)*)\1""", re.S
)
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)
_STRING_LITERAL = re.compile(r"""'([^']*)'|"([^"]*)\"""")
_CSS_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_CSS_RULE = re.compile(r"([^{};]*)\{([^{}]*)\}")
_WILDCARD = "\x00"


def template_files() -> list[Path]:
    """The documents' templates; not the web pages' (templates/web/: never made into DOCX,
    styled by the service's site.css, checked by tests/web/test_css.py)."""
    web = TEMPLATES_DIR / "web"
    return sorted(p for p in TEMPLATES_DIR.rglob("*.html") if web not in p.parents)


def classes_in_attribute(value: str) -> set[str]:
    """The class names (or ``fnmatch`` patterns) an attribute value can produce.

    Words written out count as they are. A word glued to a ``{{ … }}`` expression is a
    pattern (``status-{{ x }}`` → ``status-*``). A free-standing expression gives the
    words of the string literals in it (``{{ "num" if right }}`` → ``num``).
    """
    found: set[str] = set()

    def expression(match: re.Match[str]) -> str:
        text = match.group(0)
        if not text.startswith("{{"):
            return " "  # a statement or comment separates words
        for literal in _STRING_LITERAL.finditer(text):
            found.update((literal.group(1) or literal.group(2) or "").split())
        return _WILDCARD

    for word in _JINJA.sub(expression, value).split():
        if word.strip(_WILDCARD):
            found.add(word.replace(_WILDCARD, "*"))
    return found


def template_classes() -> dict[str, set[str]]:
    """Class (or pattern) → the templates that use it."""
    used: dict[str, set[str]] = {}
    for path in template_files():
        text = path.read_text(encoding="utf-8")
        for match in _CLASS_ATTRIBUTE.finditer(_JINJA_COMMENT.sub("", text)):
            for name in classes_in_attribute(match.group(2)):
                used.setdefault(name, set()).add(str(path.relative_to(TEMPLATES_DIR)))
    return used



def css_classes(text: str) -> set[str]:
    """The class names in the selectors of a stylesheet (nested at-rules included)."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r""""[^"]*"|'[^']*'""", '""', text)
    found: set[str] = set()
    while rules := list(_CSS_RULE.finditer(text)):
        for rule in rules:
            found.update(_CSS_CLASS.findall(rule.group(1)))
        text = _CSS_RULE.sub(";", text)
    return found


def styled_classes() -> set[str]:
    found: set[str] = set()
    for path in sorted(TEMPLATES_DIR.rglob("*.css")):
        found |= css_classes(path.read_text(encoding="utf-8"))
    return found


def test_the_parsers_see_what_they_should() -> None:
    """The helpers on known input, so that the checks below cannot pass vacuously."""
    assert classes_in_attribute('data {{ "num" if right }}') == {"data", "num"}
    assert classes_in_attribute("status-{{ row.status.value }}") == {"status-*"}
    assert classes_in_attribute("{{ kind }} {% if x %}small{% endif %}") == {"small"}
    css = (
        '@import "base.css";\n@page { margin: 1.5mm; @top-right { content: "a.b" } }\n'
        "@media print { table.refs th, .x-y > p { color: #555 } }\n.a.b{}"
    )
    assert css_classes(css) == {"refs", "x-y", "a", "b"}
    used = template_classes()
    assert {"letterhead", "num", "guidance"} <= set(used)
    assert {"letterhead", "num", "guidance"} <= styled_classes() | set(look.CLASSES)


def test_every_template_class_is_mapped_or_styled() -> None:
    handled = set(look.CLASSES) | styled_classes()
    unhandled = {
        name: sorted(files)
        for name, files in template_classes().items()
        if not any(fnmatch.fnmatchcase(known, name) for known in handled)
    }
    assert not unhandled, (
        "classes that neither the DOCX writer (writers/docx/look.py CLASSES) nor a "
        f"stylesheet under templates/ handle: {unhandled}"
    )


def test_every_class_the_docx_writer_maps_is_used_by_a_template() -> None:
    used = template_classes()
    dead = sorted(
        name
        for name in look.CLASSES
        if not any(fnmatch.fnmatchcase(name, pattern) for pattern in used)
    )
    assert not dead, f"DOCX class mappings no template uses: {dead}"


@pytest.mark.parametrize("name", sorted(look.CLASSES))
def test_each_mapped_class_changes_the_docx(name: str) -> None:
    """A paragraph, a block or a table with the class is written otherwise than without."""
    meta = DocxMeta(title="t", author="a", language="nb-NO", created=datetime.datetime(2026, 1, 1))

    def body(cls: str) -> str:
        return (
            "<p>first</p>"
            f'<div class="{cls}"><p class="{cls}">one</p><p>two</p></div><p>after</p>'
            f'<table class="{cls}"><tr><th>h</th><td class="{cls}">1</td></tr></table>'
        )

    def document_xml(cls: str) -> str:
        document = docx.Document(BytesIO(html_to_docx(body(cls), meta)))
        return str(document.element.body.xml)

    assert document_xml(name) != document_xml("unmapped-class")
