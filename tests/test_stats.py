"""Allocation statistics: the 2022 round's seven figures, breakdowns, charts, PDF/A, XLSX, CLI."""

from __future__ import annotations

import io
import itertools
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import page
import pikepdf
import pytest
from click.testing import CliRunner

from grantdocs.cli.stats import stats as stats_command
from grantdocs.decide.stats import RoundStats, compute_stats
from grantdocs.documents import render_stats
from grantdocs.formatting import sorted_norwegian
from grantdocs.model import Case
from grantdocs.render import charts
from grantdocs.render.stats import headline_lines, stats_html
from grantdocs.validate import check_inputs
from tests.conftest import ROOT, make_case, pdftotext, require_tool
from tests.test_spelling import allow_list

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
CHART_BLUE = b"0.560784 0.701961 0.85098 rg"  # charts.PALETTE[1], used by nothing but charts


def plain(text: str) -> str:
    return text.replace("\u00a0", " ")


def load_round(path: Path = ROUND) -> list[Case]:
    checked = list(check_inputs([path]))
    assert all(c.case is not None for c in checked), [i for c in checked for i in c.issues]
    return [c.case for c in checked if c.case is not None]


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return load_round()


@pytest.fixture(scope="module")
def round_stats(cases: list[Case]) -> RoundStats:
    return compute_stats(cases)


@pytest.fixture(scope="module", params=["nb", "nn"])
def pdf(request: pytest.FixtureRequest, round_stats: RoundStats) -> tuple[str, bytes]:
    lang = request.param
    return lang, render_stats(round_stats, "pdf", lang, subtitle="Integreringsarbeid 2022")


# --- the figures ---------------------------------------------------------------------


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


def test_sample_is_reproducible() -> None:
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "make_round_sample.py"), "--check"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


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


def test_pdf_is_deterministic(round_stats: RoundStats) -> None:
    assert render_stats(round_stats, "pdf", "nb") == render_stats(round_stats, "pdf", "nb")


# --- XLSX ------------------------------------------------------------------------------


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


# --- CLI -------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "suffix"), [("nb", "pdf"), ("nn", "xlsx")])
def test_cli_prints_the_figures_and_writes(tmp_path: Path, lang: str, suffix: str) -> None:
    out = tmp_path / f"statistikk.{suffix}"
    result = CliRunner().invoke(stats_command, [str(ROUND), "--out", str(out), "--lang", lang])
    assert result.exit_code == 0, result.output
    assert plain(result.stdout).splitlines() == (FIGURES_NB if lang == "nb" else FIGURES_NN)
    assert out.read_bytes()[:4] == (b"%PDF" if suffix == "pdf" else b"PK\x03\x04")
    assert not list(tmp_path.glob(".*.part"))


def test_cli_reports_and_excludes_invalid_records(tmp_path: Path) -> None:
    bad = ROOT / "samples" / "decisions-with-errors.csv"
    out = tmp_path / "s.xlsx"
    result = CliRunner().invoke(stats_command, [str(bad), "--out", str(out), "-q"])
    assert result.exit_code == 1
    assert "3 invalid records left out" in result.stderr
    assert "row 10, Organisasjonsnummer" in result.stderr
    assert "Søknader: 17" in result.stdout and out.is_file()


def test_cli_refuses_an_unknown_suffix(tmp_path: Path) -> None:
    result = CliRunner().invoke(stats_command, [str(ROUND), "--out", str(tmp_path / "s.txt")])
    assert result.exit_code == 2
    assert ".pdf or .xlsx" in result.stderr


# --- spelling --------------------------------------------------------------------------

WORD = re.compile(r"[^\W\d_]+")


def name_words(cases: list[Case]) -> set[str]:
    names: list[str] = []
    for case in cases:
        o = case.organisation
        names += [o.name, o.municipality or "", o.county or "", o.city or ""]
    return {w for n in names for w in WORD.findall(n)}


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_spelling(round_stats: RoundStats, cases: list[Case], lang: str) -> None:
    require_tool("hunspell")
    data = render_stats(round_stats, "pdf", lang)  # type: ignore[arg-type]
    skip = name_words(cases) | allow_list(lang)
    words = {w for w in WORD.findall(pdftotext(data)) if len(w) > 1 and w not in skip}
    out = subprocess.run(["hunspell", "-d", {"nb": "nb_NO", "nn": "nn_NO"}[lang], "-i", "utf-8",
                          "-l"], input="\n".join(sorted(words)), capture_output=True, text=True,
                         check=True).stdout
    assert set(out.split()) == set()


def test_pdf_footer_numbers_every_page(pdf: tuple[str, bytes]) -> None:
    """The running footer (a string() margin box fed from <body>) is on every page."""
    _, data = pdf
    text = pdftotext(data)
    pages = len(re.findall(r"Side \d+ av (\d+)", text))
    total = int(re.search(r"Side 1 av (\d+)", text).group(1))  # type: ignore[union-attr]
    assert pages == total >= 2
