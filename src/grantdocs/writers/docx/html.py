"""Reading the letter HTML: parsing, and which tags are blocks, inline or skipped."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lxml import etree  # type: ignore[import-untyped]
from lxml import html as lxml_html

from grantdocs.writers.docx.ooxml import XML_INVALID

SKIP_TAGS = frozenset(
    {
        "head", "title", "meta", "link", "style", "script", "template", "base",
        "img", "picture", "source", "track", "video", "audio", "iframe", "object",
        "embed", "param", "svg", "canvas", "map", "area", "input", "hr", "wbr",
    }
)  # fmt: skip
CONTAINER_TAGS = frozenset(
    {
        "html", "body", "div", "section", "article", "main", "aside", "address",
        "blockquote", "header", "footer", "nav", "figure", "form", "fieldset",
        "details", "hgroup", "search", "center", "noscript", "dl", "menu",
        "thead", "tbody", "tfoot", "tr", "td", "th",
    }
)  # fmt: skip
PARAGRAPH_TAGS = frozenset({"p", "dt", "dd", "figcaption", "summary", "legend", "pre", "caption"})
HEADING_TAGS = {f"h{level}": f"Heading {level}" for level in range(1, 7)}
LIST_TAGS = frozenset({"ul", "ol"})
BLOCK_TAGS = (
    CONTAINER_TAGS | PARAGRAPH_TAGS | LIST_TAGS | frozenset(HEADING_TAGS) | {"li", "table"}
)
INLINE_TAGS = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "dfn", "del",
        "em", "i", "ins", "kbd", "label", "mark", "q", "s", "samp", "small", "span",
        "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "font", "big",
        "nobr", "button", "output", "meter", "progress", "select", "option",
        "optgroup", "textarea", "ruby", "rt", "rp", "math",
    }
)  # fmt: skip


def parse_html(html: str) -> Any:
    """Parse with libxml2's HTML parser: no network, no DTD, comments and PIs dropped."""
    cleaned = XML_INVALID.sub("\ufffd", html)
    if not cleaned.strip():
        return None
    parser = lxml_html.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True
    )
    try:
        return lxml_html.document_fromstring(cleaned.encode("utf-8", "replace"), parser=parser)
    except etree.ParserError:
        return None


def class_set(element: Any) -> frozenset[str]:
    value = element.get("class")
    return frozenset(value.split()) if value else frozenset()


def has_block_descendant(element: Any) -> bool:
    return any(
        isinstance(child.tag, str) and child.tag in BLOCK_TAGS
        for child in element.iterdescendants()
    )


def elements(element: Any) -> Iterator[Any]:
    """Child elements, without comments and processing instructions."""
    return (child for child in element if isinstance(child.tag, str))


def int_attribute(
    element: Any, name: str, default: int, upper: int = 10_000, lower: int = 1
) -> int:
    value = element.get(name)
    try:
        number = int(value.strip()) if value else default
    except ValueError:
        return default
    return max(lower, min(number, upper))
