"""Allocation statistics, rendered: inline SVG charts, the HTML, and the PDF/A made from it."""

from __future__ import annotations

import io
import itertools
import re
import subprocess
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from pathlib import Path

import page
import pikepdf
import pytest

from grantdocs.decide.stats import RoundStats
from grantdocs.documents import render_stats
from grantdocs.model import Case
from grantdocs.render import charts
from grantdocs.render.stats import stats_html
from grantdocs.scheme import load_scheme
from tests.helpers import allow_list, misspelled, pdf_renders_shared, pdftotext, require_tool
from tests.rounds import FIGURES_NB, FIGURES_NN, plain, round_cases, round_stats

CHART_BLUE = b"0.560784 0.701961 0.85098 rg"  # charts.PALETTE[1], used by nothing but charts


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return list(round_cases())


@pytest.fixture(scope="module", name="round_stats")
def round_stats_fixture() -> RoundStats:
    return round_stats()


def subtitle(lang: str) -> str:
    """What ``grantdocs stats`` puts under the title: the scheme's name and year. So the nb PDF
    here is the very file tests/cli/test_stats.py writes, and one render serves both."""
    scheme = load_scheme()
    return f"{scheme.name(lang)} {scheme.year}"


@pytest.fixture(scope="module")
def stats_pdf(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], bytes]:
    """The round's statistics as PDF in a language, rendered once per test session (each costs
    about a CPU-second): every test of this module reads the same two files, and so do the
    other processes of the session (:func:`tests.helpers.pdf_renders_shared`)."""

    @cache
    def render(lang: str) -> bytes:
        with pdf_renders_shared(tmp_path_factory):
            return render_stats(round_stats(), "pdf", lang,  # type: ignore[arg-type]
                                subtitle=subtitle(lang))

    return render


@pytest.fixture(params=["nb", "nn"])
def pdf(request: pytest.FixtureRequest, stats_pdf: Callable[[str], bytes]) -> tuple[str, bytes]:
    lang = request.param
    return lang, stats_pdf(lang)


# --- charts ----------------------------------------------------------------------------


def test_chart_text_is_escaped_and_titled() -> None:
    svg = charts.bar_chart(["<b>&amp;"], [charts.Series("x<y", [Decimal(5)])],
                           title='Tittel "<script>"', value_format=charts.kroner)
    assert "<b>" not in svg and "&lt;b&gt;&amp;amp;" in svg
    assert "<title" in svg and "&lt;script&gt;" in svg and "<script>" not in svg
    assert 'role="img"' in svg and "kr\u00a05" in svg
    with pytest.raises(ValueError):
        charts.bar_chart(["a", "b"], [charts.Series("s", [1])], title="t")


def test_html_has_svg_charts_and_heading_order(round_stats: RoundStats) -> None:
    for lang in ("nb", "nn"):
        html = stats_html(round_stats, lang)
        assert html.count("<svg") == 3 and html.count("<title id=") == 3
        levels = [int(h) for h in re.findall(r"<h([1-6])\b", html)]
        assert levels[0] == 1 and levels.count(1) == 1
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels))


def test_html_is_the_same_however_many_documents_came_before(round_stats: RoundStats) -> None:
    """The charts' ids are numbered within each document, not within the process."""
    first = stats_html(round_stats, "nb")
    assert stats_html(round_stats, "nn") != first
    assert stats_html(round_stats, "nb") == first
    assert 'id="chart-1-title"' in first and 'aria-labelledby="chart-3-title' in first


# --- PDF -------------------------------------------------------------------------------


def test_pdf_shows_the_figures(pdf: tuple[str, bytes]) -> None:
    lang, data = pdf
    text = plain(pdftotext(data))
    for line in FIGURES_NB if lang == "nb" else FIGURES_NN:
        label, value = line.split(": ")
        assert label in text and value in text
    assert ("Mottakarar" in text) == (lang == "nn")
    assert ("Mottakere" in text) == (lang == "nb")


def test_pdf_is_pdfa_tagged_with_language(pdf: tuple[str, bytes]) -> None:
    lang, data = pdf
    report = page.validate_pdf_bytes(data, profile="2a")
    assert report.is_compliant, [(f.rule_id, f.message) for f in report.failures]
    with pikepdf.open(io.BytesIO(data)) as doc:
        assert str(doc.Root.Lang) == f"{lang}-NO"
        assert bool(doc.Root.MarkInfo.Marked)
        assert str(doc.docinfo["/Title"]).startswith("Tildelingsstatistikk")


def test_pdf_page_one_draws_the_charts_as_vectors(pdf: tuple[str, bytes]) -> None:
    _, data = pdf
    with pikepdf.open(io.BytesIO(data)) as doc:
        contents = doc.pages[0].obj.Contents
        streams = contents if isinstance(contents, pikepdf.Array) else [contents]
        ops = b"".join(s.read_bytes() for s in streams)
    assert CHART_BLUE in ops  # the "Omsøkt" bars of the sub-goal chart
    assert ops.count(b" re\n") >= 6  # rectangles: the bars


def test_pdf_renders_to_an_image(pdf: tuple[str, bytes], tmp_path: Path) -> None:
    require_tool("pdftoppm")
    _, data = pdf
    source = tmp_path / "stats.pdf"
    source.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(source),
                    str(tmp_path / "p")], check=True)
    assert list(tmp_path.glob("p*.png"))


@pytest.mark.slow
def test_pdf_is_deterministic(round_stats: RoundStats,
                              stats_pdf: Callable[[str], bytes]) -> None:
    """A render of its own (not from the session's store) against the shared one, which may
    have been rendered by another process of the session."""
    assert render_stats(round_stats, "pdf", "nb", subtitle=subtitle("nb")) == stats_pdf("nb")


# --- spelling --------------------------------------------------------------------------

WORD = re.compile(r"[^\W\d_]+")


def name_words(cases: list[Case]) -> set[str]:
    names: list[str] = []
    for case in cases:
        o = case.organisation
        names += [o.name, o.municipality or "", o.county or "", o.city or ""]
    return {w for n in names for w in WORD.findall(n)}


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_spelling(cases: list[Case], lang: str, stats_pdf: Callable[[str], bytes]) -> None:
    require_tool("hunspell")
    data = stats_pdf(lang)
    skip = name_words(cases) | allow_list(lang)
    words = {w for w in WORD.findall(pdftotext(data)) if len(w) > 1 and w not in skip}
    assert misspelled(words, lang) == set()


def test_pdf_footer_numbers_every_page(pdf: tuple[str, bytes]) -> None:
    """The running footer (a string() margin box fed from <body>) is on every page."""
    _, data = pdf
    text = pdftotext(data)
    pages = len(re.findall(r"Side \d+ av (\d+)", text))
    total = int(re.search(r"Side 1 av (\d+)", text).group(1))  # type: ignore[union-attr]
    assert pages == total >= 2
