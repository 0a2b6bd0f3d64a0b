"""Issuer profiles: who makes the decisions, as a data file.

A profile (TOML) holds what differs between IMDi and each of the municipalities
that run part of the scheme: names in both written forms, address, organisation
and account numbers, the logo, signatories and caseworkers, the appeal body and
the section it follows from, and the language policy. ``grantdocs issuer init``
writes one to fill in (``data/issuer-template.toml``, every field commented);
the README has a table of the fields.

A profile is checked as a whole when it is loaded: every wrong field is named
as it is written in the file (:func:`issuer_problems`), and nothing is made
with a profile that has one (:func:`load_issuer` raises ConfigError).
"""

from __future__ import annotations

import difflib
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, StringConstraints, ValidationError, model_validator

from grantdocs import messages as M
from grantdocs import messages_issuer as I
from grantdocs.catalog import Text
from grantdocs.datafiles import Localized, _Data, _load_toml, file_stamp
from grantdocs.errors import ConfigError
from grantdocs.logo import LogoImage, LogoProblem, read_logo
from grantdocs.model import AccountNumber, Email, Language, OrgNumber, PostCode
from grantdocs.resources import DATA_DIR

DEFAULT_ISSUER = DATA_DIR / "issuers" / "imdi.toml"
ISSUER_TEMPLATE = DATA_DIR / "issuer-template.toml"

Filled = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class FilledLocalized(Localized):
    """A text in both written forms, neither of them empty."""

    nb: Filled
    nn: Filled


class LanguagePolicy(StrEnum):
    """Which written form the issuer's letters are in."""

    #: The recipient's (the Målform column, else the organisation's preference, else
    #: ``default_language``): what språklova § 15 asks of state bodies such as IMDi.
    RECIPIENT = "recipient"
    #: Always ``default_language``: a municipality that writes one form to everyone.
    OWN = "own"


class Signatory(_Data):
    name: Filled
    title: FilledLocalized


class Caseworker(_Data):
    """A caseworker's direct contact, printed in the reference block of their letters."""

    name: Filled
    phone: Filled | None = None
    email: Email | None = None


class Issuer(_Data):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")]
    name: FilledLocalized
    short_name: FilledLocalized
    unit: FilledLocalized | None = None
    org_number: OrgNumber
    address: tuple[Filled, ...] = Field(min_length=1)
    postcode: PostCode
    city: Filled
    phone: Filled | None = None
    email: Email | None = None
    web: Filled | None = None
    logo: str | None = Field(None, description="Image file, relative to the issuer file.")
    bank_account: AccountNumber | None = Field(
        None, description="Account that repayments are paid to.")
    default_language: Language = Field(
        Language.NB, description="The issuer's own written form.")
    language_policy: LanguagePolicy = LanguagePolicy.RECIPIENT
    signatories: tuple[Signatory, ...] = Field(min_length=1)
    caseworkers: tuple[Caseworker, ...] = ()
    appeal_body: FilledLocalized | None = Field(
        None, description="Overrides the scheme's appeal body (e.g. a municipal appeals board)."
    )
    appeal_section: Annotated[str, StringConstraints(
        strip_whitespace=True, pattern=r"^§ ?\d+[a-z]?( .{1,60})?$")] | None = Field(
        None, description="The section the appeal body follows from (fvl. § 28 andre ledd).")
    source_dir: Path | None = Field(None, exclude=True)

    @model_validator(mode="after")
    def _unique_names(self) -> Issuer:
        for what, names in (("signatories", [s.name for s in self.signatories]),
                            ("caseworkers", [c.name for c in self.caseworkers])):
            twice = sorted({n for n in names if names.count(n) > 1})
            if twice:
                raise ValueError(f"{what}: {', '.join(twice)} is listed twice")
        return self

    def logo_path(self) -> Path | None:
        """The logo file, inside the profile's folder (checked when the profile is loaded)."""
        image = self.logo_image()
        return image.path if image else None

    def logo_image(self) -> LogoImage | None:
        """The logo, read and checked (None when the profile has none)."""
        if self.logo is None or self.source_dir is None:
            return None
        try:
            return _logo(self.source_dir, self.logo, file_stamp(self.source_dir / self.logo))
        except LogoProblem as why:  # changed on disk since the profile was loaded
            raise ConfigError(M.COLUMN_PROBLEM(column=str(self.source_dir), problem=I.LOGO_PROBLEM(
                logo=repr(self.logo), problem=why.text))) from None

    def letter_language(self, requested: str | None) -> str:
        """The written form of a letter to a recipient who asked for ``requested`` (or nothing)."""
        if self.language_policy is LanguagePolicy.OWN or not requested:
            return self.default_language.value
        return Language(requested).value

    @property
    def internal_language(self) -> str:
        """The written form of documents for the issuer's own use (control checklists)."""
        return self.default_language.value

    def signatory_title(self, name: str, lang: str) -> str | None:
        """The title the profile gives ``name``; None for someone it does not know."""
        return next((s.title(lang) for s in self.signatories if s.name == name), None)

    def caseworker(self, name: str) -> Caseworker | None:
        return next((c for c in self.caseworkers if c.name == name), None)


@lru_cache(maxsize=16)
def _logo(folder: Path, name: str, stamp: tuple[int, int] | None) -> LogoImage:
    return read_logo(folder, name)


def issuer_file(path: Path | str | None) -> Path:
    """The issuer profile's file: a path, or the name of a bundled profile."""
    if path is None:
        return DEFAULT_ISSUER
    file = Path(path)
    bundled = DATA_DIR / "issuers" / f"{path}.toml"
    if not file.exists() and bundled.exists():
        return bundled
    return file


def load_issuer(path: Path | str | None = None) -> Issuer:
    """Load and check an issuer profile (IMDi by default); ConfigError lists every problem.

    ``path`` may also name a bundled profile: ``imdi`` or ``bjornafjorden``.
    """
    file = issuer_file(path)
    return _load_issuer(file, file_stamp(file), _logo_stamp(file))


def _logo_stamp(file: Path) -> tuple[int, int] | None:
    """The logo's stamp too, so a logo replaced on disk is checked again."""
    try:
        logo = _load_toml(file, "issuer").get("logo")
    except ConfigError:
        return None
    return file_stamp(file.parent / logo) if isinstance(logo, str) else None


@lru_cache(maxsize=16)
def _load_issuer(file: Path, stamp: tuple[int, int] | None,
                 logo_stamp: tuple[int, int] | None) -> Issuer:
    issuer, problems = issuer_problems(file)
    if problems or issuer is None:
        raise ConfigError(I.REPORT(
            head=I.ISSUER_UNUSABLE(file=str(file), problems=I.PROBLEMS(count=len(problems))),
            lines=M.joined(problems, "\n  "), check=I.CHECK_IT(file=str(file))))
    return issuer


def issuer_problems(file: Path) -> tuple[Issuer | None, list[Text]]:
    """The profile in ``file`` and what is wrong with it, each as ``field: what to do``.

    An unreadable file (missing, not TOML) raises ConfigError.
    """
    data = _load_toml(file, "issuer")
    problems: list[Text] = []
    issuer: Issuer | None = None
    try:
        issuer = Issuer.model_validate({**data, "source_dir": None})
    except ValidationError as exc:
        errors = exc.errors()
        locs = [tuple(e["loc"]) for e in errors]
        problems += [_problem(err, data) for err, loc in zip(errors, locs, strict=True)
                     if not any(len(o) > len(loc) and o[:len(loc)] == loc for o in locs)]
    logo = data.get("logo")
    if logo is not None:
        if not isinstance(logo, str):
            problems.append(I.ISSUER_LOGO_NOT_TEXT())
        else:
            try:
                read_logo(file.resolve().parent, logo)
            except LogoProblem as why:
                problems.append(I.LOGO_PROBLEM(logo=repr(logo), problem=why.text))
    if problems:
        return None, list(dict.fromkeys(problems))
    assert issuer is not None
    return issuer.model_copy(update={"source_dir": file.resolve().parent}), []


def _field_name(loc: tuple[int | str, ...]) -> str | Text:
    """A pydantic location as the field is written in the TOML file."""
    if len(loc) >= 2 and isinstance(loc[1], int) and loc[0] in ("signatories", "caseworkers"):
        rest = ".".join(str(p) for p in loc[2:])
        if rest:
            return I.TABLE_ITEM_FIELD(table=str(loc[0]), number=loc[1] + 1, field=rest)
        return I.TABLE_ITEM(table=str(loc[0]), number=loc[1] + 1)
    if len(loc) >= 2 and isinstance(loc[1], int):
        return I.LIST_LINE(field=str(loc[0]), number=loc[1] + 1)
    return ".".join(str(p) for p in loc) or I.WHOLE_FILE()


def _raw(data: Any, loc: tuple[int | str, ...]) -> Any:
    """The value at ``loc`` as the file has it (None when it has none)."""
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _problem(err: Any, data: dict[str, Any]) -> Text:
    loc = tuple(err["loc"])
    name = _field_name(loc)
    raw = _raw(data, loc)
    if isinstance(raw, str) and not raw.strip():
        return I.ISSUER_EMPTY(field=name)
    kind, message = err["type"], str(err["msg"]).removeprefix("Value error, ")
    if kind == "extra_forbidden":
        known = [f for f in Issuer.model_fields if f != "source_dir"]
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        if close:
            return I.ISSUER_NOT_A_FIELD(field=name, close=repr(close[0]))
        return I.ISSUER_NOT_A_FIELD_NO_MATCH(field=name)
    if kind == "missing":
        return I.ISSUER_MISSING(field=name)
    if kind in ("string_too_short", "too_short"):
        return I.ISSUER_EMPTY(field=name)
    if loc == ("language_policy",):
        return I.ISSUER_LANGUAGE_POLICY(field=name, problem=message)
    if loc == ("appeal_section",):
        return I.ISSUER_APPEAL_SECTION(field=name)
    if loc == ("id",):
        return I.ISSUER_ID(field=name)
    if (own := M.by_code(kind)) is not None:  # a model validator's message, with its values
        ctx = dict(err.get("ctx") or {})
        return M.in_column(name, own(**{key: str(v) for key, v in ctx.items()}))
    return I.ISSUER_INVALID(field=name, problem=message)
