"""The findings of the legal and language review (../shared/reviews/2026-12-language.md), one
test each, named after the finding, read back from the PDF (pdftotext) and the DOCX
(python-docx), in Bokmål and Nynorsk, for IMDi (the national scheme) and for Bjørnafjorden
kommune (its own scheme file for the local part).

Each (issuer, written form, document) is rendered once per test process (``_texts`` is
cached) and every finding is asserted against the same text.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import cache
from io import BytesIO
from pathlib import Path

import pytest

from grantdocs.decide.checklist import Checklist, Status, build_checklist
from grantdocs.decide.repayment import repayment_claim
from grantdocs.documents import render_checklist
from grantdocs.errors import ConfigError
from grantdocs.model import Case
from grantdocs.readers.accounts_return import read_accounts
from grantdocs.render.document import DocumentRenderer
from grantdocs.reports import claim_case, render_report_template, repayment_claim_html
from grantdocs.resources import DATA_DIR
from grantdocs.scheme import load_issuer, load_scheme
from tests.helpers import cli, docx_text, flat, html_text, make_case, pdftotext, unknown_words
from tests.workbooks import RETURN, sample_cases

SCHEMES = DATA_DIR / "schemes"
MUNICIPAL = SCHEMES / "bjornafjorden-integreringsarbeid-2022.toml"
ISSUERS = ("imdi", "bjornafjorden")
LANGS = ("nb", "nn")
EVERY = [(issuer, lang) for issuer in ISSUERS for lang in LANGS]
DEADLINE = {"imdi": "31. januar 2022", "bjornafjorden": "15. februar 2022"}

# Wording, read back: a PDF some process of the session rendered already (the standard partial
# letter, the sample checklist) is read from that render (tests.helpers.pdf_renders_shared).
pytestmark = pytest.mark.usefixtures("shared_pdf_renders")


@cache
def _renderer(issuer: str) -> DocumentRenderer:
    scheme = load_scheme(MUNICIPAL) if issuer == "bjornafjorden" else load_scheme()
    return DocumentRenderer(scheme=scheme, issuer=load_issuer(issuer))


def _case(kind: str, lang: str) -> Case:
    if kind == "granted":  # over the audit threshold; target groups that begin with capitals
        groups = (["Nyankomne flyktninger", "Frivillige i nærmiljøet"] if lang == "nb"
                  else ["Nykomne flyktningar", "Frivillige i nærmiljøet"])
        return make_case("granted", lang, application={"target_groups": groups})
    if kind == "partial":  # a criterion not met beside limited funds (22/00139-2)
        return make_case("partial", lang)
    # a late application that also falls outside the sub-goals (22/00193-4, 22/00187-2)
    return make_case("rejected", lang, decision={
        "reason_codes": ["late-application", "outside-goals"], "reason_text": None},
        application={"date_applied": "2022-03-20"})


CLAIM_COSTS = (Decimal(430_000), Decimal(10_000), Decimal(7_500))  # 412 500 grant-funded


@cache
def _bytes(issuer: str, lang: str, kind: str, fmt: str) -> bytes:
    renderer = _renderer(issuer)
    if kind == "claim":
        case = _case("granted", lang)
        claim = repayment_claim(case, Decimal(37_500), received=dt.date(2023, 2, 20),
                                claim_date=dt.date(2023, 3, 10), costs=CLAIM_COSTS)
        doc = repayment_claim_html(renderer, case, claim, lang)
        return renderer.convert(doc, claim_case(case, claim), fmt)  # type: ignore[arg-type]
    if kind == "report":
        return render_report_template(_case("granted", lang), renderer, lang=lang)
    return renderer.render(_case(kind, lang), fmt, lang)  # type: ignore[arg-type]


@cache
def _pdf_text(issuer: str, lang: str, kind: str) -> str:
    """pdftotext's text of one document's PDF, as it prints it."""
    return pdftotext(_bytes(issuer, lang, kind, "pdf"))


@cache
def _texts(issuer: str, lang: str, kind: str) -> tuple[str, str]:
    """(PDF text, DOCX text) of one document, spaces folded."""
    return (flat(_pdf_text(issuer, lang, kind)),
            flat(docx_text(_bytes(issuer, lang, kind, "docx"))))


def both(issuer: str, lang: str, kind: str) -> tuple[str, str]:
    return _texts(issuer, lang, kind)


def _words(lang: str, nb: str, nn: str) -> str:
    return nb if lang == "nb" else nn


# --- MUST ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("issuer", "lang"), EVERY)
def test_L1_partial_grant_reasons_do_not_contradict(issuer: str, lang: str) -> None:
    """A criterion not met beside limited funds: no "the application meets the criteria", no
    "others meet the criteria better" (a rejection's reason), but why the amount was cut."""
    for text in both(issuer, lang, "partial"):
        assert _words(lang, "Budsjettet er ikke realistisk", "Budsjettet er ikkje realistisk") \
            in text
        for wrong in ("oppfyller kriteriene for ordningen", "oppfyller kriteria for ordninga",
                      "Andre søknader", "andre søknader oppfyller"):
            assert wrong not in text
        assert _words(lang, "vi har ikke kunnet gi hele beløpet dere søkte om",
                      "vi har ikkje kunna gi heile beløpet de søkte om") in text


@pytest.mark.parametrize(("issuer", "lang"), EVERY)
def test_L2_late_application_is_not_said_to_be_assessed(issuer: str, lang: str) -> None:
    assessed = _words(lang, "Vi har vurdert søknaden etter tildelingskriteriene",
                      "Vi har vurdert søknaden etter tildelingskriteria")
    for text in both(issuer, lang, "rejected"):
        assert f"Søknadsfristen var {DEADLINE[issuer]}" in text  # the facts (§ 25)
        assert _words(lang, "er derfor ikke vurdert", "er difor ikkje vurdert") in text
        assert assessed not in text
        assert "20. mars 2022" in text  # the date it came, in the opening
    for text in both(issuer, lang, "partial"):  # an assessed application still says so
        assert assessed in text


@pytest.mark.parametrize(("issuer", "lang"), EVERY)
def test_L10_claim_cites_the_grant_letter_instead_of_quoting_dette_brevet(
        issuer: str, lang: str) -> None:
    for text in both(issuer, lang, "claim"):
        assert _words(lang, "I tilskuddsbrevet står det at midler som ikke er brukt",
                      "I tilskotsbrevet står det at midlar som ikkje er brukte") in text
        for wrong in ("samsvar med dette brevet", "stanse utbetaling"):
            assert wrong not in text


@pytest.mark.parametrize("issuer", ISSUERS)
def test_N1_rekneskap_is_masculine(issuer: str) -> None:
    for text in both(issuer, "nn", "granted"):
        assert "ein prosjektrekneskap som er revidert" in text
        assert "eit prosjektrekneskap" not in text
    for text in both(issuer, "nb", "granted"):
        assert "et prosjektregnskap som er revidert" in text


# --- SHOULD --------------------------------------------------------------------------------


@pytest.mark.parametrize(("issuer", "lang"), EVERY)
def test_L5_appeal_reasons_are_optional(issuer: str, lang: str) -> None:
    for kind in ("granted", "rejected"):
        for text in both(issuer, lang, kind):
            assert _words(lang, "Skriv gjerne også hvorfor dere klager.",
                          "Skriv gjerne også kvifor de klagar.") in text
            assert _words(lang, "hvilken endring dere ønsker, jf. forvaltningsloven § 32",
                          "kva endring de ønskjer, jf. forvaltningslova § 32") in text
            for wrong in ("begrunne hvorfor", "grunngje kvifor", "Den skal vise til"):
                assert wrong not in text


@pytest.mark.parametrize(("issuer", "lang"), EVERY)
def test_L6_posting_rule_is_section_30(issuer: str, lang: str) -> None:
    for text in both(issuer, lang, "rejected"):
        assert _words(lang, "Det er nok at klagen er postlagt før fristen går ut, jf. § 30.",
                      "Det er nok at de postlegg klagen før fristen går ut, jf. § 30.") in text


@pytest.mark.parametrize(("issuer", "lang"), EVERY)
def test_L7_acceptance_has_a_date_and_payment_follows_it(issuer: str, lang: str) -> None:
    # decision 15 March, acceptance three weeks later; the planned payment (1 April) is earlier
    for text in both(issuer, lang, "granted"):
        assert _words(lang, "sende det til oss innen 5. april 2022",
                      "sende det til oss innan 5. april 2022") in text
        assert _words(lang, "når vi har mottatt det signerte akseptskjemaet, tidligst "
                            "1. april 2022", "når vi har fått det underteikna akseptskjemaet, "
                                             "tidlegast 1. april 2022") in text
        assert _words(lang, "innen tre uker", "innan tre veker") not in text
        assert _words(lang, "kan tilskuddet falle bort", "kan tilskotet falle bort") in text
    keep_appeal = _words(lang, "Dere kan ta imot tilskuddet og likevel klage på den delen av "
                               "søknaden som er avslått.",
                         "De kan ta imot tilskotet og likevel klage på den delen av søknaden "
                         "som er avslått.")
    for text in both(issuer, lang, "partial"):
        assert keep_appeal in text
    for text in both(issuer, lang, "granted"):
        assert keep_appeal not in text


@pytest.mark.parametrize("lang", LANGS)
def test_L7_payment_by_a_date_after_the_acceptance_deadline(lang: str) -> None:
    case = make_case("granted", lang, decision={"payment_date": "2022-04-30"})
    html = flat(_renderer("imdi").render(case, "html", lang).decode())
    assert _words(lang, "innen 30. april 2022, forutsatt at vi har mottatt det signerte "
                        "akseptskjemaet innen fristen",
                  "innan 30. april 2022, så sant vi har fått det underteikna akseptskjemaet "
                  "innan fristen") in html


@pytest.mark.parametrize(("issuer", "lang"), EVERY)
def test_L8_approved_budget_and_revised_plan(issuer: str, lang: str) -> None:
    for text in both(issuer, lang, "granted"):
        assert _words(lang, "Budsjettet i søknaden er det godkjente budsjettet",
                      "Budsjettet i søknaden er det godkjende budsjettet") in text
    for text in both(issuer, lang, "partial"):
        assert _words(lang, "Send oss et revidert budsjett og en revidert aktivitetsplan "
                            "sammen med akseptskjemaet innen 5. april 2022",
                      "Send oss eit revidert budsjett og ein revidert aktivitetsplan saman "
                      "med akseptskjemaet innan 5. april 2022") in text
        assert _words(lang, "resultatmålene dere har satt i søknaden, justert etter det "
                            "reviderte budsjettet",
                      "resultatmåla de har sett opp i søknaden, justerte etter det "
                      "reviderte budsjettet") in text


@pytest.mark.parametrize(("issuer", "lang"), EVERY)
def test_L3_limited_funds_alone_needs_a_sentence_about_the_application(
        issuer: str, lang: str) -> None:
    from grantdocs.rules import check_case

    scheme = _renderer(issuer).scheme
    thin = make_case("rejected", lang, decision={"reason_codes": ["limited-funds"],
                                                 "reason_text": None})
    warned = [i for i in check_case(thin, scheme) if i.text and i.text.code == "GD-W025"]
    assert len(warned) == 1 and not warned[0].is_error
    assert warned[0].location.field == "decision.reason_text"
    own = _words(lang, "Tre andre søknader om språkkafé i samme kommune når flere deltakere.",
                 "Tre andre søknader om språkkafé i same kommune når fleire deltakarar.")
    specific = make_case("rejected", lang, decision={"reason_codes": ["limited-funds"],
                                                     "reason_text": own})
    assert not [i for i in check_case(specific, scheme) if i.text and i.text.code == "GD-W025"]
    # two reasons are not "limited funds alone"
    two = make_case("rejected", lang, decision={
        "reason_codes": ["limited-funds", "weak-plan"], "reason_text": None})
    assert not [i for i in check_case(two, scheme) if i.text and i.text.code == "GD-W025"]
    # the letter names the prioritisation considerations and carries the sentence
    letter = flat(pdftotext(_renderer(issuer).render(specific, "pdf", lang)))
    assert own in letter
    assert _words(lang, "Vi har lagt vekt på hvor godt søknadene oppfyller "
                        "tildelingskriteriene, og på",
                  "Vi har lagt vekt på kor godt søknadene oppfyller tildelingskriteria, "
                  "og på") in letter


def test_L3_the_sample_limited_funds_rejection_says_why_and_validates_clean() -> None:
    answer = cli("validate", "samples/decisions.csv")
    assert answer.exit_code == 0, answer.output
    assert "GD-W025" not in answer.output


@pytest.mark.parametrize(("issuer", "lang"), EVERY)
def test_L14_one_definite_time_limit_for_using_the_grant(issuer: str, lang: str) -> None:
    for text in both(issuer, lang, "granted"):
        assert _words(lang, "Tilskuddet skal brukes innen prosjektperioden, senest "
                            "31. desember 2022. Trenger dere mer tid",
                      "Tilskotet skal brukast innan prosjektperioden, seinast "
                      "31. desember 2022. Treng de meir tid") in text
        assert _words(lang, "som hovedregel", "som hovudregel") not in text
        assert _words(lang, "tilskuddsåret", "tilskotsåret") not in text


@pytest.mark.parametrize(("issuer", "lang"), EVERY)
def test_L9_the_rule_for_unspent_funds_is_stated(issuer: str, lang: str) -> None:
    for text in both(issuer, lang, "granted"):
        assert _words(lang, "Tilskuddet dekker de faktiske kostnadene som ikke er dekket av "
                            "andre inntekter og egeninnsats.",
                      "Tilskotet dekkjer dei faktiske kostnadene som ikkje er dekte av andre "
                      "inntekter og eigeninnsats.") in text
        assert _words(lang, "som ubrukt tilskudd, opp til tilskuddsbeløpet",
                      "som ubrukt tilskot, opp til tilskotsbeløpet") in text
    for text in both(issuer, lang, "claim"):  # the claim shows the computation
        for value in ("kr 430 000", "kr 10 000", "kr 7 500", "kr 412 500", "kr 37 500",
                      _words(lang, "Minus andre inntekter", "Minus andre inntekter"),
                      _words(lang, "Kostnader dekket av tilskuddet",
                             "Kostnader dekte av tilskotet")):
            assert value in text


@pytest.mark.parametrize(("issuer", "lang"), EVERY)
def test_L11_claim_has_notice_postponement_and_interest(issuer: str, lang: str) -> None:
    for text in both(issuer, lang, "claim"):
        assert _words(lang, "Vedtak om tilbakebetaling av ubrukt tilskudd",
                      "Vedtak om tilbakebetaling av ubrukt tilskot") in text
        assert "krav om tilbakebetaling" not in text.lower()
        assert _words(lang, "ikke varslet dere om dette vedtaket på forhånd",
                      "ikkje varsla dykk om dette vedtaket på førehand") in text
        assert "§ 16 tredje ledd" in text and "§ 42" in text
        assert _words(lang, "forsinkelsesrente etter forsinkelsesrenteloven",
                      "forseinkingsrente etter forseinkingsrentelova") in text


@pytest.mark.parametrize(("issuer", "lang"), EVERY)
def test_L4_outside_goals_cites_no_assessment_criterion(issuer: str, lang: str) -> None:
    scheme = _renderer(issuer).scheme
    reason = scheme.reason("outside-goals")
    assert reason is not None and reason.criterion is None and not reason.assessed
    for text in both(issuer, lang, "rejected"):
        assert _words(lang, "faller utenfor delmålene A–C", "fell utanfor delmåla A–C") in text
        assert _words(lang, "Vi har lagt vekt på dette kriteriet",
                      "Vi har lagt vekt på dette kriteriet") not in text
        assert "Tydelig beskrivelse av målene" not in text
        assert "Tydeleg skildring av måla" not in text
    for text in both(issuer, lang, "partial"):  # a criterion-based reason still cites one
        assert "Vi har lagt vekt på dette kriteriet: «" in text


# --- the checklist (C1-C3) -----------------------------------------------------------------


@cache
def _checklist(issuer: str, lang: str) -> tuple[Checklist, str, list[str]]:
    """The control checklist of the sample return, with its PDF text and XLSX cells."""
    from openpyxl import load_workbook

    case = next(c for c in sample_cases() if c.reference == "22/00133-5")
    renderer = _renderer(issuer)
    checklist = build_checklist(case, read_accounts(RETURN, case), dt.date(2023, 2, 20),
                                renderer.scheme, lang=lang, issuer=renderer.issuer)
    pdf = flat(pdftotext(render_checklist(checklist, "pdf")))
    sheet = load_workbook(BytesIO(render_checklist(checklist, "xlsx"))).active
    cells = [flat(str(c.value)) for row in sheet.iter_rows() for c in row if c.value]
    return checklist, pdf, cells


def _rows(checklist: Checklist, key: str) -> list[tuple[str, Status, str]]:
    return [(r.check, r.status, r.figures) for r in checklist.rows if r.key == key]


@pytest.mark.parametrize(("issuer", "lang"), EVERY)
def test_C1_auditor_statement_is_for_a_person_to_judge(issuer: str, lang: str) -> None:
    checklist, pdf, cells = _checklist(issuer, lang)
    [(_, status, figures)] = _rows(checklist, "auditor")
    assert status is Status.MANUAL
    judge = _words(lang, "Saksbehandleren vurderer uttalelsen", "Sakshandsamaren vurderer "
                                                                "fråsegna")
    early = _words(lang, "Revisoruttalelsen er datert 10.02.2023, før regnskapet ble "
                         "underskrevet (12.02.2023)",
                   "Fråsegna frå revisor er datert 10.02.2023, før rekneskapen vart "
                   "underteikna (12.02.2023)")
    for text in (figures, pdf, " ".join(cells)):
        assert judge in text and early in text


@pytest.mark.parametrize(("issuer", "lang"), EVERY)
def test_C2_an_explained_deviation_is_for_a_person_to_judge(issuer: str, lang: str) -> None:
    checklist, pdf, cells = _checklist(issuer, lang)
    rows = {check: status for check, status, _ in _rows(checklist, "budget")}
    label = _words(lang, "Forklaring av avvik: ", "Forklaring på avvik: ")
    assert rows[label + "Tolketjenester"] is Status.MANUAL  # explained: a person judges it
    assert rows[label + "Aktiviteter og materiell"] is Status.DEVIATION  # not explained
    assert "Avvik forklart" not in pdf
    assert label + "Tolketjenester" in pdf and label + "Tolketjenester" in cells


@pytest.mark.parametrize(("issuer", "lang"), EVERY)
def test_C3_the_decisions_own_conditions_are_checked(issuer: str, lang: str) -> None:
    checklist, pdf, cells = _checklist(issuer, lang)
    case = next(c for c in sample_cases() if c.reference == "22/00133-5")
    rows = _rows(checklist, "condition")
    assert len(rows) == len(case.decision.conditions) == 2
    prefix = _words(lang, "Vilkår i vedtaket er oppfylt: ", "Vilkåret i vedtaket er oppfylt: ")
    for condition, (check, status, _) in zip(case.decision.conditions, rows, strict=True):
        assert check == prefix + condition and status is Status.MANUAL
        assert flat(condition) in pdf and flat(check) in cells


# --- typography ----------------------------------------------------------------------------


@pytest.mark.parametrize(("issuer", "lang"), EVERY)
def test_N4_chapter_and_post_do_not_break(issuer: str, lang: str) -> None:
    """«kap. 671, post 71» with non-breaking spaces, kept by the DOCX (U+00A0 in its runs)."""
    import docx

    for kind in ("granted", "report"):
        document = docx.Document(BytesIO(_bytes(issuer, lang, kind, "docx")))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        assert any("kap.\u00a0671, post\u00a071" in c for c in cells), kind
        assert not any(re.search(r"post 71|kap\. 671", c) for c in cells)  # no plain space
    for kind in ("granted", "partial", "rejected"):
        raw = _pdf_text(issuer, lang, kind)
        assert not re.search(r"post\n\s*71|kap\.\n\s*671", raw), kind
        assert re.search(r"post[\u00a0 ]71", raw)


@pytest.mark.parametrize(("issuer", "lang"), EVERY)
def test_N3_target_groups_are_listed_not_joined(issuer: str, lang: str) -> None:
    import docx

    groups = _case("granted", lang).application.target_groups
    for kind in ("granted", "report"):
        document = docx.Document(BytesIO(_bytes(issuer, lang, kind, "docx")))
        paragraphs = [p.text for p in document.paragraphs]
        for group in groups:
            assert group in paragraphs, (kind, group)  # one list item each, capital kept
        assert "; " + groups[1] not in "\n".join(paragraphs)
    pdf, _ = both(issuer, lang, "granted")
    assert "; " + groups[1] not in pdf


# --- the municipal scheme (L18) ------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_L18_municipal_letters_fit_a_municipality(lang: str) -> None:
    for kind in ("granted", "partial", "rejected"):
        for text in both("bjornafjorden", lang, kind):
            assert "forvaltningslov" in text and "§ 28 andre ledd" in text
            assert "klagenemnda i bjørnafjorden kommune" in text.lower()
            for wrong in ("søknaden til kommunen", "sendes til kommunen", "sendast til kommunen",
                          "40 kommunene", "40 kommunane", "imdi.no"):
                assert wrong not in text, (kind, wrong)
            assert "www.bjornafjorden.kommune.no" in text or kind == "granted"
    for text in both("bjornafjorden", lang, "granted"):  # passed-on state money
        assert _words(lang, "Bjørnafjorden kommune, Integrerings- og mangfoldsdirektoratet "
                            "(IMDi) og Riksrevisjonen kan kontrollere",
                      "Bjørnafjorden kommune, Integrerings- og mangfaldsdirektoratet (IMDi) "
                      "og Riksrevisjonen kan kontrollere") in text


def test_L18_municipal_scheme_sends_national_projects_to_imdi() -> None:
    scheme = load_scheme(MUNICIPAL)
    assert scheme.appeal.right_section == "§ 28 andre ledd"
    assert scheme.reason("local-activity") is None  # a municipality never sends it to itself
    national = scheme.reason("national-project")
    assert national is not None and "IMDi" in national.text.nb and "IMDi" in national.text.nn
    for reason in scheme.reasons:
        for text in (reason.text.nb, reason.text.nn):
            assert "søknaden til kommunen" not in text and "sendast" not in text


def test_L18_municipal_scheme_is_selectable_with_scheme(tmp_path: Path) -> None:
    shown = cli("scheme", "show", "--scheme", MUNICIPAL)
    assert shown.exit_code == 0 and "national-project" in shown.stdout
    assert "Bjørnafjorden" in shown.stdout
    out = tmp_path / "brev"
    # HTML: the same letters as the PDFs (the PDF and DOCX of the municipal letters are read
    # back in the tests above), without rendering 23 PDFs to read one.
    run = cli("letters", Path(__file__).parents[2] / "samples" / "decisions.json", "--out", out,
              "--scheme", MUNICIPAL, "--issuer", "bjornafjorden", "--format", "html", "-j1",
              "--quiet")
    # the samples are IMDi's: the one local-activity rejection has no code in the local part
    assert run.exit_code == 1, run.stdout + run.stderr
    assert "local-activity" in run.stderr
    letters = sorted(out.glob("*.html"))
    assert len(letters) == 23
    page = next(p for p in letters if p.name.startswith("22-00193-4")).read_text("utf-8")
    text = flat(html_text(page))
    assert "§ 28 andre ledd" in text and "Søknadsfristen var 15. februar 2022" in text
    assert "ikkje vurdert" in text or "ikke vurdert" in text  # the written form per recipient


def test_a_scheme_text_with_an_unknown_placeholder_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "kommune.toml"
    copy.write_text(MUNICIPAL.read_text("utf-8").replace("{project_budget_max}.",
                                                         "{budsjett_maks}.", 1), "utf-8")
    with pytest.raises(ConfigError, match=r"reasons\.\d+\.text\.nb uses \{budsjett_maks\}"):
        load_scheme(copy)


@pytest.mark.parametrize("lang", LANGS)
def test_municipal_letters_pass_hunspell(lang: str) -> None:
    for kind in ("granted", "partial", "rejected", "claim"):
        pdf, word = both("bjornafjorden", lang, kind)
        assert unknown_words(pdf + "\n" + word, lang) == set(), kind
