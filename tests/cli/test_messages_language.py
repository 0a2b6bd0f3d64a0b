"""`grantdocs validate` speaks the user's language (issue 11).

LANG=nb_NO.UTF-8 gives Bokmål, nn_NO Nynorsk, C.UTF-8 English: each a real
process, as a caseworker's shell starts it (no locale needs to be installed:
the catalogs ship in the package). The rows and the columns are named as the
file writes them, and every line carries its message's code.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from grantdocs.cli import cli
from tests.helpers import SAMPLES

SAMPLE = SAMPLES / "decisions-with-errors.csv"
LOCALE_VARIABLES = ("GRANTDOCS_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")

EXPECTED = {
    "nb_NO.UTF-8": [
        "rad 10, Organisasjonsnummer: feil: Organisasjonsnummer: '972056333' har feil "
        "kontrollsiffer for organisasjonsnummer (MOD11); kopier det på nytt fra "
        "Enhetsregisteret (brreg.no) [GD-E041]",
        "rad 13, Innvilget beløp: feil: kr 410 000 innvilget er mer enn de kr 140 000 det er "
        "søkt om (ordningen kan ikke innvilge mer enn det er søkt om) [GD-E004]",
        "rad 19, Delmål: feil: delmål 'D' finnes ikke i ordningen",
        "radene 6, 18, Godkjent av: advarsel: ingen godkjenner",
        "3 feil, 2 advarsler",
    ],
    "nn_NO.UTF-8": [
        "rad 10, Organisasjonsnummer: feil: Organisasjonsnummer: '972056333' har feil "
        "kontrollsiffer for organisasjonsnummer (MOD11); kopier det på nytt frå "
        "Einingsregisteret (brreg.no) [GD-E041]",
        "rad 13, Innvilget beløp: feil: kr 410 000 innvilga er meir enn dei kr 140 000 det er "
        "søkt om (ordninga kan ikkje innvilge meir enn det er søkt om) [GD-E004]",
        "rad 19, Delmål: feil: delmål 'D' finst ikkje i ordninga",
        "radene 6, 18, Godkjent av: åtvaring: ingen godkjennar",
        "3 feil, 2 åtvaringar",
    ],
    "C.UTF-8": [
        "row 10, Organisasjonsnummer: error: Organisasjonsnummer: '972056333' fails the MOD11 "
        "check digit of organisation numbers; copy it again from Enhetsregisteret (brreg.no) "
        "[GD-E041]",
        "row 13, Innvilget beløp: error: kr 410 000 granted is more than the kr 140 000 "
        "requested (the scheme cannot grant more than was applied for) [GD-E004]",
        "row 19, Delmål: error: sub-goal 'D' is not in the scheme",
        "rows 6, 18, Godkjent av: warning: no approver",
        "3 errors, 2 warnings",
    ],
}
NOT_EXPECTED = {"nb_NO.UTF-8": ["ikkje", "error", "warning"],
                "nn_NO.UTF-8": ["ikke", "error", "warning"],
                "C.UTF-8": ["feil", "ikke", "ikkje"]}


@pytest.mark.parametrize("lang", list(EXPECTED))
def test_validate_in_the_language_of_lang(lang: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARIABLES}
    env["LANG"] = lang
    run = subprocess.run([sys.executable, "-m", "grantdocs", "validate", str(SAMPLE)],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 1, run.stderr
    lines = run.stderr.replace("\xa0", " ").splitlines()  # amounts have no-break spaces
    assert len(lines) == 5, run.stderr
    for expected in EXPECTED[lang]:
        assert any(expected in line for line in lines), (expected, run.stderr)
    assert all(line.startswith(f"{SAMPLE}, ") for line in lines[:-1]), run.stderr
    for word in NOT_EXPECTED[lang]:
        assert f" {word}" not in run.stderr, (word, run.stderr)


def _validate(env: dict[str, str | None], *extra: str) -> str:
    cleared: dict[str, str | None] = dict.fromkeys(LOCALE_VARIABLES)
    run = CliRunner().invoke(cli, ["validate", str(SAMPLE), *extra], env={**cleared, **env})
    assert run.exit_code == 1, run.output
    return run.stdout if extra else run.stderr


def test_grantdocs_lang_overrides_lang() -> None:
    err = _validate({"GRANTDOCS_LANG": "nn", "LANG": "nb_NO.UTF-8"})
    assert "ordninga kan ikkje innvilge" in err and "3 feil, 2 åtvaringar" in err
    err = _validate({"GRANTDOCS_LANG": "en", "LC_ALL": "nb_NO.UTF-8"})
    assert "3 errors, 2 warnings" in err


def test_lc_all_overrides_lang_and_lc_messages() -> None:
    err = _validate({"LC_ALL": "nb_NO.UTF-8", "LC_MESSAGES": "nn_NO", "LANG": "C.UTF-8"})
    assert "ordningen kan ikke innvilge" in err and "3 feil, 2 advarsler" in err
    err = _validate({"LC_ALL": "", "LC_MESSAGES": "nn_NO.UTF-8", "LANG": "nb_NO.UTF-8"})
    assert "3 feil, 2 åtvaringar" in err


def test_json_has_the_code_and_the_message_in_the_language() -> None:
    issues = json.loads(_validate({"LANG": "nn_NO.UTF-8"}, "--json"))
    by_code = {i["code"]: i for i in issues}
    assert set(by_code) == {"GD-W008", "GD-E041", "GD-E004", "GD-E001"}
    granted = by_code["GD-E004"]
    assert granted["field"] == "Innvilget beløp" and granted["row"] == 13
    assert granted["message"].replace("\xa0", " ") == (
        "kr 410 000 innvilga er meir enn dei kr 140 000 det er søkt om")
    assert granted["hint"] == "ordninga kan ikkje innvilge meir enn det er søkt om"
    assert granted["language"] == "nn"
