"""Decide a round's allocation statistics, the way tilskudd.no prints them.

>>> stats = compute_stats(cases)  # doctest: +SKIP
>>> stats.ratio_text                # doctest: +SKIP
'27,7 %'
>>> pdf = render_stats(stats, "pdf", "nn")  # grantdocs.documents  # doctest: +SKIP

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

The figures are rendered as HTML (then PDF/A) in :mod:`grantdocs.render.stats`
and written as XLSX in :mod:`grantdocs.writers.xlsx.stats`. The labels of the
outputs (sheet names, column headers, the headline labels the CLI prints) live
beside the templates in ``templates/<lang>/stats.toml``; the PDF's wording in
``templates/<lang>/stats.html``.
"""


from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from grantdocs.formatting import format_amount, format_number, format_percent, sorted_norwegian
from grantdocs.model import Case, DecisionKind

__all__ = [
    "HEADLINE_KEYS",
    "SIZE_BINS",
    "Breakdown",
    "Recipient",
    "RoundStats",
    "SizeBin",
    "compute_stats",
]

# Lower bounds (kroner) of the grant-size bins; each bin runs to the next bound - 1.
SIZE_BINS: tuple[int, ...] = (0, 50_000, 100_000, 250_000, 500_000)

# The seven headline figures, in the order tilskudd.no shows them (keys in stats.toml).
HEADLINE_KEYS = ("requested", "granted", "ratio", "applicants", "recipients", "applications",
                 "grants")


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
