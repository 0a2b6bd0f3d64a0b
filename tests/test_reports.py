"""Annual report templates (DOCX) and repayment claims (PDF and DOCX), read back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import docx
import pytest

from grantdocs.decide.repayment import repayment_claim as make_claim
from grantdocs.errors import NotApplicable
from grantdocs.letters import LetterRenderer
from grantdocs.reports import render_repayment_claim, render_report_template
from tests.helpers import (
    SAMPLES,
    cli,
    docx_text,
    flat,
    make_case,
    manifest,
    pdftotext,
    unknown_words,
)

SECTIONS = {
    "nb": ["Sammendrag", "Gjennomførte aktiviteter", "Resultater", "Frivillig innsats",
           "Samarbeidspartnere", "Erfaringsdeling og overføringsverdi", "Avvik og endringer",
           "Risiko", "Underskrift"],
    "nn": ["Samandrag", "Gjennomførte aktivitetar", "Resultat", "Frivillig innsats",
           "Samarbeidspartnarar", "Erfaringsdeling og overføringsverdi", "Avvik og endringar",
           "Risiko", "Underskrift"],
}


@pytest.mark.parametrize("lang", ["nb", "nn"])
@pytest.mark.parametrize(("amount", "audit"), [(250_000, True), (60_000, False)])
def test_report_template_is_prefilled_in_the_recipients_language(
    renderer: LetterRenderer, lang: str, amount: int, audit: bool
) -> None:
    case = make_case("granted", lang, requested=amount)
    data = render_report_template(case, renderer)
    document = docx.Document(BytesIO(data))
    styles = docx.Document(BytesIO(data)).styles.element.xml
    assert f'w:val="{lang}-NO"' in styles
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for section in SECTIONS[lang]:
        assert any(section in h for h in headings), (section, headings)
    guidance = [p for p in document.paragraphs if p.style.name == "Guidance"]
    assert len(guidance) >= 6
    text = flat(docx_text(data))
    for value in ("Sámi Searvi Ŋuvttat", "974 760 673", "22/00123-4", f"kr {amount:,}".replace(
            ",", " "), "Delmål A", "Delmål B", "1. mars 2023"):
        assert value in text, value
    assert "40 delta" in text  # the result goals from the application pre-fill the table
    assert ("revidert av statsautorisert eller registrert revisor" in text) is audit
    assert unknown_words(docx_text(data), lang) == set()


def test_no_report_template_for_a_rejection(renderer: LetterRenderer) -> None:
    with pytest.raises(NotApplicable):
        render_report_template(make_case("rejected", "nb"), renderer)


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_repayment_claim_has_amount_reasons_and_appeal(renderer: LetterRenderer, lang: str) -> None:
    case = make_case("granted", lang)
    claim = make_claim(case, Decimal("37500"), received=dt.date(2023, 2, 20),
                       claim_date=dt.date(2023, 3, 10))
    assert claim.due == dt.date(2023, 4, 9) and claim.spent == Decimal("412500")
    pdf = flat(pdftotext(render_repayment_claim(case, claim, "pdf", renderer)))
    word = flat(docx_text(render_repayment_claim(case, claim, "docx", renderer)))
    appeal = {"nb": ["Klage", "tre uker", "§ 28", "Arbeids- og inkluderingsdepartementet"],
              "nn": ["Klage", "tre veker", "§ 28", "Arbeids- og inkluderingsdepartementet"]}
    reasons = {"nb": "Begrunnelse", "nn": "Grunngjeving"}[lang]
    for text in (pdf, word):
        for value in ["kr 37 500", "kr 412 500", "kr 450 000", "7694 05 12308", "9. april 2023",
                      "10.03.2023", "15. mars 2022", reasons, *appeal[lang]]:
            assert value in text, (lang, value)
    assert unknown_words(pdf, lang) == set()


def test_no_claim_without_unspent_money() -> None:
    with pytest.raises(NotApplicable):
        make_claim(make_case("granted", "nb"), Decimal(0), received=dt.date(2023, 2, 1),
                   claim_date=dt.date(2023, 2, 2))


@pytest.mark.usefixtures("shared_pdf_renders")  # the demo's claim (tests/cli/test_commands.py)
def test_cli_repayment_claim(tmp_path: Path) -> None:
    """The command on the sample return (report templates through the CLI: tests/test_products)."""
    returned = next((SAMPLES / "returns").glob("*.xlsx"))
    run = cli("repayment-claim", "--decisions", SAMPLES / "decisions.json",
              "--return", returned, "--received", "20.02.2023", "--date", "06.03.2023",
              "--out", tmp_path / "c")
    assert run.exit_code == 0, run.output
    claims = sorted(p.suffix for p in (tmp_path / "c").glob("*_tilbakebetaling.*"))
    assert claims == [".docx", ".pdf"]
    assert manifest(tmp_path / "c")["summary"]["written"] == 2
    pdf = next((tmp_path / "c").glob("*.pdf")).read_bytes()
    word = next((tmp_path / "c").glob("*.docx")).read_bytes()
    for text in (flat(pdftotext(pdf)), flat(docx_text(word))):
        assert "kr 29 000" in text and "Klagerett" in text and "5. april 2023" in text


@pytest.mark.slow
def test_libreoffice_opens_the_report_template(libreoffice_pdfs: dict[str, Path]) -> None:
    """soffice converting the DOCX is the independent proof that Office software can open it
    (the session's one LibreOffice run converts it with the other documents)."""
    text = flat(pdftotext(libreoffice_pdfs["report-partial-nn.docx"].read_bytes()))
    assert "Årsrapport for tilskot" in text and "Side 1 av" in text
