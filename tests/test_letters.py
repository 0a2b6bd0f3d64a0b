"""Every letter kind in both written forms, read back by independent readers."""

from __future__ import annotations

import subprocess
from io import BytesIO
from pathlib import Path

import pytest

from grantdocs.letters import LetterRenderer
from grantdocs.resources import TEMPLATES_DIR
from tests.helpers import docx_text, flat, make_case, pdftotext, rendered, require_tool

KINDS = ("granted", "partial", "rejected")
LANGS = ("nb", "nn")

# What a reader must find in each letter, per written form.
COMMON = {
    "nb": ["Integrerings- og mangfoldsdirektoratet", "Vår referanse", "Deres referanse",
           "22/00123-4", "S-2022-0042", "15.03.2022", "Sámi Searvi Ŋuvttat", "Storgata 33 A",
           "0184 Oslo", "Vedtak", "Med vennlig hilsen", "Ingrid Haaland", "Ola Søreide",
           "elektronisk godkjent", "Side 1 av"],
    "nn": ["Integrerings- og mangfaldsdirektoratet", "Vår referanse", "Dykkar referanse",
           "22/00123-4", "S-2022-0042", "15.03.2022", "Sámi Searvi Ŋuvttat", "Storgata 33 A",
           "0184 Oslo", "Vedtak", "Med vennleg helsing", "Ingrid Haaland", "Ola Søreide",
           "elektronisk godkjent", "Side 1 av"],
}
GRANT = {  # §1: purpose/results, amount/payment/account, conditions, reporting, control, breach
    "nb": ["Formål og forventede resultater", "40 deltakere på språkkafeen", "Delmål A",
           "Utbetaling", "8601 11 17947", "1. april 2022", "Vilkår for tilskuddet",
           "samtykke", "Rapportering", "1. mars 2023", "årsrapport", "regnskap", "Kontroll",
           "Riksrevisjonen", "bevilgningsreglement § 10", "tilbakebetalt", "Akseptskjema",
           "Prosjektet skal samarbeide med kommunen"],
    "nn": ["Føremål", "40 deltakarar på språkkafeen", "Delmål A", "Utbetaling",
           "8601 11 17947", "1. april 2022", "Vilkår for tilskotet", "samtykke", "Rapportering",
           "1. mars 2023", "årsrapport", "rekneskap", "Kontroll", "Riksrevisjonen",
           "§ 10", "betalt tilbake", "Akseptskjema", "Prosjektet skal samarbeide med kommunen"],
}
REASONS_AND_APPEAL = {  # §2: reasons citing the criteria, and the full appeal information
    "nb": ["Begrunnelse", "tildelingskriteriene", "Tilskuddsrammen er begrenset",
           "Budsjettet er ikke realistisk", "sammenlignet med budsjettet", "Klage",
           "forvaltningsloven § 28", "tre uker", "§ 29", "§ 32",
           "Arbeids- og inkluderingsdepartementet", "klageinstans", "§§ 18 og 19"],
    "nn": ["Grunngjeving", "tildelingskriteria", "Tilskotsramma er avgrensa",
           "Budsjettet er ikkje realistisk", "samanlikna med budsjettet", "Klage",
           "forvaltningslova § 28", "tre veker", "§ 29", "§ 32",
           "Arbeids- og inkluderingsdepartementet", "klageinstans", "§§ 18 og 19"],
}
AUDIT = {"nb": "revidert av statsautorisert eller registrert revisor",
         "nn": "revidert av statsautorisert eller registrert revisor"}


def expected(kind: str, lang: str) -> list[str]:
    out = list(COMMON[lang])
    if kind in ("granted", "partial"):
        out += GRANT[lang]
    if kind in ("partial", "rejected"):
        out += REASONS_AND_APPEAL[lang]
    return out


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.usefixtures("shared_pdf_renders")  # the standard letters: one render per session
def test_letter_elements_pdf_and_docx(kind: str, lang: str) -> None:
    pdf_text = flat(pdftotext(rendered(kind, lang, "pdf")))
    word_text = flat(docx_text(rendered(kind, lang, "docx")))
    for phrase in expected(kind, lang):
        assert phrase in pdf_text, f"PDF {kind}/{lang} lacks {phrase!r}"
        if phrase != "Side 1 av":  # DOCX page numbers are fields computed by the word processor
            assert phrase in word_text, f"DOCX {kind}/{lang} lacks {phrase!r}"
    amount = "kr 450 000" if kind == "granted" else "kr 225 000"
    if kind != "rejected":
        assert amount in pdf_text and amount in word_text


@pytest.mark.usefixtures("shared_pdf_renders")  # the standard letters: one render per session
def test_rejection_has_no_grant_terms() -> None:
    text = flat(pdftotext(rendered("rejected", "nb", "pdf")))
    assert "avslå søknaden" in text
    for phrase in ("Akseptskjema", "Utbetaling", "Rapporteringsfrist"):
        assert phrase not in text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("amount", "required"), [(99_000, False), (100_000, True), (250_000, True)]
)
def test_audit_requirement_exactly_at_threshold(
    renderer: LetterRenderer, lang: str, amount: int, required: bool
) -> None:
    case = make_case("granted", lang, requested=amount)
    text = flat(pdftotext(renderer.render(case, "pdf")))
    assert (AUDIT[lang] in text) is required


def test_amounts_keep_non_breaking_spaces(renderer: LetterRenderer) -> None:
    import docx

    data = renderer.render(make_case("granted", "nb"), "docx")
    document = docx.Document(BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "kr\u00a0450\u00a0000" in cells
    assert "974\u00a0760\u00a0673" in cells
    html = renderer.render(make_case("granted", "nb"), "html").decode()
    assert "kr\u00a0450\u00a0000" in html and "8601\u00a011\u00a017947" in html


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_same_input_same_bytes(fmt: str) -> None:
    # two renderers: the session's (the letter other tests read, rendered once, maybe by another
    # process of the session) and a new one, which renders here
    first = rendered("partial", "nn", fmt)
    second = LetterRenderer().render(make_case("partial", "nn"), fmt)  # type: ignore[arg-type]
    assert first == second


def test_language_follows_recipient_then_issuer_default(renderer: LetterRenderer) -> None:
    nn = renderer.html(make_case("granted", "nn"))
    assert nn.language == "nn" and 'lang="nn-NO"' in nn.html
    no_preference = make_case("granted", "nb", organisation={"language": None})
    assert renderer.html(no_preference).language == "nb"  # IMDi writes Bokmål by default
    from grantdocs.scheme import load_issuer

    municipal = LetterRenderer(issuer=load_issuer("bjornafjorden"))
    letter = municipal.html(no_preference)
    assert letter.language == "nn"
    assert "Bjørnafjorden kommune" in letter.html
    assert "klagenemnda i Bjørnafjorden kommune" in municipal.html(
        make_case("rejected", "nn")).html


@pytest.mark.usefixtures("shared_pdf_renders")  # the standard letters: one render per session
def test_pdf_pages_look_like_a_letter(tmp_path: object) -> None:
    """Render page 1 to PNG, as a reader would see it: it must not be blank."""
    from pathlib import Path

    require_tool("pdftoppm")
    out = Path(str(tmp_path))
    pdf = out / "letter.pdf"
    pdf.write_bytes(rendered("partial", "nb", "pdf"))
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf),
                    str(out / "page")], check=True)
    png = next(out.glob("page*.png"))
    from PIL import Image

    with Image.open(png) as image:
        grey = image.convert("L")
        dark = sum(grey.histogram()[:128])
    assert dark > 2000, "page 1 is (nearly) blank"


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_words_put_together_in_python_come_from_the_theme(lang: str, tmp_path: Path) -> None:
    """A signer's default title and the unit of amounts in scheme texts are words of
    <lang>/_words.html, so an override folder changes them like any other word."""
    bundled = (TEMPLATES_DIR / lang / "_words.html").read_text("utf-8")
    default = "saksbehandler" if lang == "nb" else "sakshandsamar"
    theme = tmp_path / "theme" / lang
    theme.mkdir(parents=True)
    (theme / "_words.html").write_text(
        bundled.replace(f'caseworker_title = "{default}"', 'caseworker_title = "TITLEMARK"')
        .replace('amount_unit = "kroner"', 'amount_unit = "UNITMARK"'), "utf-8")
    # a caseworker the issuer profile has no title for; a grant above the audit threshold
    case = make_case("granted", lang, decision={"caseworker": "Kari Nordmann"})
    plain = LetterRenderer().render(case, "html", lang).decode()
    themed = LetterRenderer(templates=tmp_path / "theme").render(case, "html", lang).decode()
    assert f"<br>{default}</p>" in plain and "\u00a0kroner" in plain
    assert "<br>TITLEMARK</p>" in themed and "\u00a0UNITMARK" in themed
    assert f"<br>{default}</p>" not in themed and "\u00a0kroner" not in themed
