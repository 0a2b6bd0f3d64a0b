"""What the archive is told about one decision letter: a Noark 5 case, registry entry and file.

:func:`archive_record` decides, for one letter and its PDF/A bytes, the typed
:class:`ArchiveRecord` that :mod:`grantdocs.writers.arkivmelding` writes as an
``arkivmelding`` (KS Fiks Arkiv v1, ``arkivmelding.opprett``):

* the case file (*saksmappe*): the scheme and round as its title, the case
  number of the decision's reference (``22/00045`` of ``22/00045-3``), the
  caseworker as the one responsible;
* the registry entry (*journalpost*): an outgoing document, approved by the
  leader when the decision names an approver, with the grantee as the
  recipient (*korrespondansepart* "Mottaker"), the caseworker as the internal
  sender, the application answered by letter (*avskrivning*) and the approval
  as a document flow (*dokumentflyt*);
* the document description (*dokumentbeskrivelse*, the main document) and its
  file object (*dokumentobjekt*): archive variant, PDF/A-2a, size, SHA-256.

Every identifier (*systemID*) is a UUID derived from the issuer and the
reference, and every date from the decision, so the same letter always gives
the same record: an archive that receives it twice sees the same objects.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from grantdocs.model import Case
from grantdocs.resources import DATA_DIR
from grantdocs.scheme import Issuer, Scheme

SYSTEM = "grantdocs"
CHECKSUM_ALGORITHM = "SHA256"
PDF_MIME = "application/pdf"
ARCHIVE_SUFFIX = ".arkivmelding.xml"

# "22/00045-3": case year (2 or 4 digits), sequence number, document number
_CASE_NUMBER = re.compile(r"(\d{2}|\d{4})/(\d{1,7})(?:-(\d{1,5}))?")
_NAMESPACE = uuid.UUID("4f0b1c52-6f3e-5a8e-9d0a-3c1e2b7a9d41")  # grantdocs' own


@dataclass(frozen=True, slots=True)
class Code:
    """A Noark 5 code and its description, as the Fiks Arkiv code lists give them."""

    code: str
    description: str


@dataclass(frozen=True, slots=True)
class CaseFile:
    """The *saksmappe* the letter belongs to."""

    system_id: str
    case_id: str  # mappeID: the case number without the document number
    year: int | None
    sequence: int | None
    title: str
    case_date: dt.date
    created: dt.datetime
    created_by: str
    unit: str
    responsible: str
    status: Code


@dataclass(frozen=True, slots=True)
class Discharge:
    """*avskrivning*: the application answered by this letter."""

    date: dt.date
    by: str
    method: Code


@dataclass(frozen=True, slots=True)
class Party:
    """A *korrespondansepart*: the grantee (recipient) or the caseworker (internal sender)."""

    kind: Code
    name: str
    org_number: str | None = None
    address: str | None = None
    postcode: str | None = None
    city: str | None = None
    country: Code | None = None
    email: str | None = None
    contact: str | None = None
    unit: str | None = None
    caseworker: str | None = None
    their_reference: str | None = None
    discharge: Discharge | None = None


@dataclass(frozen=True, slots=True)
class FileObject:
    """The *dokumentobjekt*: the PDF/A file itself."""

    system_id: str
    version: int
    variant: Code
    format: Code
    mime_type: str
    created: dt.datetime
    created_by: str
    file_name: str
    checksum: str
    checksum_algorithm: str
    size: int


@dataclass(frozen=True, slots=True)
class DocumentDescription:
    """The *dokumentbeskrivelse* of the letter: the entry's main document."""

    system_id: str
    document_type: Code
    status: Code
    title: str
    author: str
    created: dt.datetime
    created_by: str
    role: Code
    number: int
    attached: dt.datetime
    attached_by: str
    file: FileObject


@dataclass(frozen=True, slots=True)
class Approval:
    """A *dokumentflyt*: the letter went from the caseworker to the approver, who approved it."""

    to: str
    sender: str
    received: dt.datetime
    sent: dt.datetime
    status: Code


@dataclass(frozen=True, slots=True)
class RegistryEntry:
    """The *journalpost* of the outgoing letter."""

    system_id: str
    entry_id: str  # registreringsID: the decision's reference
    title: str
    created: dt.datetime
    created_by: str
    entry_type: Code
    status: Code
    entry_date: dt.date
    document_date: dt.date
    number: int | None  # journalpostnummer: the "3" of 22/00045-3
    document: DocumentDescription
    parties: tuple[Party, ...]
    approval: Approval | None


@dataclass(frozen=True, slots=True)
class ArchiveRecord:
    """One arkivmelding: the case file and the registry entry of one letter."""

    system: str
    case_file: CaseFile
    entry: RegistryEntry

    @property
    def file_count(self) -> int:
        return 1


@lru_cache(maxsize=1)
def _codes_table() -> dict[str, Any]:
    with (DATA_DIR / "noark5" / "codes.toml").open("rb") as fh:
        return tomllib.load(fh)


def codes() -> dict[str, Code]:
    """The Noark 5 codes of ``data/noark5/codes.toml``, by their use."""
    return {key: Code(str(v["code"]), str(v["description"])) for key, v in _codes_table().items()}


def archive_name(pdf_name: str) -> str:
    """``<stem>.arkivmelding.xml`` beside ``<stem>.pdf``."""
    return f"{Path(pdf_name).stem}{ARCHIVE_SUFFIX}"


def _system_id(issuer: Issuer, reference: str, what: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{issuer.org_number}/{reference}/{what}"))


def _case_parts(reference: str) -> tuple[str, int | None, int | None, int | None]:
    """(case id, year, sequence number, document number) of a reference like 22/00045-3."""
    match = _CASE_NUMBER.fullmatch(reference.strip())
    if match is None:
        return reference, None, None, None
    year_text, sequence, number = match.groups()
    year = int(year_text) if len(year_text) == 4 else 2000 + int(year_text)
    return (f"{year_text}/{sequence}", year, int(sequence),
            int(number) if number is not None else None)


def archive_record(case: Case, scheme: Scheme, issuer: Issuer, *, lang: str, title: str,
                   case_title: str, pdf: bytes, file_name: str) -> ArchiveRecord:
    """The arkivmelding of one letter whose PDF/A bytes are ``pdf``, written as ``file_name``.

    ``title`` is the letter's own title (the registry entry's and the
    document's); ``case_title`` a template such as ``"{scheme} {year}"`` with
    the placeholders {scheme}, {year}, {organisation} and {reference}.
    """
    code = codes()
    decision, org, application = case.decision, case.organisation, case.application
    reference = case.reference
    case_id, year, sequence, number = _case_parts(reference)
    decided = dt.datetime.combine(decision.date, dt.time(12, 0))
    unit = (issuer.unit or issuer.name)(lang)
    caseworker = decision.caseworker

    case_file = CaseFile(
        system_id=_system_id(issuer, case_id, "saksmappe"),
        case_id=case_id, year=year, sequence=sequence,
        title=case_title.format(scheme=scheme.name(lang), year=scheme.year,
                                organisation=org.name, reference=reference),
        case_date=application.date_applied or decision.date,
        created=decided, created_by=caseworker, unit=unit, responsible=caseworker,
        status=code["saksstatus"],
    )
    file = FileObject(
        system_id=_system_id(issuer, reference, "dokumentobjekt"),
        version=1, variant=code["variantformat"], format=code["format"], mime_type=PDF_MIME,
        created=decided, created_by=caseworker, file_name=file_name,
        checksum=hashlib.sha256(pdf).hexdigest(), checksum_algorithm=CHECKSUM_ALGORITHM,
        size=len(pdf),
    )
    document = DocumentDescription(
        system_id=_system_id(issuer, reference, "dokumentbeskrivelse"),
        document_type=code["dokumenttype"], status=code["dokumentstatus"], title=title,
        author=caseworker, created=decided, created_by=caseworker,
        role=code["tilknyttetRegistreringSom"], number=1, attached=decided,
        attached_by=caseworker, file=file,
    )
    recipient = Party(
        kind=code["korrespondanseparttype"], name=org.name, org_number=org.org_number,
        address=org.address, postcode=org.postcode, city=org.city, country=code["landkode"],
        email=org.email, contact=org.contact_person, their_reference=application.reference,
        discharge=Discharge(decision.date, caseworker, code["avskrivningsmaate"]),
    )
    sender = Party(kind=code["internal_sender"], name=caseworker, unit=unit,
                   caseworker=caseworker)
    approval = None
    if decision.approver:
        approval = Approval(to=decision.approver, sender=caseworker, received=decided,
                            sent=decided, status=code["flytStatus"])
    entry = RegistryEntry(
        system_id=_system_id(issuer, reference, "journalpost"),
        entry_id=reference, title=title, created=decided, created_by=caseworker,
        entry_type=code["journalposttype"],
        status=code["journalstatus_approved" if decision.approver else "journalstatus_finished"],
        entry_date=decision.date, document_date=decision.date,
        number=number,
        document=document, parties=(recipient, sender), approval=approval,
    )
    return ArchiveRecord(SYSTEM, case_file, entry)


def letter_archive(case: Case, scheme: Scheme, issuer: Issuer, templates: Sequence[Path], *,
                   lang: str, title: str, pdf: bytes, file_name: str) -> ArchiveRecord:
    """:func:`archive_record` with the case title of ``<lang>/archive.toml`` in ``templates``."""
    from grantdocs.render.labels import load_labels

    labels = load_labels("archive.toml", lang, templates)
    return archive_record(case, scheme, issuer, lang=lang, title=title,
                          case_title=str(labels["case_title"]), pdf=pdf, file_name=file_name)
