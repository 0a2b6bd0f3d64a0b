"""Old import path: see :mod:`grantdocs.decide.stats`, :mod:`grantdocs.render.stats` and
:mod:`grantdocs.documents`."""

from grantdocs.decide.stats import RoundStats, compute_stats
from grantdocs.documents import StatsFormat, render_stats
from grantdocs.render.stats import StatsLang, headline_lines, stats_html

__all__ = ["RoundStats", "StatsFormat", "StatsLang", "compute_stats", "headline_lines",
           "render_stats", "stats_html"]
