"""Typed, validated records: organisation, application, decision, and the case that ties them.

The model checks what is true of a record on its own: check digits, required
fields, shapes of values. What a *scheme* allows (limits, sub-goals, reasons) is
checked in :mod:`grantdocs.rules`, because that depends on data files. The model
imports nothing else from grantdocs but the registry of messages.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError
from stdnum.no import kontonr, orgnr

from grantdocs import messages as M

SCHEMA_VERSION = "1"

# Longest free text accepted in any field. Applicants' texts are long but not
# unbounded; a 100 000-character "title" is an error, not a letter.
MAX_TEXT = 20_000
MAX_NAME = 500


class Language(StrEnum):
    """Written form of Norwegian (språklova § 15: chosen per recipient)."""

    NB = "nb"
    NN = "nn"

    @property
    def tag(self) -> str:
        """The BCP 47 tag of the written form, for ``lang`` attributes and file properties."""
        return f"{self.value}-NO"


class DecisionKind(StrEnum):
    GRANTED = "granted"
    PARTIAL = "partial"
    REJECTED = "rejected"


class ApplicationKind(StrEnum):
    PROJECT = "project"
    MEASURE = "measure"


# Bidi embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069): in a name
# they make "Evil\u202egnp.exe" show as "Evilexe.png" (#18). Right-to-left text needs none
# of them: the bidi algorithm orders Arabic and Hebrew letters by itself.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _strip(value: Any) -> Any:
    if isinstance(value, str):
        value = _BIDI_CONTROLS.sub("", value).strip()
        return value or None
    return value


def _invalid(text: M.Text) -> PydanticCustomError:
    """A validator's error with its message's code as the error type and its values as context,
    so readers can show it in the user's language (:mod:`grantdocs.messages`)."""
    template = text.message.text
    return PydanticCustomError(text.code or "value_error", template, dict(text.values()))


def _check_orgnr(value: str) -> str:
    digits = re.sub(r"[\s.\u00a0-]", "", value)
    if not digits.isdigit() or len(digits) != 9:
        raise _invalid(M.ORG_NUMBER_DIGITS(value=repr(value)))
    if not orgnr.is_valid(digits):
        raise _invalid(M.ORG_NUMBER_CHECK(value=repr(value)))
    return digits


def _check_account(value: str) -> str:
    digits = re.sub(r"[\s.\u00a0-]", "", value)
    if not digits.isdigit() or len(digits) != 11:
        raise _invalid(M.ACCOUNT_DIGITS(value=repr(value)))
    if not kontonr.is_valid(digits):
        raise _invalid(M.ACCOUNT_CHECK(value=repr(value)))
    return digits


def _check_postcode(value: str) -> str:
    if not re.fullmatch(r"\d{4}", value):
        raise _invalid(M.POSTCODE_DIGITS(value=repr(value)))
    return value


def _check_email(value: str) -> str:
    if not re.fullmatch(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+", value):
        raise _invalid(M.NOT_EMAIL(value=repr(value)))
    return value


# The JSON Schema of a field says what its validator enforces, as far as a schema can:
# digits and separators, not the MOD11 check digit. A number where a text of digits is
# expected is read as that text by the JSON reader, so the schemas allow it too.
_SEPARATORS = r"[\s.\u00a0-]*"


def _digits_schema(count: int, what: str) -> WithJsonSchema:
    return WithJsonSchema({
        "anyOf": [
            {"type": "string", "pattern": f"^{_SEPARATORS}(?:[0-9]{_SEPARATORS}){{{count}}}$"},
            {"type": "integer", "minimum": 0, "maximum": 10**count - 1},
        ],
        "description": f"{what}: {count} digits; spaces and dots between them are allowed.",
    })


_AMOUNT_SCHEMA = WithJsonSchema({
    "anyOf": [
        {"type": "number", "minimum": 0, "maximum": 999_999_999_999.99},
        {"type": "string", "pattern": r"^[0-9]{1,12}(?:\.[0-9]{1,2})?$"},
    ],
    "description": "Kroner from 0, with at most 2 decimals (øre): a number or a decimal text.",
})

OrgNumber = Annotated[str, BeforeValidator(_strip), AfterValidator(_check_orgnr),
                      _digits_schema(9, "Organisation number")]
AccountNumber = Annotated[str, BeforeValidator(_strip), AfterValidator(_check_account),
                          _digits_schema(11, "Bank account number")]
PostCode = Annotated[str, BeforeValidator(_strip), AfterValidator(_check_postcode),
                     WithJsonSchema({"anyOf": [{"type": "string", "pattern": "^[0-9]{4}$"},
                                               {"type": "integer", "minimum": 0,
                                                "maximum": 9999}]})]
Email = Annotated[str, BeforeValidator(_strip), AfterValidator(_check_email),
                  WithJsonSchema({"type": "string",
                                  "pattern": r"^\s*[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+\s*$"})]
Name = Annotated[str, BeforeValidator(_strip), StringConstraints(min_length=1, max_length=MAX_NAME)]
Text = Annotated[str, BeforeValidator(_strip), StringConstraints(min_length=1, max_length=MAX_TEXT)]
Amount = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2), _AMOUNT_SCHEMA]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Organisation(_Record):
    """The applicant: a voluntary organisation."""

    org_number: OrgNumber = Field(description="Organisasjonsnummer, 9 digits with MOD11 check.")
    name: Name = Field(description="Registered name of the organisation.")
    address: Name | None = Field(None, description="Street or postbox address.")
    postcode: PostCode | None = Field(None, description="Postnummer, 4 digits.")
    city: Name | None = Field(None, description="Poststed.")
    contact_person: Name | None = Field(None, description="Kontaktperson.")
    email: Email | None = Field(None, description="E-post.")
    bank_account: AccountNumber | None = Field(
        None, description="Kontonummer, 11 digits with MOD11 check."
    )
    language: Language | None = Field(
        None, description="Preferred written form; the issuer's default when absent."
    )
    municipality: Name | None = Field(None, description="Kommune, for statistics.")
    county: Name | None = Field(None, description="Fylke, for statistics.")


class BudgetLine(_Record):
    """One line of the project budget in the application."""

    name: Name
    amount: Amount


class Application(_Record):
    """What the organisation applied for."""

    reference: Name | None = Field(
        None, description="The applicant's own reference (Deres/Dykkar referanse)."
    )
    title: Text = Field(description="Project or measure title.")
    kind: ApplicationKind = Field(ApplicationKind.PROJECT, description="project or measure.")
    sub_goals: tuple[Annotated[str, StringConstraints(min_length=1, max_length=20)], ...] = Field(
        default=(), description="Sub-goal codes of the scheme, e.g. ['A', 'C']."
    )
    amount_requested: Amount = Field(description="Søkt beløp, kroner.")
    annual_budget: Amount | None = Field(
        None, description="The project's annual budget, kroner (the scheme caps projects)."
    )
    date_applied: dt.date | None = Field(None, description="Søknadsdato.")
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    target_groups: tuple[Text, ...] = ()
    result_goals: tuple[Text, ...] = ()
    budget_lines: tuple[BudgetLine, ...] = ()

    @model_validator(mode="after")
    def _period_order(self) -> Application:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise _invalid(M.PERIOD_ENDS_BEFORE_START())
        return self


class Decision(_Record):
    """The administrative decision (enkeltvedtak) on one application."""

    case_number: Name = Field(description="Saksnummer: our reference (Vår referanse).")
    kind: DecisionKind = Field(description="granted, partial or rejected.")
    date: dt.date = Field(description="Vedtaksdato.")
    amount_granted: Amount = Field(Decimal(0), description="Innvilget beløp, kroner.",
                                   json_schema_extra={"default": 0})
    reason_codes: tuple[Annotated[str, StringConstraints(min_length=1, max_length=60)], ...] = (
        Field(default=(), description="Codes of the scheme's standard reasons.")
    )
    reason_text: Text | None = Field(None, description="Free-text reasons (begrunnelse).")
    conditions: tuple[Text, ...] = Field(default=(), description="Extra conditions (vilkår).")
    payment_date: dt.date | None = Field(None, description="Utbetalingsdato.")
    report_deadline: dt.date | None = Field(
        None, description="Rapporteringsfrist; the scheme's default when absent."
    )
    caseworker: Name = Field(description="Saksbehandler / sakshandsamar.")
    caseworker_phone: Name | None = Field(
        None, description="The caseworker's direct phone (else the issuer profile's).")
    caseworker_email: Email | None = Field(
        None, description="The caseworker's direct e-mail (else the issuer profile's).")
    approver: Name | None = Field(None, description="Godkjent av (budget authority).")


class Case(_Record):
    """One application and its decision: one letter."""

    organisation: Organisation
    application: Application
    decision: Decision
    language: Language | None = Field(
        None, description="Målform of the letter; overrides the organisation's preference."
    )

    @property
    def reference(self) -> str:
        return self.decision.case_number


class Round(_Record):
    """A JSON input file: a list of cases, optionally wrapped with a schema version."""

    schema_version: str = SCHEMA_VERSION
    cases: tuple[Case, ...]


JSON_SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = f"urn:grantdocs:schema:input:{SCHEMA_VERSION}"


def _standalone(schema: dict[str, Any], name: str) -> dict[str, Any]:
    return {"$schema": JSON_SCHEMA_DRAFT, "$id": f"{SCHEMA_ID}:{name}", **schema}


def _round_schema() -> dict[str, Any]:
    """Round's schema as the JSON reader reads a file: the version "1" (or 1), a "$schema"."""
    schema = Round.model_json_schema()
    properties = schema["properties"]
    properties["schema_version"] = {
        "enum": [SCHEMA_VERSION, int(SCHEMA_VERSION)], "default": SCHEMA_VERSION,
        "description": "The version of this format; grantdocs refuses any other.",
    }
    properties["$schema"] = {"type": "string", "description": "The schema the file follows."}
    return schema


def json_schema() -> dict[str, Any]:
    """The one JSON Schema (draft 2020-12) of a JSON input file.

    A file is a round (``{"schema_version": "1", "cases": [...]}``) or a bare list
    of cases; every model is under ``$defs``. Patterns, minimums and enumerations
    say what validation enforces (the check digits of organisation and account
    numbers, and the scheme's rules, are checked by grantdocs only).
    """
    round_schema = _round_schema()
    defs = round_schema.pop("$defs")
    defs["Round"] = round_schema
    return {
        "$schema": JSON_SCHEMA_DRAFT,
        "$id": SCHEMA_ID,
        "title": "grantdocs input",
        "description": "Cases for grantdocs: a round with a schema version, or a list of cases.",
        "anyOf": [
            {"$ref": "#/$defs/Round"},
            {"type": "array", "items": {"$ref": "#/$defs/Case"}},
        ],
        "$defs": defs,
    }


def json_schemas() -> dict[str, Any]:
    """The JSON Schema of every input grantdocs reads, keyed by name, each on its own."""
    return {
        "case": _standalone(Case.model_json_schema(), "case"),
        "round": _standalone(_round_schema(), "round"),
    }
