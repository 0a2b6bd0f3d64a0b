"""Reading the letter HTML: parsing, and which tags are blocks, inline or skipped."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lxml import etree  # type: ignore[import-untyped]
from lxml import html as lxml_html

from grantdocs.writers.docx.ooxml import XML_INVALID

# The tags the templates use, and what the walker does with each. Any other tag is
# handled by its content: an element holding one of the block tags below is a container
# (its loose text becomes paragraphs); any other is inline text in the current format.

#: Not text for the reader: never written (script and style content included).
SKIP_TAGS = frozenset({"head", "title", "style", "script", "template", "svg"})
#: Containers of blocks; loose text in them becomes its own paragraph. Table parts are
#: containers too where they stand outside a table.
CONTAINER_TAGS = frozenset(
    {"html", "body", "div", "section", "figure", "thead", "tbody", "tr", "td", "th"}
)
PARAGRAPH_TAGS = frozenset({"p", "figcaption", "caption"})
HEADING_TAGS = {f"h{level}": f"Heading {level}" for level in range(1, 7)}
LIST_TAGS = frozenset({"ul", "ol"})
BLOCK_TAGS = (
    CONTAINER_TAGS | PARAGRAPH_TAGS | LIST_TAGS | frozenset(HEADING_TAGS) | {"li", "table"}
)
#: Inline even when they hold blocks (their blocks become line breaks).
INLINE_TAGS = frozenset({"strong", "em", "span", "br"})


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
