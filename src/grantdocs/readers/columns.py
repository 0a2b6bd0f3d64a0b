"""The columns of a caseworker's spreadsheet, as data: header names -> model paths.

Every column maps to a dotted path into :class:`grantdocs.model.Case`
(``"organisation.org_number"``). Headers are matched case-insensitively and
ignoring surrounding whitespace; the model path itself and the bare field name
(when it is not ambiguous) are accepted as headers too, so a sheet exported from
JSON reads back.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from pydantic import BaseModel

from grantdocs.model import Case


@dataclass(frozen=True, slots=True)
class Column:
    """One input column: its model path, accepted headers and how to read a cell."""

    path: str
    headers: tuple[str, ...]  # the first is the canonical Norwegian header
    kind: str  # name of the coercion in grantdocs.readers.coerce.COERCERS
    what: str  # what the value is, for "fill in ..." messages


# fmt: off
COLUMNS: tuple[Column, ...] = (
    Column("decision.case_number", ("Saksnummer", "Vår referanse"), "text", "the case number"),
    Column("decision.kind", ("Vedtak",), "decision_kind",
           "the decision (innvilget, delvis innvilget or avslag)"),
    Column("decision.date", ("Vedtaksdato",), "date", "the date of the decision"),
    Column("language", ("Målform",), "language", "the written form (bokmål or nynorsk)"),
    Column("organisation.org_number", ("Organisasjonsnummer", "Org.nr.", "Orgnr"), "org_number",
           "the organisation number (9 digits)"),
    Column("organisation.name", ("Organisasjon", "Organisasjonsnavn", "Søker", "Søkjar"), "text",
           "the organisation's name"),
    Column("organisation.address", ("Adresse",), "text", "the address"),
    Column("organisation.postcode", ("Postnummer",), "postcode", "the postcode (4 digits)"),
    Column("organisation.city", ("Poststed",), "text", "the postal town"),
    Column("organisation.contact_person", ("Kontaktperson",), "text", "the contact person"),
    Column("organisation.email", ("E-post", "Epost"), "text", "the e-mail address"),
    Column("organisation.bank_account", ("Kontonummer",), "account",
           "the bank account number (11 digits)"),
    Column("organisation.language", (), "language", "the organisation's preferred written form"),
    Column("organisation.municipality", ("Kommune",), "text", "the municipality"),
    Column("organisation.county", ("Fylke",), "text", "the county"),
    Column("application.reference", ("Søknadsnummer", "Deres referanse", "Dykkar referanse"),
           "text", "the applicant's reference"),
    Column("application.title", ("Prosjekt", "Prosjektnavn", "Tittel"), "text",
           "the title of the project or measure"),
    Column("application.kind", ("Type",), "application_kind",
           "the kind of application (prosjekt or enkelttiltak)"),
    Column("application.sub_goals", ("Delmål",), "sub_goals", "the sub-goals, e.g. A, C"),
    Column("application.amount_requested", ("Søkt beløp",), "amount",
           "the amount applied for, in kroner"),
    Column("application.annual_budget",
           ("Budsjett", "Årsbudsjett", "Årleg budsjett", "Årlig budsjett"), "amount",
           "the project's annual budget, in kroner"),
    Column("application.date_applied", ("Søknadsdato",), "date", "the date of the application"),
    Column("application.period_start", ("Prosjektstart",), "date", "the project's start date"),
    Column("application.period_end", ("Prosjektslutt",), "date", "the project's end date"),
    Column("application.target_groups", ("Målgrupper",), "lines", "the target groups"),
    Column("application.result_goals", ("Resultatmål",), "lines", "the result goals"),
    Column("application.budget_lines", ("Budsjettposter",), "budget_lines",
           "the budget lines, e.g. 'Lønn: 200 000; Leie av lokale: 50 000'"),
    Column("decision.amount_granted", ("Innvilget beløp", "Innvilga beløp"), "amount",
           "the amount granted, in kroner"),
    Column("decision.reason_codes", ("Avslagsgrunner", "Avslagsgrunnar", "Grunnkoder"),
           "reason_codes", "the codes of the reasons"),
    Column("decision.reason_text", ("Begrunnelse", "Grunngjeving"), "text", "the reasons"),
    Column("decision.conditions", ("Vilkår",), "lines", "the conditions"),
    Column("decision.payment_date", ("Utbetalingsdato",), "date", "the payment date"),
    Column("decision.report_deadline", ("Rapporteringsfrist",), "date", "the report deadline"),
    Column("decision.caseworker", ("Saksbehandler", "Sakshandsamar"), "text",
           "the caseworker's name"),
    Column("decision.approver", ("Godkjent av", "Godkjend av"), "text",
           "the name of the approver"),
)
# fmt: on

BY_PATH: Mapping[str, Column] = MappingProxyType({c.path: c for c in COLUMNS})


def normalise_header(header: str) -> str:
    """The form headers are compared in: NFC, case-folded, inner whitespace collapsed,
    without a trailing unit "(kr)" or a trailing "*", ":" or "."."""
    text = unicodedata.normalize("NFC", header)
    text = re.sub(r"\s+", " ", text).strip().casefold()
    text = re.sub(r"\s*\((kr|nok|kroner)\.?\)$", "", text)  # "Søkt beløp (kr)"
    return text.rstrip("*:.").strip()


def _build_header_map() -> dict[str, str]:
    names: dict[str, str] = {}
    for column in COLUMNS:
        for header in (*column.headers, column.path):
            key = normalise_header(header)
            if key in names and names[key] != column.path:  # pragma: no cover - data error
                raise AssertionError(f"header {header!r} maps to two columns")
            names[key] = column.path
    leaves: dict[str, list[str]] = {}
    for column in COLUMNS:
        leaves.setdefault(column.path.rsplit(".", 1)[-1], []).append(column.path)
    for leaf, paths in leaves.items():
        key = normalise_header(leaf)
        if len(paths) == 1 and key not in names:
            names[key] = paths[0]
    return names


HEADERS: Mapping[str, str] = MappingProxyType(_build_header_map())


def path_for(header: str) -> str | None:
    """The model path a header names, or None for an unknown column."""
    return HEADERS.get(normalise_header(header))


def column_for(path: str) -> str:
    """The canonical Norwegian header of a model path (the path itself if it has none)."""
    column = BY_PATH.get(path)
    if column is None or not column.headers:
        return path
    return column.headers[0]


def _required_paths(model: type[BaseModel], prefix: str = "") -> list[str]:
    paths: list[str] = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if info.is_required():
                paths.extend(_required_paths(annotation, f"{path}."))
        elif info.is_required():
            paths.append(path)
    return paths


REQUIRED: tuple[str, ...] = tuple(p for p in _required_paths(Case) if p in BY_PATH)
"""Model paths a spreadsheet must have a column for."""


def what(path: str) -> str:
    """What the value at a model path is, for messages ("the case number")."""
    column = BY_PATH.get(path)
    return column.what if column else path
