"""What the profile decides in the letters: the written form (language policy), the checklist's
form, the caseworker's direct contact (L12), the signers' titles (L13), the appeal section (L18).

Read back from the PDF (pdftotext) and the DOCX (python-docx), in nb and nn.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from grantdocs.decide.checklist import build_checklist
from grantdocs.issuer import DEFAULT_ISSUER, issuer_file, load_issuer
from grantdocs.letters import LetterRenderer
from grantdocs.readers import read_cases
from grantdocs.readers.accounts_return import read_accounts
from tests.helpers import SAMPLES, docx_text, flat, make_case, pdftotext, rendered

RETURN = SAMPLES / "returns" / "22-00133-5_Apen-dor-regnskap.xlsx"

CASEWORKERS = '''
[[caseworkers]]
name = "Ola Søreide"
phone = "24 16 88 12"
email = "ola.soreide@imdi.no"
'''

# Read back: a PDF some process of the session rendered already (the same letter for nb and
# None, the standard letters) is read from that render (tests.helpers.pdf_renders_shared).
pytestmark = pytest.mark.usefixtures("shared_pdf_renders")


@pytest.fixture(scope="module")
def with_caseworkers(tmp_path_factory: pytest.TempPathFactory) -> LetterRenderer:
    file = tmp_path_factory.mktemp("profile") / "imdi.toml"
    file.write_text(DEFAULT_ISSUER.read_text("utf-8") + CASEWORKERS, "utf-8")
    return LetterRenderer(issuer=load_issuer(file))


@pytest.mark.parametrize("asked", ["nb", "nn"])
def test_a_state_body_answers_in_the_recipients_form(asked: str) -> None:
    letter = LetterRenderer(issuer=load_issuer("imdi")).html(make_case("granted", asked))
    assert letter.language == asked


@pytest.mark.parametrize("asked", ["nb", "nn", None])  # the same letter for nb and None
def test_a_nynorsk_municipality_writes_nynorsk_to_everyone(asked: str | None) -> None:
    case = make_case("rejected", asked or "nb", organisation={"language": asked})
    case = case.model_copy(update={"language": asked})
    renderer = LetterRenderer(issuer=load_issuer("bjornafjorden"))
    letter = renderer.html(case)
    assert letter.language == "nn" and 'lang="nn-NO"' in letter.html
    text = flat(pdftotext(renderer.render(case, "pdf")))
    assert "forvaltningslova § 28 andre ledd" in text
    assert "til klagenemnda i Bjørnafjorden kommune" in text


def sample(reference: str):  # type: ignore[no-untyped-def]
    for record in read_cases(SAMPLES / "decisions.json"):
        if record.case is not None and record.case.reference == reference:
            return record.case
    raise LookupError(reference)


@pytest.mark.parametrize("issuer, lang", [("imdi", "nb"), ("bjornafjorden", "nn")])
def test_the_checklist_is_in_the_issuers_own_form(issuer: str, lang: str) -> None:
    case = sample("22/00133-5")
    accounts = read_accounts(RETURN, case)
    profile = load_issuer(issuer)
    checklist = build_checklist(case, accounts, dt.date(2023, 2, 20), issuer=profile)
    assert checklist.lang == lang == profile.internal_language


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_the_caseworkers_direct_contact_from_the_profile(with_caseworkers: LetterRenderer,
                                                         lang: str) -> None:
    case = make_case("granted", lang)  # caseworker Ola Søreide
    pdf = flat(pdftotext(with_caseworkers.render(case, "pdf")))
    assert "24 16 88 12" in pdf and "ola.soreide@imdi.no" in pdf
    docx = flat(docx_text(with_caseworkers.render(case, "docx")))
    assert "24 16 88 12" in docx and "ola.soreide@imdi.no" in docx


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_the_inputs_contact_wins_over_the_profile(with_caseworkers: LetterRenderer,
                                                  lang: str) -> None:
    case = make_case("granted", lang, decision={"caseworker_phone": "952 00 111",
                                                "caseworker_email": "ola@example.no"})
    pdf = flat(pdftotext(with_caseworkers.render(case, "pdf")))
    assert "952 00 111" in pdf and "ola@example.no" in pdf and "24 16 88 12" not in pdf
    docx = flat(docx_text(with_caseworkers.render(case, "docx")))
    assert "952 00 111" in docx and "ola@example.no" in docx


def test_the_contact_columns_are_read_from_a_sheet(tmp_path: Path) -> None:
    source = (SAMPLES / "decisions.csv").read_text("utf-8-sig").splitlines()
    sep = ";" if source[0].count(";") > source[0].count(",") else ","
    rows = [source[0] + f"{sep}Saksbehandlers telefon{sep}Sakshandsamars e-post",
            source[1] + f"{sep}24 16 88 12{sep}kari@imdi.no"]
    (tmp_path / "in.csv").write_text("\n".join(rows) + "\n", "utf-8")
    case = next(r.case for r in read_cases(tmp_path / "in.csv"))
    assert case is not None
    assert (case.decision.caseworker_phone, case.decision.caseworker_email) == (
        "24 16 88 12", "kari@imdi.no")


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_an_unknown_approver_gets_no_borrowed_title(lang: str) -> None:
    renderer = LetterRenderer(issuer=load_issuer("bjornafjorden"))
    case = make_case("granted", lang, decision={"approver": "Ingrid Haaland",
                                                "caseworker": "Per Ånund Tveit"})
    pdf = pdftotext(renderer.render(case, "pdf"))
    lines = [line.strip() for line in pdf.splitlines()]
    at = lines.index("Ingrid Haaland")
    assert "kommunalsjef" not in pdf  # the first signatory's title, never borrowed
    assert lines[at + 1] == "Per Ånund Tveit"
    assert lines[at + 2] == "rådgjevar"  # Bjørnafjorden writes Nynorsk to everyone
    docx = docx_text(renderer.render(case, "docx"))
    assert "kommunalsjef" not in docx and "Ingrid Haaland" in docx


def test_a_known_approver_keeps_their_title() -> None:
    # IMDi's profile is the default one: the session's standard letter (tests.helpers)
    assert issuer_file(None) == issuer_file("imdi") == DEFAULT_ISSUER
    pdf = flat(pdftotext(rendered("granted", "nn", "pdf")))
    assert "Ingrid Haaland avdelingsdirektør" in pdf
