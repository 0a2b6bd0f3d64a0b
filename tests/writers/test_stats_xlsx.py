"""Allocation statistics, written as XLSX and read back with openpyxl."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from grantdocs.decide.stats import RoundStats
from grantdocs.documents import render_stats
from tests.rounds import FIGURES_NB, FIGURES_NN, round_stats


@pytest.fixture(scope="module", name="round_stats")
def round_stats_fixture() -> RoundStats:
    return round_stats()


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_xlsx_holds_the_figures(round_stats: RoundStats, lang: str) -> None:
    data = render_stats(round_stats, "xlsx", lang)  # type: ignore[arg-type]
    assert data == render_stats(round_stats, "xlsx", lang)  # type: ignore[arg-type]
    wb = openpyxl.load_workbook(io.BytesIO(data))
    names = {"nb": ["Nøkkeltall", "Delmål", "Vedtak", "Fylker", "Kommuner",
                    "Tilskuddsstørrelse", "Mottakere"],
             "nn": ["Nøkkeltal", "Delmål", "Vedtak", "Fylke", "Kommunar", "Storleik",
                    "Mottakarar"]}[lang]
    assert wb.sheetnames == names
    head = wb[names[0]]
    rows = {r[0]: r[1] for r in head.iter_rows(min_row=2, values_only=True)}
    figures = FIGURES_NB if lang == "nb" else FIGURES_NN
    labels = [line.split(": ")[0] for line in figures]
    assert list(rows) == labels
    values = list(rows.values())
    assert values[:2] == [137_924_745, 38_227_000]
    assert isinstance(values[2], int | float | Decimal) and round(float(values[2]), 3) == 0.277
    assert values[3:] == [139, 64, 188, 86]
    # the number formats of every grantdocs workbook: "137 924 745 kr", a real minus sign
    assert head["B2"].number_format == '#,##0 "kr";"−"#,##0 "kr"'
    assert head["B4"].number_format == '0.0 %;"−"0.0 %'
    assert head["B5"].number_format == '#,##0;"−"#,##0'
    recipients = [r[0] for r in wb[names[-1]].iter_rows(min_row=2, values_only=True)]
    assert recipients == [r.name for r in round_stats.recipient_list]
    assert len(recipients) == 64
