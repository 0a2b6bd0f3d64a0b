"""Inline content: a paragraph's text as a flat list of items in their formats.

The walker collects the text, breaks and fields of one paragraph, :func:`normalise`
collapses their whitespace as HTML does, and the ``add_*`` helpers write them as runs.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import re
from dataclasses import dataclass
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from grantdocs.writers.docx.look import SMALL_CLASSES, SMALL_SIZE_HALF_POINTS
from grantdocs.writers.docx.ooxml import RPR, XML_INVALID, XML_SPACE, R, T, sub

_COLLAPSIBLE_WS = re.compile(r"[ \t\n\r\f]+")


@dataclass(frozen=True)
class Format:
    bold: bool = False
    italic: bool = False
    small: bool = False
    size: int | None = None  # half-points
    colour: str | None = None  # RRGGBB


PLAIN = Format()


@dataclass(frozen=True)
class Text:
    text: str
    fmt: Format


@dataclass(frozen=True)
class Break:
    soft: bool = False  # from a block inside inline content: dropped at line edges


@dataclass(frozen=True)
class Field:
    instruction: str  # "PAGE" or "NUMPAGES"
    fmt: Format


Item = Text | Break | Field
HARD_BREAK = Break()
SOFT_BREAK = Break(soft=True)


def normalise(items: list[Item]) -> list[Item]:
    """Collapse whitespace as HTML does; trim line starts and ends; keep U+00A0.

    Adjacent texts in the same format are merged, so each becomes one run.
    """
    out: list[Item] = []
    at_line_start = True
    pending_space = False  # the last emitted text ends in a collapsible space

    def trim_trailing() -> None:
        if pending_space and out and isinstance(out[-1], Text):
            last = out[-1]
            text = last.text[:-1]
            if text:
                out[-1] = Text(text, last.fmt)
            else:
                out.pop()

    def emit(text: str, fmt: Format) -> None:
        last = out[-1] if out else None
        if isinstance(last, Text) and last.fmt == fmt:
            out[-1] = Text(last.text + text, fmt)
        else:
            out.append(Text(text, fmt))

    for item in items:
        if isinstance(item, Text):
            text = _COLLAPSIBLE_WS.sub(" ", item.text)
            if text.startswith(" ") and (at_line_start or pending_space):
                text = text[1:]
            if not text:
                continue
            emit(XML_INVALID.sub("\ufffd", text), item.fmt)
            pending_space = text.endswith(" ")
            at_line_start = False
        elif isinstance(item, Break):
            if item.soft and at_line_start:
                continue
            trim_trailing()
            out.append(item)
            at_line_start, pending_space = True, False
        else:
            out.append(item)
            at_line_start, pending_space = False, False
    trim_trailing()
    # Like a browser: a break that ends the block adds no empty line.
    while out and out[-1] is SOFT_BREAK:
        out.pop()
    if out and isinstance(out[-1], Break):
        out.pop()
    return out


def inline_format(tag: str, classes: frozenset[str], fmt: Format) -> Format:
    """The format inside inline element `tag`: ``strong`` bold, ``em`` italic, small classes."""
    changes: dict[str, Any] = {}
    if tag == "strong":
        changes["bold"] = True
    elif tag == "em":
        changes["italic"] = True
    if classes & SMALL_CLASSES:
        changes["small"] = True
    return dataclasses.replace(fmt, **changes) if changes else fmt


@functools.lru_cache(maxsize=256)
def run_properties(fmt: Format, paragraph_small: bool) -> Any:
    """A w:rPr template for `fmt` (None when the run needs none); copy before use."""
    r_pr = etree.Element(RPR)
    if fmt.bold:
        sub(r_pr, "b")
    if fmt.italic:
        sub(r_pr, "i")
    if fmt.colour is not None:
        sub(r_pr, "color", val=fmt.colour)
    size = fmt.size
    if size is None and fmt.small and not paragraph_small:
        size = SMALL_SIZE_HALF_POINTS
    if size is not None:
        sub(r_pr, "sz", val=str(size))
        sub(r_pr, "szCs", val=str(size))
    return r_pr if len(r_pr) else None


def add_run(p: Any, fmt: Format, paragraph_small: bool) -> Any:
    r = etree.SubElement(p, R)
    template = run_properties(fmt, paragraph_small)
    if template is not None:
        r.append(copy.copy(template))
    return r


def add_text(r: Any, text: str) -> None:
    """Text (whitespace already collapsed: no tab, no newline) into run `r`."""
    t = etree.SubElement(r, T)
    t.set(XML_SPACE, "preserve")
    t.text = text


def add_field(p: Any, item: Field, paragraph_small: bool) -> None:
    """PAGE / NUMPAGES as a complex field with the placeholder result "1"."""
    sub(add_run(p, item.fmt, paragraph_small), "fldChar", fldCharType="begin")
    instruction = sub(add_run(p, item.fmt, paragraph_small), "instrText")
    instruction.set(XML_SPACE, "preserve")
    instruction.text = f" {item.instruction} "
    sub(add_run(p, item.fmt, paragraph_small), "fldChar", fldCharType="separate")
    add_text(add_run(p, item.fmt, paragraph_small), "1")
    sub(add_run(p, item.fmt, paragraph_small), "fldChar", fldCharType="end")
