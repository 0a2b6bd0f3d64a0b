"""Bokmål letters pass hunspell nb_NO and Nynorsk letters nn_NO (Debian hunspell-no).

Apart from names (of the organisation, people, places and public bodies),
numbers, references and the short committed allow-lists in tests/spelling/,
every word must be known to the dictionary of the letter's own written form.
That also catches a Bokmål word in a Nynorsk letter: nn_NO does not know
"ikke", "tilskudd", "organisasjoner" or "hilsen".
"""

from __future__ import annotations

import pytest

from tests.helpers import docx_text, make_case, pdftotext, rendered, unknown_words


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
