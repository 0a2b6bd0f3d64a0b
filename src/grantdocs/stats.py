"""A round's allocation statistics, the way tilskudd.no prints them, as PDF/A or XLSX.

>>> stats = compute_stats(cases)  # doctest: +SKIP
>>> stats.ratio_text                # doctest: +SKIP
'27,7 %'
>>> pdf = render_stats(stats, "pdf", "nn")  # doctest: +SKIP

The headline figures follow tilskudd.no:

* **Omsøkt**: the sum of the amounts requested in every application;
* **Tildelt**: the sum of the amounts granted;
* **Innvilget**: Tildelt ÷ Omsøkt, as a percentage ("27,7 %");
* **Søkere**: distinct applicants, by organisation number;
* **Mottakere**: distinct applicants with at least one grant above zero;
* **Søknader**: applications (records);
* **Tildelinger**: grants (decisions with an amount above zero).

**Sub-goals.** An application may serve two sub-goals. It is counted, with its
full amounts, under *each* sub-goal it names, so the sub-goal rows add up to more
than the totals; the outputs say so in a note. Splitting the money between the
sub-goals would invent a split the application does not state. Applications that
name no sub-goal are counted under the key ``""`` ("no sub-goal").

The labels of the outputs (sheet names, column headers, the headline labels the
CLI prints) live beside the templates in ``templates/<lang>/stats.toml``; the
PDF's wording in ``templates/<lang>/stats.html``.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Literal

from markupsafe import Markup

from grantdocs import charts
from grantdocs.formatting import format_amount, format_number, format_percent, sorted_norwegian
from grantdocs.model import Case, DecisionKind
from grantdocs.writers.xlsx.cells import workbook_bytes

__all__ = [
    "SIZE_BINS",
    "Breakdown",
    "Recipient",
    "RoundStats",
    "SizeBin",
    "StatsFormat",
    "StatsLang",
    "compute_stats",
    "headline_lines",
    "load_labels",
    "render_stats",
    "stats_html",
]

StatsFormat = Literal["pdf", "xlsx"]
StatsLang = Literal["nb", "nn"]

# Lower bounds (kroner) of the grant-size bins; each bin runs to the next bound - 1.
SIZE_BINS: tuple[int, ...] = (0, 50_000, 100_000, 250_000, 500_000)

# Written into the PDF and the XLSX so that the same input gives the same bytes.
FIXED_TIME = dt.datetime(2022, 1, 1, 0, 0)


@dataclass(frozen=True)
class Breakdown:
    """One row of a breakdown: applications and grants under one key."""

    key: str
    applications: int = 0
    grants: int = 0
    requested: Decimal = Decimal(0)
    granted: Decimal = Decimal(0)

    @property
    def ratio(self) -> Decimal | None:
        return _ratio(self.granted, self.requested)


@dataclass(frozen=True)
class SizeBin:
    """Grants from ``low`` up to and including ``high`` kroner (``high`` None: no upper bound)."""

    low: int
    high: int | None
    count: int
    total: Decimal


@dataclass(frozen=True)
class Recipient:
    org_number: str
    name: str
    grants: int
    granted: Decimal


@dataclass(frozen=True)
class RoundStats:
    """Everything the statistics outputs show; build it with :func:`compute_stats`."""

    requested: Decimal
    granted: Decimal
    applicants: int
    recipients: int
    applications: int
    grants: int
    by_sub_goal: tuple[Breakdown, ...] = ()
    by_kind: tuple[Breakdown, ...] = ()
    by_county: tuple[Breakdown, ...] = ()
    by_municipality: tuple[Breakdown, ...] = ()
    sizes: tuple[SizeBin, ...] = ()
    recipient_list: tuple[Recipient, ...] = ()
    multi_goal_applications: int = 0
    year: int | None = None

    @property
    def ratio(self) -> Decimal | None:
        """Innvilget: granted ÷ requested (None when nothing was requested)."""
        return _ratio(self.granted, self.requested)

    @property
    def ratio_text(self) -> str:
        return format_percent(self.ratio) if self.ratio is not None else "–"

    def headline(self) -> dict[str, str]:
        """The seven figures, formatted, keyed by their label keys in stats.toml."""
        return {
            "requested": format_amount(self.requested),
            "granted": format_amount(self.granted),
            "ratio": self.ratio_text,
            "applicants": format_number(self.applicants),
            "recipients": format_number(self.recipients),
            "applications": format_number(self.applications),
            "grants": format_number(self.grants),
        }


def _ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole <= 0:
        return None
    return (part / whole).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


class _Tally:
    def __init__(self) -> None:
        self.applications = 0
        self.grants = 0
        self.requested = Decimal(0)
        self.granted = Decimal(0)

    def add(self, case: Case) -> None:
        self.applications += 1
        self.requested += case.application.amount_requested
        if case.decision.amount_granted > 0:
            self.grants += 1
            self.granted += case.decision.amount_granted

    def row(self, key: str) -> Breakdown:
        return Breakdown(key, self.applications, self.grants, self.requested, self.granted)


def _by(cases: Sequence[Case], keys: Callable[[Case], Iterable[str]]) -> dict[str, _Tally]:
    tallies: dict[str, _Tally] = {}
    for case in cases:
        for key in dict.fromkeys(keys(case)):
            tallies.setdefault(key, _Tally()).add(case)
    return tallies


def _rows_by_amount(tallies: dict[str, _Tally]) -> tuple[Breakdown, ...]:
    """Largest amount granted first, then most applications, then Norwegian order."""
    ordered = sorted_norwegian(tallies)
    ordered.sort(key=lambda k: (-tallies[k].granted, -tallies[k].applications))
    return tuple(tallies[k].row(k) for k in ordered)


def compute_stats(cases: Iterable[Case]) -> RoundStats:
    """The round's figures, breakdowns, grant sizes and recipients from its decisions."""
    items = list(cases)
    grants = [c for c in items if c.decision.amount_granted > 0]

    goals = _by(items, lambda c: c.application.sub_goals or ("",))
    goal_keys = sorted(goals, key=lambda k: (k == "", k))
    kinds = _by(items, lambda c: (c.decision.kind.value,))
    kind_keys = [k.value for k in DecisionKind if k.value in kinds]
    counties = _by(items, lambda c: (c.organisation.county or "",))
    municipalities = _by(items, lambda c: (c.organisation.municipality or "",))

    sizes = []
    for index, low in enumerate(SIZE_BINS):
        below = SIZE_BINS[index + 1] if index + 1 < len(SIZE_BINS) else None
        inside = [
            c.decision.amount_granted for c in grants
            if low <= c.decision.amount_granted and (below is None or c.decision.amount_granted
                                                     < below)
        ]
        high = below - 1 if below is not None else None
        sizes.append(SizeBin(low, high, len(inside), sum(inside, Decimal(0))))

    names: dict[str, str] = {}
    totals: dict[str, Decimal] = {}
    counts: dict[str, int] = {}
    for case in grants:
        number = case.organisation.org_number
        names.setdefault(number, case.organisation.name)
        totals[number] = totals.get(number, Decimal(0)) + case.decision.amount_granted
        counts[number] = counts.get(number, 0) + 1
    recipients = [Recipient(n, names[n], counts[n], totals[n]) for n in names]

    years = {c.decision.date.year for c in items}
    return RoundStats(
        requested=sum((c.application.amount_requested for c in items), Decimal(0)),
        granted=sum((c.decision.amount_granted for c in items), Decimal(0)),
        applicants=len({c.organisation.org_number for c in items}),
        recipients=len(names),
        applications=len(items),
        grants=len(grants),
        by_sub_goal=tuple(goals[k].row(k) for k in goal_keys),
        by_kind=tuple(kinds[k].row(k) for k in kind_keys),
        by_county=_rows_by_amount(counties) if set(counties) != {""} else (),
        by_municipality=_rows_by_amount(municipalities) if set(municipalities) != {""} else (),
        sizes=tuple(sizes),
        recipient_list=tuple(sorted_norwegian(recipients, key=lambda r: r.name)),
        multi_goal_applications=sum(len(c.application.sub_goals) > 1 for c in items),
        year=years.pop() if len(years) == 1 else None,
    )


# --- labels --------------------------------------------------------------------------


def load_labels(lang: str, templates: Path | str | None = None) -> dict[str, Any]:
    """``<lang>/stats.toml`` from the templates search path (an override folder first)."""
    from grantdocs.errors import TemplateError
    from grantdocs.render.environment import template_dirs

    if lang not in ("nb", "nn"):
        raise ValueError(f"unknown language {lang!r}: use 'nb' or 'nn'")
    for folder in template_dirs(templates):
        file = folder / lang / "stats.toml"
        if file.is_file():
            try:
                return tomllib.loads(file.read_text("utf-8"))
            except tomllib.TOMLDecodeError as exc:
                raise TemplateError(f"{file}: {exc}") from exc
    raise TemplateError(f"template not found: {lang}/stats.toml")


HEADLINE_KEYS = ("requested", "granted", "ratio", "applicants", "recipients", "applications",
                 "grants")


def headline_lines(stats: RoundStats, lang: str = "nb",
                   templates: Path | str | None = None) -> list[str]:
    """``["Omsøkt: kr 137 924 745", ...]``: the seven figures with the labels of ``lang``."""
    labels = load_labels(lang, templates)["headline"]
    values = stats.headline()
    return [f"{labels[k]}: {values[k]}" for k in HEADLINE_KEYS]


def _key_label(labels: dict[str, Any], table: str, key: str) -> str:
    if key == "":
        return str(labels["none"][table])
    if table == "sub_goal":
        return str(labels["sub_goal_label"]).format(code=key)
    if table == "kind":
        return str(labels["kinds"][key])
    return key


def _size_label(labels: dict[str, Any], size: SizeBin) -> str:
    if size.low == 0 and size.high is not None:
        return str(labels["size_under"]).format(high=format_number(size.high + 1))
    if size.high is None:
        return str(labels["size_over"]).format(low=format_number(size.low))
    return f"{format_number(size.low)}–{format_number(size.high)}"


# --- PDF -------------------------------------------------------------------------------


def _chart_rows(stats: RoundStats, labels: dict[str, Any]) -> dict[str, Markup]:
    """The SVG charts the PDF shows, keyed by name (markup built and escaped by charts)."""
    kr = labels["chart"]
    out = {
        "sub_goal": charts.bar_chart(
            [_key_label(labels, "sub_goal", b.key) for b in stats.by_sub_goal],
            [charts.Series(kr["requested"], [b.requested for b in stats.by_sub_goal]),
             charts.Series(kr["granted"], [b.granted for b in stats.by_sub_goal])],
            title=kr["sub_goal_title"], value_format=charts.kroner,
        ),
        "sizes": charts.column_chart(
            [_size_label(labels, s) for s in stats.sizes],
            [Decimal(s.count) for s in stats.sizes],
            title=kr["sizes_title"], axis_label=kr["sizes_axis"],
        ),
    }
    if stats.by_county:
        out["county"] = charts.bar_chart(
            [_key_label(labels, "county", b.key) for b in stats.by_county],
            [charts.Series(kr["granted"], [b.granted for b in stats.by_county])],
            title=kr["county_title"], value_format=charts.kroner,
        )
    return {name: Markup(svg) for name, svg in out.items()}


def stats_html(stats: RoundStats, lang: StatsLang = "nb", *,
               templates: Path | str | None = None, title: str | None = None,
               subtitle: str | None = None) -> str:
    """The statistics as one semantic HTML document with inline SVG charts.

    ``title`` replaces the title of ``stats.toml``; ``subtitle`` (the scheme and
    year, say) is printed under it.
    """
    from grantdocs.render.environment import render_template, template_dirs

    labels = load_labels(lang, templates)
    context = {
        "lang": lang,
        "lang_tag": {"nb": "nb-NO", "nn": "nn-NO"}[lang],
        "stats": stats,
        "labels": labels,
        "title": title or labels["title"],
        "subtitle": subtitle,
        "headline": [(labels["headline"][k], stats.headline()[k]) for k in HEADLINE_KEYS],
        "charts": _chart_rows(stats, labels),
        "key_label": lambda table, key: _key_label(labels, table, key),
        "size_label": lambda size: _size_label(labels, size),
        "created": FIXED_TIME.date().isoformat(),
    }
    return render_template(f"{lang}/stats.html", context, template_dirs(templates))


# --- XLSX ------------------------------------------------------------------------------

_KR = '"kr "#,##0'
_INT = "#,##0"
_PCT = "0.0 %"


def _xlsx(stats: RoundStats, labels: dict[str, Any], subtitle: str | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    sheets = labels["sheets"]
    cols = labels["columns"]
    bold = Font(bold=True)

    def table(ws: Worksheet, header: Sequence[str], rows: Iterable[Sequence[Any]],
              formats: Sequence[str | None]) -> None:
        ws.append(list(header))
        for cell in ws[ws.max_row]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        widths = [len(h) for h in header]
        for row in rows:
            ws.append(list(row))
            for column, (cell, fmt) in enumerate(zip(ws[ws.max_row], formats, strict=True)):
                if fmt:
                    cell.number_format = fmt
                widths[column] = max(widths[column], len(str(cell.value or "")) + 4)
        for column, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 12), 60)
        ws.freeze_panes = "A2"
        ws.sheet_view.showGridLines = True

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheets["headline"]
    raw = {
        "requested": (stats.requested, _KR), "granted": (stats.granted, _KR),
        "ratio": (stats.ratio, _PCT), "applicants": (stats.applicants, _INT),
        "recipients": (stats.recipients, _INT), "applications": (stats.applications, _INT),
        "grants": (stats.grants, _INT),
    }
    table(ws, [cols["figure"], cols["value"]],
          [(labels["headline"][k], raw[k][0]) for k in HEADLINE_KEYS], [None, None])
    for row, key in enumerate(HEADLINE_KEYS, start=2):
        ws.cell(row=row, column=2).number_format = raw[key][1]

    def breakdown(name: str, table_key: str, rows: Sequence[Breakdown], note: str = "") -> None:
        sheet = wb.create_sheet(name)
        table(sheet,
              [cols[table_key], cols["applications"], cols["grants"], cols["requested"],
               cols["granted"], cols["ratio"]],
              [(_key_label(labels, table_key, b.key), b.applications, b.grants, b.requested,
                b.granted, b.ratio) for b in rows],
              [None, _INT, _INT, _KR, _KR, _PCT])
        if note:
            sheet.append([])
            sheet.append([note])

    note = labels["sub_goal_note"] if stats.multi_goal_applications else ""
    breakdown(sheets["sub_goal"], "sub_goal", stats.by_sub_goal, note)
    breakdown(sheets["kind"], "kind", stats.by_kind)
    if stats.by_county:
        breakdown(sheets["county"], "county", stats.by_county)
    if stats.by_municipality:
        breakdown(sheets["municipality"], "municipality", stats.by_municipality)
    sizes = wb.create_sheet(sheets["sizes"])
    table(sizes, [cols["size"], cols["grants"], cols["granted"]],
          [(_size_label(labels, s), s.count, s.total) for s in stats.sizes], [None, _INT, _KR])
    people = wb.create_sheet(sheets["recipients"])
    table(people, [cols["recipient"], cols["org_number"], cols["grants"], cols["granted"]],
          [(r.name, r.org_number, r.grants, r.granted) for r in stats.recipient_list],
          [None, "@", _INT, _KR])
    for sheet in wb.worksheets:
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1

    wb.properties.creator = "grantdocs"
    wb.properties.title = f"{labels['title']} – {subtitle}" if subtitle else labels["title"]
    wb.properties.language = labels["lang_tag"]
    return workbook_bytes(wb, FIXED_TIME)


# --- the public entry point ------------------------------------------------------------


def render_stats(stats: RoundStats, fmt: StatsFormat = "pdf", lang: StatsLang = "nb", *,
                 templates: Path | str | None = None, subtitle: str | None = None) -> bytes:
    """The statistics as PDF/A-2a (tagged, inline SVG charts) or XLSX bytes, in nb or nn.

    ``templates`` is an override folder searched before the bundled templates;
    ``subtitle`` (e.g. the scheme's name and year) goes under the title.
    """
    if lang not in ("nb", "nn"):
        raise ValueError(f"unknown language {lang!r}: use 'nb' or 'nn'")
    if fmt == "xlsx":
        return _xlsx(stats, load_labels(lang, templates), subtitle)
    if fmt != "pdf":
        raise ValueError(f"unknown format {fmt!r}: use 'pdf' or 'xlsx'")
    from grantdocs.render.environment import template_dirs
    from grantdocs.writers.pdf import shared_writer

    writer = shared_writer(template_dirs(templates), stylesheet="stats.css")
    data: bytes = writer.write(stats_html(stats, lang, templates=templates, subtitle=subtitle))
    return data
