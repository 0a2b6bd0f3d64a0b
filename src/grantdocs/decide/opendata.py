"""What a round's open data says: one :class:`Award` per granted or partially granted decision.

The same records feed both exports of :mod:`grantdocs.writers.opendata`: the
360Giving Data Standard (grant identifiers, organisations in the org-id form
``NO-BRC-<organisation number>``, NOK, the scheme as the grant programme) and
the columns tilskudd.no publishes (recipient, organisation number, amount,
scheme, year). Rejections are not awards and are left out; so is a decision
that grants nothing. The titles and descriptions come from
``templates/<lang>/open-data.toml``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from grantdocs.model import Case, DecisionKind
from grantdocs.scheme import Issuer, Scheme

CURRENCY = "NOK"
ORG_ID_PREFIX = "NO-BRC"  # org-id.guide: Norway, Brønnøysundregistrene (Enhetsregisteret)
AWARD_KINDS = frozenset({DecisionKind.GRANTED, DecisionKind.PARTIAL})


def org_id(org_number: str) -> str:
    """The org-id.guide identifier of a Norwegian organisation number: ``NO-BRC-974760673``."""
    return f"{ORG_ID_PREFIX}-{org_number}"


@dataclass(frozen=True, slots=True)
class Organisation:
    """An organisation as open data names it: org-id identifier, name, organisation number."""

    id: str
    name: str
    org_number: str


@dataclass(frozen=True, slots=True)
class Programme:
    """The scheme as a grant programme: its code (the scheme's id), title (with the round), name."""

    code: str
    title: str
    name: str


@dataclass(frozen=True, slots=True)
class Award:
    """One grant of the round."""

    id: str
    reference: str
    title: str
    description: str
    currency: str
    amount: Decimal
    award_date: dt.date
    year: int
    recipient: Organisation
    funder: Organisation
    programme: Programme


def is_award(case: Case) -> bool:
    """Whether the decision grants money (a grant or a partial grant of more than nothing)."""
    return case.decision.kind in AWARD_KINDS and case.decision.amount_granted > 0


def default_id_prefix(issuer: Issuer) -> str:
    """``360G-<issuer>``: the grant identifiers' prefix when none is registered with 360Giving."""
    return f"360G-{issuer.id}"


def round_awards(cases: Iterable[Case], scheme: Scheme, issuer: Issuer, *, lang: str,
                 labels: dict[str, str], id_prefix: str | None = None) -> tuple[Award, ...]:
    """The awards among ``cases``, in their order.

    ``labels`` is the ``[giving360]`` table of ``open-data.toml`` (``title`` and
    ``description`` templates); ``id_prefix`` goes before each reference in
    the grant's identifier (default: :func:`default_id_prefix`).
    """
    prefix = id_prefix if id_prefix is not None else default_id_prefix(issuer)
    funder = Organisation(org_id(issuer.org_number), issuer.name(lang), issuer.org_number)
    programme = Programme(scheme.id, f"{scheme.name(lang)} {scheme.year}", scheme.name(lang))
    awards = []
    for case in cases:
        if not is_award(case):
            continue
        org = case.organisation
        values = {"title": case.application.title, "scheme": scheme.name(lang),
                  "year": str(scheme.year), "organisation": org.name,
                  "reference": case.reference}
        awards.append(Award(
            id=f"{prefix}-{case.reference}",
            reference=case.reference,
            title=labels["title"].format(**values),
            description=labels["description"].format(**values),
            currency=CURRENCY,
            amount=case.decision.amount_granted,
            award_date=case.decision.date,
            year=scheme.year,
            recipient=Organisation(org_id(org.org_number), org.name, org.org_number),
            funder=funder,
            programme=programme,
        ))
    return tuple(awards)


def open_data_labels(lang: str, templates: Sequence[Path]) -> dict[str, dict[str, str]]:
    """The tables of ``<lang>/open-data.toml``: ``giving360`` and ``tilskudd``."""
    from grantdocs.render.labels import load_labels

    labels = load_labels("open-data.toml", lang, templates)
    return {table: {str(k): str(v) for k, v in labels[table].items()}
            for table in ("giving360", "tilskudd")}
