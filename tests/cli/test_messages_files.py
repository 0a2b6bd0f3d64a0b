"""Grantees' returned workbooks and refused XLSX files are reported in the user's language.

Each area that came to the catalogs gets one cheap check (CliRunner, GRANTDOCS_LANG):
the message appears in Bokmål and in Nynorsk with its code, and the advice that
comes with it is translated too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from grantdocs.cli import cli
from tests.helpers import SAMPLES

LOCALE_VARIABLES = ("GRANTDOCS_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")


def _run(lang: str, args: list[str], **env: str) -> Result:
    cleared: dict[str, str | None] = dict.fromkeys(LOCALE_VARIABLES)
    return CliRunner().invoke(cli, args, env={**cleared, "GRANTDOCS_LANG": lang, **env})


@pytest.fixture(scope="module")
def junk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("returns") / "notater.xlsx"  # text that looks like a workbook
    path.write_text("Notater fra telefonmøte med tilskuddsmottaker\n", "utf-8")
    return path


RETURN_REFUSED = {
    "nb": ("feil: ikke en lesbar XLSX-arbeidsbok: ",
           "(send tilskuddsmottakeren arbeidsboken grantdocs laget til dem) [GD-E144]"),
    "nn": ("feil: ikkje ei lesbar XLSX-arbeidsbok: ",
           "(send tilskotsmottakaren arbeidsboka grantdocs laga til dei) [GD-E144]"),
    "en": ("error: not a readable XLSX workbook: ",
           "(send the grantee the workbook grantdocs wrote for them) [GD-E144]"),
}


@pytest.mark.parametrize("lang", list(RETURN_REFUSED))
def test_a_refused_return_is_reported_in_the_language(lang: str, junk: Path,
                                                      tmp_path: Path) -> None:
    run = _run(lang, ["checklist", "--decisions", str(SAMPLES / "decisions.csv"),
                      "--return", str(junk), "--received", "2023-02-20",
                      "--out", str(tmp_path / "out")])
    assert run.exit_code == 1, run.output
    start, end = RETURN_REFUSED[lang]
    line = next(line for line in run.stderr.splitlines() if line.startswith(f"{junk}: "))
    assert start in line and line.endswith(end), run.stderr


@pytest.mark.parametrize(("lang", "expected"), [
    ("nb", "ikke en lesbar XLSX-arbeidsbok: "), ("nn", "ikkje ei lesbar XLSX-arbeidsbok: ")])
def test_read_accounts_refuses_in_the_language(lang: str, expected: str, junk: Path) -> None:
    run = _run(lang, ["read-accounts", str(junk)])
    assert run.exit_code == 1, run.output
    assert run.stderr.startswith(f"feil: {junk}: {expected}"), run.stderr
    assert run.stderr.rstrip().endswith("[GD-E144]"), run.stderr


@pytest.mark.parametrize(("lang", "expected"), [
    ("nb", "kan ikke åpnes som en Excel-arbeidsbok (.xlsx): den har {n} deler, over grensen "
           "på 2; hvis filen er ekte, hev grensen med miljøvariabelen "
           "GRANTDOCS_MAX_XLSX_MEMBERS [GD-E145]"),
    ("nn", "kan ikkje opnast som ei Excel-arbeidsbok (.xlsx): ho har {n} delar, over grensa "
           "på 2; om fila er ekte, auk grensa med miljøvariabelen "
           "GRANTDOCS_MAX_XLSX_MEMBERS [GD-E145]")])
def test_the_zip_guard_refuses_a_sheet_in_the_language(lang: str, expected: str) -> None:
    import zipfile

    sheet = SAMPLES / "decisions.xlsx"
    with zipfile.ZipFile(sheet) as archive:
        parts = len(archive.infolist())
    run = _run(lang, ["validate", str(sheet)], GRANTDOCS_MAX_XLSX_MEMBERS="2")
    assert run.exit_code == 2, run.output
    assert f"{sheet}: {expected.format(n=parts)}" in run.stderr, run.stderr



# Issuer profiles (grantdocs issuer check, and every command's --issuer) ------------------------

def _bad_profile(folder: Path) -> Path:
    from grantdocs.issuer import DEFAULT_ISSUER

    text = DEFAULT_ISSUER.read_text("utf-8")
    assert 'org_number = "987879696"' in text
    file = folder / "issuer.toml"
    file.write_text(text.replace('org_number = "987879696"', 'org_number = "987879697"'), "utf-8")
    return file


ISSUER_CHECK = {
    "nb": ["org_number: '987879697' har feil kontrollsiffer for organisasjonsnummer",
           "[GD-E041]", "1 problem(er); profilen kan ikke brukes ennå"],
    "nn": ["org_number: '987879697' har feil kontrollsiffer for organisasjonsnummer",
           "[GD-E041]", "1 problem; profilen kan ikkje brukast enno"],
}


@pytest.mark.parametrize("lang", list(ISSUER_CHECK))
def test_issuer_check_names_the_problems_in_the_language(lang: str, tmp_path: Path) -> None:
    profile = _bad_profile(tmp_path)
    run = _run(lang, ["issuer", "check", str(profile)])
    assert run.exit_code == 2, run.output
    for expected in ISSUER_CHECK[lang]:
        assert expected in run.stderr, (expected, run.stderr)


@pytest.mark.parametrize(("lang", "expected"), [
    ("nb", "avsenderprofilen har 1 problem; ingenting ble laget"),
    ("nn", "avsendarprofilen har 1 problem; ingenting vart laga")])
def test_a_bad_profile_stops_a_command_in_the_language(lang: str, expected: str,
                                                      tmp_path: Path) -> None:
    profile = _bad_profile(tmp_path)
    run = _run(lang, ["validate", str(SAMPLES / "decisions.json"), "--issuer", str(profile)])
    assert run.exit_code == 2, run.output
    assert f"{profile}: {expected}" in run.stderr, run.stderr
    assert "(kontroller han med: grantdocs issuer check" in run.stderr or lang == "nb"
    assert run.stderr.rstrip().endswith("[GD-E170]"), run.stderr


@pytest.mark.parametrize(("lang", "expected"), [
    ("nb", "fant ikke filen for avsenderprofilen: no-such-issuer [GD-E195]"),
    ("nn", "fann ikkje fila for avsendarprofilen: no-such-issuer [GD-E195]")])
def test_a_missing_profile_in_the_language(lang: str, expected: str) -> None:
    run = _run(lang, ["validate", str(SAMPLES / "decisions.json"), "--issuer", "no-such-issuer"])
    assert run.exit_code == 2, run.output
    assert expected in run.stderr, run.stderr


def test_a_usable_profile_is_described_in_nynorsk() -> None:
    from grantdocs.issuer import DEFAULT_ISSUER

    run = _run("nn", ["issuer", "check", str(DEFAULT_ISSUER)])
    assert run.exit_code == 0, run.output
    assert "kan brukast (" in run.stdout and "underskrivar" in run.stdout, run.stdout
    assert "brev " in run.stdout, run.stdout



# The commands' summaries (export, stats, token) ------------------------------------------------

@pytest.mark.parametrize(("lang", "expected"), [
    ("nb", r": \d+ tildelinger, kr\s[\d\s]+; 3 ugyldige poster er utelatt \[GD-I015\]$"),
    ("nn", r": \d+ tildelingar, kr\s[\d\s]+; 3 ugyldige postar er utelatne \[GD-I015\]$")])
def test_export_summary_in_the_language(lang: str, expected: str, tmp_path: Path) -> None:
    import re

    out = tmp_path / "awards.json"
    run = _run(lang, ["export", "360giving", str(SAMPLES / "decisions-with-errors.csv"),
                      "--out", str(out)])
    assert out.exists(), run.output
    last = run.stderr.rstrip().splitlines()[-1]
    assert last.startswith(f"{out}: ") and re.search(expected, last), run.stderr


@pytest.mark.parametrize(("lang", "created", "revoked"), [
    ("nb", "tokenet 'sak' er laget (id 1); send det som 'Authorization: Bearer <token>'. "
           "Det vises ikke igjen:", "tokenet 'sak' er trukket tilbake"),
    ("nn", "tokenet 'sak' er laga (id 1); send det som 'Authorization: Bearer <token>'. "
           "Det vert ikkje vist att:", "tokenet 'sak' er trekt tilbake")])
def test_token_commands_in_the_language(lang: str, created: str, revoked: str,
                                        tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    made = _run(lang, ["token", "create", "--data", data, "--name", "sak"])
    assert made.exit_code == 0, made.output
    assert made.stderr.strip() == f"{created} [GD-I016]", made.stderr
    secret = made.stdout.strip()
    assert len(secret) > 20 and secret not in made.stderr
    gone = _run(lang, ["token", "revoke", "--data", data, "--name", "sak"])
    assert gone.exit_code == 0 and gone.stdout.strip() == f"{revoked} [GD-I017]", gone.output
