"""Bar charts as inline SVG strings, for HTML that WeasyPrint renders to PDF.

Pure functions: data in, markup out. Every chart carries a ``<title>`` and a
``<desc>`` listing its values, so a screen reader gets the numbers too; every
piece of text is escaped. Numbers are formatted by :mod:`grantdocs.formatting`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from itertools import count

from grantdocs.formatting import format_amount, format_number

__all__ = ["PALETTE", "Series", "bar_chart", "column_chart", "kroner"]

Number = Decimal | int
Format = Callable[[Number], str]

PALETTE = ("#12355b", "#8fb3d9", "#c0504d", "#4f8f4f")
FONT = 'font-family="Grantdocs Sans, sans-serif"'
_ids = count(1)  # for a chart made without an ``ident``


@dataclass(frozen=True)
class Series:
    """One set of bars: its name (shown in the legend) and one value per category."""

    name: str
    values: Sequence[Number]
    colour: str | None = None


def kroner(value: Number) -> str:
    """``kr 1 234 000`` (non-breaking spaces)."""
    return format_amount(value)


def _number(value: Number) -> str:
    return format_number(value)


def _f(value: float) -> str:
    """A coordinate: at most one decimal, no trailing zeros."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: float = 11,
          weight: str = "normal", fill: str = "#1a1a1a") -> str:
    return (f'<text x="{_f(x)}" y="{_f(y)}" font-size="{_f(size)}" {FONT} '
            f'font-weight="{weight}" text-anchor="{anchor}" fill="{fill}">{escape(text)}</text>')


def _open(width: float, height: float, title: str, desc: str, ident: str | None) -> str:
    ident = ident or f"chart-{next(_ids)}"
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_f(width)} {_f(height)}" '
            f'width="{_f(width)}" height="{_f(height)}" role="img" '
            f'aria-labelledby="{ident}-title {ident}-desc">'
            f'<title id="{ident}-title">{escape(title)}</title>'
            f'<desc id="{ident}-desc">{escape(desc)}</desc>')


def _describe(labels: Sequence[str], series: Sequence[Series], fmt: Format) -> str:
    parts = []
    for index, label in enumerate(labels):
        values = ", ".join(
            (f"{s.name} {fmt(s.values[index])}" if len(series) > 1 else fmt(s.values[index]))
            for s in series
        )
        parts.append(f"{label}: {values}")
    return "; ".join(parts)


def bar_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    value_format: Format = _number,
    width: float = 640,
    label_width: float = 170,
    bar_height: float = 14,
    ident: str | None = None,
) -> str:
    """Horizontal bars, one group per label and one bar per series, values at the bar ends.

    The bars share one scale (the largest value spans the plot). With more than
    one series a legend is drawn above the bars. ``ident`` is the chart's id in its
    document (its title and description are ``ident-title`` and ``ident-desc``);
    without one, the next of this process's ``chart-N``.
    """
    if not series or any(len(s.values) != len(labels) for s in series):
        raise ValueError("every series needs one value per label")
    top = 26.0 if len(series) > 1 else 6.0
    value_room = 120.0
    plot = width - label_width - value_room
    group = bar_height * len(series) + 10
    height = top + group * len(labels) + 4
    largest = max((max(s.values, default=0) for s in series), default=0) or 1
    parts = [_open(width, height, title, _describe(labels, series, value_format), ident)]
    if len(series) > 1:
        x = label_width
        for index, s in enumerate(series):
            colour = s.colour or PALETTE[index % len(PALETTE)]
            parts.append(f'<rect x="{_f(x)}" y="6" width="10" height="10" fill="{colour}"/>')
            parts.append(_text(x + 14, 15, s.name, size=10))
            x += 24 + 6.5 * len(s.name)
    for row, label in enumerate(labels):
        y = top + row * group
        parts.append(_text(label_width - 8, y + group / 2, label, anchor="end", size=10.5))
        for index, s in enumerate(series):
            colour = s.colour or PALETTE[index % len(PALETTE)]
            value = s.values[row]
            length = float(Decimal(value) / Decimal(largest)) * plot
            by = y + 3 + index * bar_height
            parts.append(f'<rect x="{_f(label_width)}" y="{_f(by)}" width="{_f(max(length, 0.5))}" '
                         f'height="{_f(bar_height - 2)}" fill="{colour}"/>')
            parts.append(_text(label_width + length + 4, by + bar_height - 4.5,
                               value_format(value), size=9.5))
    parts.append(f'<line x1="{_f(label_width)}" y1="{_f(top)}" x2="{_f(label_width)}" '
                 f'y2="{_f(height - 4)}" stroke="#555" stroke-width="0.8"/>')
    parts.append("</svg>")
    return "".join(parts)


def column_chart(
    labels: Sequence[str],
    values: Sequence[Number],
    *,
    title: str,
    axis_label: str = "",
    value_format: Format = _number,
    width: float = 640,
    height: float = 230,
    colour: str = PALETTE[0],
    ident: str | None = None,
) -> str:
    """Vertical columns, one per label, the value above each and the label below
    (``ident`` as for :func:`bar_chart`)."""
    if len(values) != len(labels):
        raise ValueError("one value per label")
    left, bottom, top = 30.0, 40.0, 22.0
    plot_h = height - bottom - top
    slot = (width - left) / max(len(labels), 1)
    largest = max(values, default=0) or 1
    desc = _describe(labels, [Series(axis_label or title, values)], value_format)
    parts = [_open(width, height, title, desc, ident)]
    if axis_label:
        parts.append(_text(left, 12, axis_label, size=10, fill="#444"))
    base = height - bottom
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = left + index * slot + slot * 0.15
        h = float(Decimal(value) / Decimal(largest)) * plot_h
        parts.append(f'<rect x="{_f(x)}" y="{_f(base - h)}" width="{_f(slot * 0.7)}" '
                     f'height="{_f(max(h, 0.5))}" fill="{colour}"/>')
        centre = x + slot * 0.35
        parts.append(_text(centre, base - h - 5, value_format(value), anchor="middle",
                           size=10.5, weight="bold"))
        parts.append(_text(centre, base + 16, label, anchor="middle", size=10))
    parts.append(f'<line x1="{_f(left)}" y1="{_f(base)}" x2="{_f(width)}" y2="{_f(base)}" '
                 f'stroke="#555" stroke-width="0.8"/>')
    parts.append("</svg>")
    return "".join(parts)
