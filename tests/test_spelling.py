"""Bokmål letters pass hunspell nb_NO and Nynorsk letters nn_NO (Debian hunspell-no).

Apart from names (of the organisation, people, places and public bodies),
numbers, references and the short committed allow-lists in tests/spelling/,
every word must be known to the dictionary of the letter's own written form.
That also catches a Bokmål word in a Nynorsk letter: nn_NO does not know
"ikke", "tilskudd", "organisasjoner" or "hilsen".
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from grantdocs.scheme import load_issuer, load_scheme
from tests.conftest import docx_text, make_case, pdftotext, rendered, require_tool

SPELLING = Path(__file__).parent / "spelling"
WORD = re.compile(r"[^\W\d_]+")


def allow_list(lang: str) -> set[str]:
    lines = (SPELLING / f"{lang}.txt").read_text("utf-8").splitlines()
    return {w.strip() for w in lines if w.strip() and not w.startswith("#")}


def name_words(lang: str) -> set[str]:
    """Words of proper names: the test organisation and people, the issuers, the appeal body."""
    case = make_case("granted", lang)
    org = case.organisation
    names = [org.name, org.address or "", org.city or "", org.contact_person or "",
             case.decision.caseworker, case.decision.approver or ""]
    for issuer_name in ("imdi", "bjornafjorden"):
        issuer = load_issuer(issuer_name)
        names += [issuer.name(lang), issuer.city, *issuer.address]
        names += [s.name for s in issuer.signatories]
    names.append(load_scheme().appeal.body(lang))
    return {w for name in names for w in WORD.findall(name)}


def unknown_words(text: str, lang: str) -> set[str]:
    require_tool("hunspell")
    skip = allow_list(lang) | name_words(lang)
    text = re.sub(r"\S+@\S+|www\.\S+", " ", text)  # e-mail and web addresses
    words = {
        w for w in WORD.findall(text)
        if len(w) > 1 and w not in skip and all(ord(c) < 256 for c in w)
    }
    dictionary = {"nb": "nb_NO", "nn": "nn_NO"}[lang]
    out = subprocess.run(
        ["hunspell", "-d", dictionary, "-i", "utf-8", "-l"],
        input="\n".join(sorted(words)), capture_output=True, text=True, check=True,
    ).stdout
    return set(out.split())


@pytest.mark.parametrize("lang", ["nb", "nn"])
@pytest.mark.parametrize("kind", ["granted", "partial", "rejected"])
def test_letter_text_is_in_its_written_form(kind: str, lang: str) -> None:
    text = pdftotext(rendered(kind, lang, "pdf")) + "\n" + docx_text(rendered(kind, lang, "docx"))
    assert unknown_words(text, lang) == set()


def test_checker_catches_bokmal_in_a_nynorsk_text() -> None:
    """The check is not vacuous: Bokmål words are unknown to nn_NO."""
    found = unknown_words("Vi ønsker ikke å gi tilskudd til organisasjoner. Vennlig hilsen", "nn")
    assert {"ikke", "tilskudd", "organisasjoner", "hilsen"} <= found


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_accounts_workbook_labels_are_in_their_written_form(lang: str) -> None:
    import io

    from openpyxl import load_workbook

    from grantdocs.writers.xlsx.accounts_workbook import write_accounts_workbook

    workbook = load_workbook(io.BytesIO(write_accounts_workbook(make_case("granted", lang))))
    text = "\n".join(
        cell.value for sheet in workbook.worksheets if sheet.sheet_state == "visible"
        for row in sheet.iter_rows() for cell in row
        if isinstance(cell.value, str) and not cell.value.startswith("=")
    )
    assert "Sámi Searvi Ŋuvttat" in text  # the sheet was read, names and all
    assert unknown_words(text, lang) == set()
