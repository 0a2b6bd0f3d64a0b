"""The 2022 sample round that the statistics tests share: its cases, figures and labels."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from grantdocs.decide.stats import RoundStats, compute_stats
from grantdocs.model import Case
from grantdocs.validate import check_inputs
from tests.helpers import ROOT

ROUND = ROOT / "samples" / "round-2022" / "decisions.csv"
ROUND_JSON = ROOT / "samples" / "round-2022" / "decisions.json"

FIGURES_NB = [
    "Omsøkt: kr 137 924 745",
    "Tildelt: kr 38 227 000",
    "Innvilget: 27,7 %",
    "Søkere: 139",
    "Mottakere: 64",
    "Søknader: 188",
    "Tildelinger: 86",
]
FIGURES_NN = [
    "Omsøkt: kr 137 924 745",
    "Tildelt: kr 38 227 000",
    "Innvilga: 27,7 %",
    "Søkjarar: 139",
    "Mottakarar: 64",
    "Søknader: 188",
    "Tildelingar: 86",
]


def plain(text: str) -> str:
    return text.replace("\u00a0", " ")


def load_round(path: Path = ROUND) -> list[Case]:
    checked = list(check_inputs([path]))
    assert all(c.case is not None for c in checked), [i for c in checked for i in c.issues]
    return [c.case for c in checked if c.case is not None]


@lru_cache(maxsize=1)
def round_cases() -> tuple[Case, ...]:
    return tuple(load_round())


@lru_cache(maxsize=1)
def round_stats() -> RoundStats:
    return compute_stats(round_cases())
