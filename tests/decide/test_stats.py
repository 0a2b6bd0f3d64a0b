"""Allocation statistics, decided: the 2022 round's seven figures, breakdowns, sizes, order."""

from __future__ import annotations

import runpy
import sys
from decimal import Decimal

import pytest

from grantdocs.decide.stats import RoundStats, compute_stats
from grantdocs.documents import render_stats
from grantdocs.formatting import sorted_norwegian
from grantdocs.model import Case
from grantdocs.render.stats import headline_lines
from grantdocs.validate import check_inputs
from tests.helpers import ROOT, make_case
from tests.rounds import (
    FIGURES_NB,
    FIGURES_NN,
    ROUND,
    ROUND_JSON,
    load_round,
    plain,
    round_cases,
    round_stats,
)


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return list(round_cases())


@pytest.fixture(scope="module", name="round_stats")
def round_stats_fixture() -> RoundStats:
    return round_stats()


def test_round_2022_has_the_seeds_seven_figures(round_stats: RoundStats) -> None:
    assert round_stats.requested == Decimal(137_924_745)
    assert round_stats.granted == Decimal(38_227_000)
    assert round_stats.ratio_text == "27,7\u00a0%"
    assert round_stats.applicants == 139
    assert round_stats.recipients == 64
    assert round_stats.applications == 188
    assert round_stats.grants == 86


def test_csv_and_json_samples_agree(round_stats: RoundStats) -> None:
    assert compute_stats(load_round(ROUND_JSON)) == round_stats


def test_every_sample_record_is_valid_with_few_warnings() -> None:
    checked = list(check_inputs([ROUND]))
    assert len(checked) == 188
    assert not [i for c in checked for i in c.issues if i.is_error]
    assert sum(len(c.issues) for c in checked) <= 10


def test_sample_is_reproducible(monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    """``python tools/make_round_sample.py --check``, its ``main`` run in this process (the
    script puts tools/ and src/ on sys.path, restored afterwards)."""
    monkeypatch.setattr(sys, "path", list(sys.path))
    script = runpy.run_path(str(ROOT / "tools" / "make_round_sample.py"))
    assert script["main"](["--check"]) == 0, capsys.readouterr().err


def test_headline_lines_in_both_forms(round_stats: RoundStats) -> None:
    assert [plain(x) for x in headline_lines(round_stats, "nb")] == FIGURES_NB
    assert [plain(x) for x in headline_lines(round_stats, "nn")] == FIGURES_NN


def test_breakdowns_add_up(round_stats: RoundStats) -> None:
    for rows in (round_stats.by_kind, round_stats.by_county, round_stats.by_municipality):
        assert sum(r.applications for r in rows) == 188
        assert sum(r.granted for r in rows) == round_stats.granted
    kinds = {r.key: r for r in round_stats.by_kind}
    assert kinds["granted"].grants + kinds["partial"].grants == 86
    assert kinds["rejected"].grants == 0
    assert sum(s.count for s in round_stats.sizes) == 86
    assert sum(s.total for s in round_stats.sizes) == round_stats.granted
    assert sum(r.granted for r in round_stats.recipient_list) == round_stats.granted
    assert len(round_stats.by_county) == 11  # the 2022 counties


def test_a_case_with_two_sub_goals_counts_under_each() -> None:
    both = make_case("granted", requested=200_000)  # sub-goals A and B
    only_c = make_case("partial", requested=100_000, granted=50_000,
                       application={"sub_goals": ["C"]},
                       organisation={"org_number": "992676507"})
    result = compute_stats([both, only_c])
    goals = {r.key: r for r in result.by_sub_goal}
    assert goals["A"].granted == goals["B"].granted == Decimal(200_000)
    assert goals["A"].applications == goals["B"].applications == 1
    assert goals["C"].granted == Decimal(50_000)
    assert result.multi_goal_applications == 1
    assert result.granted == Decimal(250_000)  # the total counts the case once


def test_sizes_bins_edges() -> None:
    amounts = [10_000, 49_000, 50_000, 99_000, 100_000, 250_000, 499_000, 500_000, 900_000]
    items = [make_case("granted", requested=a, decision={"case_number": f"22/1-{i}"})
             for i, a in enumerate(amounts)]
    result = compute_stats(items)
    assert [s.count for s in result.sizes] == [2, 2, 1, 2, 2]
    assert result.recipients == 1 and result.grants == 9


def test_empty_round() -> None:
    result = compute_stats([])
    assert result.ratio is None and result.ratio_text == "–"
    assert render_stats(result, "xlsx", "nb")[:2] == b"PK"


def test_recipients_in_norwegian_order(round_stats: RoundStats) -> None:
    names = [r.name for r in round_stats.recipient_list]
    assert names == sorted_norwegian(names)
    assert "Aasen Kulturlag" in names  # "Aa" sorts as "Å": after Æ and Ø
    for earlier in ("Ærlig Talt Dialogforum", "Øst Afrikansk Kvinneforening"):
        assert names.index(earlier) < names.index("Aasen Kulturlag")
    assert names.index("Åpent Hus Grünerløkka") < names.index("Aasen Kulturlag")  # å-p < å-s
