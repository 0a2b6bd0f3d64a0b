"""What the walker carries down the tree: the block context and the output target."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from grantdocs.writers.docx.inline import PLAIN, Format
from grantdocs.writers.docx.ooxml import P


@dataclass
class ListItem:
    style: str
    continue_style: str
    num_id: int | None
    started: bool = False


@dataclass(frozen=True)
class Context:
    style: str = "Normal"
    fmt: Format = PLAIN
    align: str | None = None  # w:jc value
    list_level: int = 0
    list_ordered: bool = False
    list_num_id: int | None = None
    list_item: ListItem | None = None
    tight: bool = False
    keep: bool = False  # keep with the next paragraph (signature block)


@functools.cache
def cell_context(bold: bool, small: bool, right: bool, colour: str | None = None) -> Context:
    """The context of a table cell's content (shared: it holds no list state)."""
    return Context(
        tight=True,
        fmt=Format(bold=bold, small=small, colour=colour),
        align="right" if right else None,
    )


def with_fmt(ctx: Context, **changes: Any) -> Context:
    return dataclasses.replace(ctx, fmt=dataclasses.replace(ctx.fmt, **changes))


class Target:
    """Where paragraphs and tables go: the body, a table cell, a header or a footer.

    The body, headers and footers are first built in a scratch element outside the
    python-docx tree (plain lxml elements are much cheaper to make than python-docx's
    custom element classes) and moved into the document by :meth:`move_into`.
    """

    def __init__(self, parent: Any, width: int) -> None:
        self.parent = parent
        self.width = width  # twips available for tables

    def append(self, element: Any) -> None:
        self.parent.append(element)

    def end_with_paragraph(self) -> None:
        """Cells, headers, footers and the body must end with a paragraph, not a table."""
        last = self.parent[-1] if len(self.parent) else None
        if last is None or last.tag != P:
            etree.SubElement(self.parent, P)

    def move_into(self, element: Any, before: Any = None) -> None:
        for child in list(self.parent):
            if before is not None:
                before.addprevious(child)
            else:
                element.append(child)
