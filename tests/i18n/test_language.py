"""Which language messages are in: GRANTDOCS_LANG, then LC_ALL, LC_MESSAGES, LANG."""

from __future__ import annotations

import pytest

from grantdocs import messages as M
from grantdocs.errors import InputError, Location, error
from grantdocs.i18n import error_text, issue_dict, issue_line, language, parse_language, say


@pytest.mark.parametrize(("value", "lang"), [
    ("nb_NO.UTF-8", "nb"), ("nn_NO.UTF-8", "nn"), ("no_NO.UTF-8", "nb"), ("no", "nb"),
    ("nb", "nb"), ("NN", "nn"), ("nn-NO", "nn"), ("no_NO@nynorsk", "nn"), ("nynorsk", "nn"),
    ("C.UTF-8", "en"), ("C", "en"), ("POSIX", "en"), ("en_GB.UTF-8", "en"), ("sv_SE", "en"),
    ("de_DE@euro", "en"), ("", "en"),
])
def test_locale_names(value: str, lang: str) -> None:
    assert parse_language(value) == lang


def test_grantdocs_lang_comes_first() -> None:
    env = {"GRANTDOCS_LANG": "nn", "LC_ALL": "nb_NO.UTF-8", "LANG": "C.UTF-8"}
    assert language(env) == "nn"
    assert language({"GRANTDOCS_LANG": "en", "LANG": "nb_NO.UTF-8"}) == "en"


def test_posix_order_first_non_empty_wins() -> None:
    assert language({"LC_ALL": "nn_NO.UTF-8", "LC_MESSAGES": "nb_NO", "LANG": "C"}) == "nn"
    assert language({"LC_ALL": "", "LC_MESSAGES": "nb_NO", "LANG": "nn_NO"}) == "nb"
    assert language({"GRANTDOCS_LANG": "", "LC_ALL": "", "LANG": "nn_NO.UTF-8"}) == "nn"
    assert language({"LC_ALL": "C.UTF-8", "LANG": "nb_NO.UTF-8"}) == "en"
    assert language({}) == "en"


def test_an_issue_in_three_languages_keeps_values_as_data() -> None:
    text = M.NOT_AMOUNT(value=repr("{label} 50k"))  # braces in the value are not a format
    issue = error(M.in_column("Tilsagn", text), Location("f.csv", 4, "Tilsagn"))
    assert issue.code == "GD-E054"
    assert issue_line(issue, "en") == ("f.csv, row 4, Tilsagn: error: Tilsagn: '{label} 50k' "
                                       "is not an amount; write kroner like 450 000 or "
                                       "450 000,50 [GD-E054]")
    assert issue_line(issue, "nb").startswith("f.csv, rad 4, Tilsagn: feil: Tilsagn: "
                                              "'{label} 50k' er ikke et beløp")
    assert "er ikkje eit beløp" in issue_line(issue, "nn")
    data = issue_dict(issue, "nn")
    assert data["code"] == "GD-E054" and data["language"] == "nn"
    assert "ikkje" in str(data["message"])


def test_hint_and_plural_follow_the_language() -> None:
    issue = error(M.SUB_GOAL_UNKNOWN(code="'D'", scheme="s", known="A, B"), Location("f", 2))
    assert issue.hint == "use one of A, B"
    assert issue_line(issue, "nn").endswith("(bruk ein av A, B) [GD-E001]")
    one = M.VALIDATE_SUMMARY(errors=M.ERRORS(count=1), warnings=M.WARNINGS(count=1))
    two = M.VALIDATE_SUMMARY(errors=M.ERRORS(count=2), warnings=M.WARNINGS(count=2))
    assert (say(one, "en"), say(two, "en")) == ("1 error, 1 warning", "2 errors, 2 warnings")
    assert (say(one, "nb"), say(two, "nb")) == ("1 feil, 1 advarsel", "2 feil, 2 advarsler")
    assert (say(one, "nn"), say(two, "nn")) == ("1 feil, 1 åtvaring", "2 feil, 2 åtvaringar")


def test_an_error_keeps_its_code_and_english_message() -> None:
    exc = InputError(M.EMPTY_FILE(file="x.csv"))
    assert str(exc).startswith("x.csv: the file is empty")
    assert error_text(exc, "nb").startswith("x.csv: filen er tom")
    assert error_text(exc, "nb").endswith("[GD-E074]")
    assert error_text(InputError("plain"), "nn") == "plain"
