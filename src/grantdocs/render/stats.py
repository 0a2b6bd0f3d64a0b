"""A round's statistics as one semantic HTML document with inline SVG charts (then PDF/A).

The figures are decided in :mod:`grantdocs.decide.stats`; the wording is in
``templates/<lang>/stats.toml`` (labels) and ``templates/<lang>/stats.html``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import count
from pathlib import Path
from typing import Any, Literal

from markupsafe import Markup

from grantdocs.decide.stats import HEADLINE_KEYS, RoundStats, SizeBin
from grantdocs.formatting import format_number
from grantdocs.model import Language
from grantdocs.render import charts
from grantdocs.render.environment import render_template, template_dirs
from grantdocs.render.labels import load_labels

StatsLang = Literal["nb", "nn"]

# Written into the PDF and the XLSX so that the same input gives the same bytes.
FIXED_TIME = dt.datetime(2022, 1, 1, 0, 0)


def stats_labels(lang: str, templates: Path | str | None = None) -> dict[str, Any]:
    """``<lang>/stats.toml`` from the templates search path (an override folder first)."""
    return load_labels("stats.toml", lang, template_dirs(templates))


def headline_lines(stats: RoundStats, lang: str = "nb",
                   templates: Path | str | None = None) -> list[str]:
    """``["Omsøkt: kr 137 924 745", ...]``: the seven figures with the labels of ``lang``."""
    labels = stats_labels(lang, templates)["headline"]
    values = stats.headline()
    return [f"{labels[k]}: {values[k]}" for k in HEADLINE_KEYS]


def key_label(labels: dict[str, Any], table: str, key: str) -> str:
    if key == "":
        return str(labels["none"][table])
    if table == "sub_goal":
        return str(labels["sub_goal_label"]).format(code=key)
    if table == "kind":
        return str(labels["kinds"][key])
    return key


def size_label(labels: dict[str, Any], size: SizeBin) -> str:
    if size.low == 0 and size.high is not None:
        return str(labels["size_under"]).format(high=format_number(size.high + 1))
    if size.high is None:
        return str(labels["size_over"]).format(low=format_number(size.low))
    return f"{format_number(size.low)}–{format_number(size.high)}"


def _chart_rows(stats: RoundStats, labels: dict[str, Any]) -> dict[str, Markup]:
    """The SVG charts the PDF shows, keyed by name (markup built and escaped by charts).

    Their ids are numbered within the document (chart-1, chart-2, ...), so the same figures
    give the same HTML however many documents the process made before.
    """
    kr = labels["chart"]
    ids = (f"chart-{n}" for n in count(1))
    out = {
        "sub_goal": charts.bar_chart(
            [key_label(labels, "sub_goal", b.key) for b in stats.by_sub_goal],
            [charts.Series(kr["requested"], [b.requested for b in stats.by_sub_goal]),
             charts.Series(kr["granted"], [b.granted for b in stats.by_sub_goal])],
            title=kr["sub_goal_title"], value_format=charts.kroner, ident=next(ids),
        ),
        "sizes": charts.column_chart(
            [size_label(labels, s) for s in stats.sizes],
            [Decimal(s.count) for s in stats.sizes],
            title=kr["sizes_title"], axis_label=kr["sizes_axis"], ident=next(ids),
        ),
    }
    if stats.by_county:
        out["county"] = charts.bar_chart(
            [key_label(labels, "county", b.key) for b in stats.by_county],
            [charts.Series(kr["granted"], [b.granted for b in stats.by_county])],
            title=kr["county_title"], value_format=charts.kroner, ident=next(ids),
        )
    return {name: Markup(svg) for name, svg in out.items()}


def stats_html(stats: RoundStats, lang: StatsLang = "nb", *,
               templates: Path | str | None = None, title: str | None = None,
               subtitle: str | None = None) -> str:
    """The statistics as one semantic HTML document with inline SVG charts.

    ``title`` replaces the title of ``stats.toml``; ``subtitle`` (the scheme and
    year, say) is printed under it.
    """
    labels = stats_labels(lang, templates)
    context = {
        "lang": lang,
        "lang_tag": Language(lang).tag,
        "stats": stats,
        "labels": labels,
        "title": title or labels["title"],
        "subtitle": subtitle,
        "headline": [(labels["headline"][k], stats.headline()[k]) for k in HEADLINE_KEYS],
        "charts": _chart_rows(stats, labels),
        "key_label": lambda table, key: key_label(labels, table, key),
        "size_label": lambda size: size_label(labels, size),
        "created": FIXED_TIME.date().isoformat(),
    }
    return render_template(f"{lang}/stats.html", context, template_dirs(templates))
