"""The arkivmelding XML of an :class:`~grantdocs.decide.archive.ArchiveRecord`.

The format is KS Fiks Arkiv v1 ``arkivmelding.opprett`` (release v1.0.10), which
builds on the Noark 5 v5 metadata catalogue and, unlike eFormidling's older
``arkivmelding.xsd``, has room in the file object for its format, size and
checksum. Elements are written in the order the schema's sequences want; the
case file and the registry entry are ``mappe`` and ``registrering`` typed
``saksmappe`` and ``journalpost`` (``xsi:type``), the entry pointing at the
case file by its systemID. The standard library writes it: no dependency.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from grantdocs.decide.archive import (
    Approval,
    ArchiveRecord,
    CaseFile,
    Code,
    DocumentDescription,
    FileObject,
    Party,
    RegistryEntry,
)

NAMESPACE = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivmelding/opprett/v1"
METADATA = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/metadatakatalog/v1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_FILE = "no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett.xsd"
# What XML 1.0 cannot hold: control characters other than tab, LF, CR; lone surrogates; U+FFFE/F
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _q(tag: str, namespace: str = NAMESPACE) -> str:
    return f"{{{namespace}}}{tag}"


def _text(parent: ET.Element, tag: str, value: object | None,
          namespace: str = NAMESPACE) -> ET.Element | None:
    if value is None or value == "":
        return None
    element = ET.SubElement(parent, _q(tag, namespace))
    if isinstance(value, dt.datetime):
        element.text = value.isoformat(timespec="seconds")
    elif isinstance(value, dt.date):
        element.text = value.isoformat()
    else:
        element.text = _NOT_XML.sub("", str(value))
    return element


def _code(parent: ET.Element, tag: str, code: Code) -> None:
    element = ET.SubElement(parent, _q(tag))
    _text(element, "kode", code.code, METADATA)  # the children of metadata types are
    _text(element, "beskrivelse", code.description, METADATA)  # in the catalogue's namespace


def _person(parent: ET.Element, tag: str, name: str) -> None:
    _text(ET.SubElement(parent, _q(tag)), "navn", name, METADATA)


def _case_file(root: ET.Element, case: CaseFile) -> None:
    folder = ET.SubElement(root, _q("mappe"), {f"{{{XSI}}}type": "saksmappe"})
    _text(folder, "systemID", case.system_id)
    _text(folder, "mappeID", case.case_id)
    _text(folder, "tittel", case.title)
    _text(folder, "opprettetDato", case.created)
    _text(folder, "opprettetAv", case.created_by)
    _text(folder, "saksaar", case.year)
    _text(folder, "sakssekvensnummer", case.sequence)
    _text(folder, "saksdato", case.case_date)
    _person(folder, "administrativEnhet", case.unit)
    _person(folder, "saksansvarlig", case.responsible)
    _code(folder, "saksstatus", case.status)


def _file(parent: ET.Element, file: FileObject) -> None:
    obj = ET.SubElement(parent, _q("dokumentobjekt"))
    _text(obj, "systemID", file.system_id)
    _text(obj, "versjonsnummer", file.version)
    _code(obj, "variantformat", file.variant)
    _code(obj, "format", file.format)
    _text(obj, "mimeType", file.mime_type)
    _text(obj, "opprettetDato", file.created)
    _text(obj, "opprettetAv", file.created_by)
    _text(obj, "filnavn", file.file_name)
    _text(obj, "referanseDokumentfil", file.file_name)
    _text(obj, "sjekksum", file.checksum)
    _text(obj, "sjekksumAlgoritme", file.checksum_algorithm)
    _text(obj, "filstoerrelse", file.size)


def _document(parent: ET.Element, doc: DocumentDescription) -> None:
    element = ET.SubElement(parent, _q("dokumentbeskrivelse"))
    _text(element, "systemID", doc.system_id)
    _code(element, "dokumenttype", doc.document_type)
    _code(element, "dokumentstatus", doc.status)
    _text(element, "tittel", doc.title)
    _text(element, "forfatter", doc.author)
    _text(element, "opprettetDato", doc.created)
    _text(element, "opprettetAv", doc.created_by)
    _code(element, "tilknyttetRegistreringSom", doc.role)
    _text(element, "dokumentnummer", doc.number)
    _text(element, "tilknyttetDato", doc.attached)
    _text(element, "tilknyttetAv", doc.attached_by)
    _file(element, doc.file)


def _party(parent: ET.Element, party: Party) -> None:
    element = ET.SubElement(parent, _q("korrespondansepart"))
    _code(element, "korrespondanseparttype", party.kind)
    _text(element, "korrespondansepartNavn", party.name)
    _text(element, "organisasjonid", party.org_number)
    _text(element, "postadresse", party.address)
    _text(element, "postnummer", party.postcode)
    _text(element, "poststed", party.city)
    if party.country is not None:
        _code(element, "landkode", party.country)
    _text(element, "epostadresse", party.email)
    _text(element, "kontaktperson", party.contact)
    if party.unit:
        _person(element, "administrativEnhet", party.unit)
    if party.caseworker:
        _person(element, "saksbehandler", party.caseworker)
    _text(element, "deresReferanse", party.their_reference)
    if party.discharge is not None:
        discharge = ET.SubElement(element, _q("avskrivning"))
        _text(discharge, "avskrivningsdato", party.discharge.date)
        _person(discharge, "avskrevetAv", party.discharge.by)
        _code(discharge, "avskrivningsmaate", party.discharge.method)


def _approval(parent: ET.Element, approval: Approval) -> None:
    flow = ET.SubElement(parent, _q("dokumentflyt"))
    _text(flow, "flytTil", approval.to)
    _text(flow, "flytFra", approval.sender)
    _text(flow, "flytMottattDato", approval.received)
    _text(flow, "flytSendtDato", approval.sent)
    _code(flow, "flytStatus", approval.status)


def _entry(root: ET.Element, entry: RegistryEntry, case: CaseFile) -> None:
    element = ET.SubElement(root, _q("registrering"), {f"{{{XSI}}}type": "journalpost"})
    _text(element, "systemID", entry.system_id)
    _text(element, "opprettetDato", entry.created)
    _text(element, "opprettetAv", entry.created_by)
    parent = ET.SubElement(element, _q("referanseForelderMappe"))
    _text(parent, "systemID", case.system_id, METADATA)
    _document(element, entry.document)
    _text(element, "registreringsID", entry.entry_id)
    _text(element, "tittel", entry.title)
    _text(element, "forfatter", entry.document.author)
    for party in entry.parties:
        _party(element, party)
    _text(element, "journalpostnummer", entry.number)
    _code(element, "journalposttype", entry.entry_type)
    _code(element, "journalstatus", entry.status)
    _text(element, "journaldato", entry.entry_date)
    _text(element, "dokumentetsDato", entry.document_date)
    _text(element, "antallVedlegg", 0)
    if entry.approval is not None:
        _approval(element, entry.approval)


def arkivmelding_xml(record: ArchiveRecord) -> bytes:
    """The arkivmelding as UTF-8 XML bytes (the same record always gives the same bytes)."""
    ET.register_namespace("", NAMESPACE)
    ET.register_namespace("n5mdk", METADATA)
    ET.register_namespace("xsi", XSI)
    root = ET.Element(_q("arkivmelding"))
    _text(root, "system", record.system)
    _text(root, "antallFiler", record.file_count)
    _case_file(root, record.case_file)
    _entry(root, record.entry, record.case_file)
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    return data + b"\n"
