"""The Noark 5 arkivmelding beside each PDF letter (``grantdocs letters --archive``).

Every arkivmelding is read back with lxml and validated against the schema
shipped in tests/data/noark5 (KS Fiks Arkiv v1.0.10); its checksum and size are
compared with the PDF written beside it, and its content with the decisions.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from grantdocs.cli import cli
from tests.helpers import SAMPLES, make_case, pdftotext

SCHEMA_DIR = Path(__file__).parent / "data" / "noark5"
AM = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivmelding/opprett/v1"
MDK = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/metadatakatalog/v1"
NS = {"a": AM, "m": MDK}


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(
        str(SCHEMA_DIR / "no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett.xsd")))


def _letters(*args: str) -> None:
    result = CliRunner().invoke(cli, ["letters", *args, "-q"], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def _manifest(out: Path) -> list[dict[str, object]]:
    return list(json.loads((out / "manifest.json").read_text("utf-8"))["outputs"])


def _code(element: etree._Element, path: str) -> tuple[str, str]:
    node = element.find(path, NS)
    assert node is not None, path
    return node.findtext("m:kode", namespaces=NS), node.findtext("m:beskrivelse", namespaces=NS)


@pytest.mark.slow
def test_every_sample_letter_has_a_valid_arkivmelding_matching_its_pdf(
        sample_letters: Path, schema: etree.XMLSchema) -> None:
    out = sample_letters  # `letters samples/decisions.json --archive -j 2` (conftest.py)
    cases = {c["decision"]["case_number"]: c
             for c in json.loads((SAMPLES / "decisions.json").read_text("utf-8"))["cases"]}
    rows = {r["path"]: r for r in _manifest(out) if r["status"] == "written"}
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == len(cases) == 24

    for pdf in pdfs:
        xml_file = out / f"{pdf.stem}.arkivmelding.xml"
        data = xml_file.read_bytes()
        doc = etree.fromstring(data)
        assert schema.validate(doc), f"{xml_file.name}: {schema.error_log.last_error}"
        # the engine wrote it as an output of the same job, and the manifest vouches for it
        row = rows[xml_file.name]
        assert row["kind"] == "arkivmelding" and row["format"] == "xml"
        assert row["sha256"] == hashlib.sha256(data).hexdigest()
        assert row["reference"] == rows[pdf.name]["reference"]

        pdf_bytes = pdf.read_bytes()
        obj = doc.find("a:registrering/a:dokumentbeskrivelse/a:dokumentobjekt", NS)
        assert obj.findtext("a:sjekksum", namespaces=NS) == hashlib.sha256(pdf_bytes).hexdigest()
        assert obj.findtext("a:sjekksumAlgoritme", namespaces=NS) == "SHA256"
        assert int(obj.findtext("a:filstoerrelse", namespaces=NS)) == len(pdf_bytes)
        assert obj.findtext("a:referanseDokumentfil", namespaces=NS) == pdf.name
        assert _code(obj, "a:variantformat") == ("A", "Arkivformat")
        assert _code(obj, "a:format") == ("fmt/476", "PDF/A-2a")

        entry = doc.find("a:registrering", NS)
        reference = entry.findtext("a:registreringsID", namespaces=NS)
        case = cases[reference]
        text = pdftotext(pdf_bytes)
        assert reference in text  # the letter itself carries the reference
        assert "Side 1 av" in text  # the footer's page numbers
        assert _code(entry, "a:journalposttype") == ("U", "Utgående dokument")
        approved = case["decision"].get("approver")
        assert _code(entry, "a:journalstatus")[0] == ("G" if approved else "F")
        assert _code(entry, "a:dokumentbeskrivelse/a:tilknyttetRegistreringSom") == (
            "H", "Hoveddokument")

        folder = doc.find("a:mappe", NS)
        assert folder.findtext("a:mappeID", namespaces=NS) == reference.rsplit("-", 1)[0]
        assert folder.findtext("a:tittel", namespaces=NS).endswith(" 2022")
        assert (entry.findtext("a:referanseForelderMappe/m:systemID", namespaces=NS)
                == folder.findtext("a:systemID", namespaces=NS))
        assert folder.findtext("a:saksansvarlig/m:navn", namespaces=NS) == (
            case["decision"]["caseworker"])

        parties = {_code(p, "a:korrespondanseparttype")[1]: p
                   for p in entry.findall("a:korrespondansepart", NS)}
        recipient = parties["Mottaker"]
        assert recipient.findtext("a:korrespondansepartNavn", namespaces=NS) == (
            case["organisation"]["name"])
        assert recipient.findtext("a:organisasjonid", namespaces=NS) == (
            case["organisation"]["org_number"])
        assert parties["Intern avsender"].findtext("a:saksbehandler/m:navn", namespaces=NS) == (
            case["decision"]["caseworker"])
        flow = entry.find("a:dokumentflyt", NS)
        if approved:
            assert flow.findtext("a:flytTil", namespaces=NS) == approved
            assert _code(flow, "a:flytStatus") == ("G", "Godkjent")
        else:
            assert flow is None


def _two_cases(folder: Path) -> Path:
    cases = [make_case("granted").model_dump(mode="json"),
             make_case("rejected", "nn", decision={"case_number": "22/00124-2",
                                                   "approver": None}).model_dump(mode="json")]
    path = folder / "two.json"
    path.write_text(json.dumps({"cases": cases}, ensure_ascii=False), "utf-8")
    return path


# the same two letters, regenerated five times: rendered once (tests.helpers.pdf_renders_shared)
@pytest.mark.usefixtures("shared_pdf_renders")
def test_toggling_archive_regenerates_and_a_lost_file_is_made_again(tmp_path: Path) -> None:
    source, out = _two_cases(tmp_path), tmp_path / "out"

    def run(*extra: str) -> dict[str, str]:
        _letters(str(source), "--out", str(out), "-j", "1", *extra)
        return {str(r["path"]): str(r["status"]) for r in _manifest(out)}

    plain = run()
    assert set(plain.values()) == {"written"} and len(plain) == 2
    archived = run("--archive")
    assert sorted(archived.values()) == ["written"] * 4  # the option is part of the input
    assert sum(p.endswith(".arkivmelding.xml") for p in archived) == 2
    assert set(run("--archive").values()) == {"kept"}  # same input: same outputs, kept

    lost = next(out.glob("*.arkivmelding.xml"))
    lost.unlink()
    again = run("--archive")
    assert again[lost.name] == "written" and lost.is_file()

    off = run()
    assert set(off.values()) == {"written"} and len(off) == 2  # toggled off: regenerated


def test_archive_needs_pdf_letters(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["letters", str(_two_cases(tmp_path)), "--out",
                                      str(tmp_path / "out"), "--format", "docx", "--archive"])
    assert result.exit_code == 2
    assert "--archive needs PDF letters" in result.output
    assert not (tmp_path / "out").exists()


def test_hostile_text_stays_text_and_the_arkivmelding_stays_valid(
        schema: etree.XMLSchema) -> None:
    from grantdocs.decide.archive import archive_record
    from grantdocs.scheme import load_issuer, load_scheme
    from grantdocs.writers.arkivmelding import arkivmelding_xml

    name = 'Søstre & <Brødre> "Ŋ" \x01\x0b]]> 🎉'
    case = make_case("granted", organisation={"name": name},
                     application={"reference": "</deresReferanse><x/>"})
    pdf = b"%PDF-1.7 not really"
    def write() -> bytes:
        return arkivmelding_xml(archive_record(
            case, load_scheme(), load_issuer(), lang="nb", title="=1+1 <b>",
            case_title="{scheme}", pdf=pdf, file_name="a.pdf"))

    data = write()
    assert write() == data  # the same letter, the same identifiers and bytes
    doc = etree.fromstring(data)
    assert schema.validate(doc), schema.error_log.last_error
    recipient = doc.find("a:registrering/a:korrespondansepart", NS)
    assert recipient.findtext("a:korrespondansepartNavn", namespaces=NS) == (
        'Søstre & <Brødre> "Ŋ" ]]> 🎉')  # only what XML 1.0 cannot hold is dropped
    assert recipient.findtext("a:deresReferanse", namespaces=NS) == "</deresReferanse><x/>"
    assert doc.findtext("a:registrering/a:tittel", namespaces=NS) == "=1+1 <b>"
