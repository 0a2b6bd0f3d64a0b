"""A profile with a wrong field stops every command before anything is written, and
`issuer check` names each wrong field as it is written in the file."""

from __future__ import annotations

import struct
from pathlib import Path

import click
import pytest

from grantdocs.cli import cli as group
from grantdocs.issuer import DEFAULT_ISSUER
from tests.helpers import SAMPLES, cli

DECISIONS = SAMPLES / "decisions.json"
RETURN = SAMPLES / "returns" / "22-00133-5_Apen-dor-regnskap.xlsx"
RETURNED = ("--decisions", DECISIONS, "--return", RETURN, "--received", "20.02.2023")

# Every command that takes --issuer, with the rest of a line that would write into "{out}".
COMMANDS: dict[str, tuple[str | Path, ...]] = {
    "letters": (DECISIONS, "--out", "{out}", "--format", "pdf,docx", "--jobs", "1"),
    "validate": (DECISIONS,),
    "report-templates": (DECISIONS, "--out", "{out}", "--jobs", "1"),
    "accounts-workbooks": (DECISIONS, "--out", "{out}", "--jobs", "1"),
    "checklist": (*RETURNED, "--out", "{out}", "--jobs", "1"),
    "repayment-claim": (*RETURNED, "--date", "06.03.2023", "--out", "{out}"),
    "export 360giving": (DECISIONS, "--out", "{out}.json"),
    "export tilskudd": (DECISIONS, "--out", "{out}.xlsx"),
}


def commands_with_issuer(command: click.Command = group, prefix: str = "") -> set[str]:
    if isinstance(command, click.Group):
        return {name for sub_name, sub in command.commands.items()
                for name in commands_with_issuer(sub, f"{prefix} {sub_name}".strip())}
    return {prefix} if any(p.name == "issuer" for p in command.params) else set()


def profile_with(folder: Path, old: str, new: str) -> Path:
    text = DEFAULT_ISSUER.read_text("utf-8")
    assert old in text
    file = folder / "issuer.toml"
    file.write_text(text.replace(old, new), "utf-8")
    return file


def test_the_table_has_every_command_that_takes_an_issuer() -> None:
    assert commands_with_issuer() == set(COMMANDS)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_bad_organisation_number_stops_the_command(tmp_path: Path, command: str) -> None:
    profile = profile_with(tmp_path, 'org_number = "987879696"', 'org_number = "987879697"')
    out = str(tmp_path / "out")
    rest = [str(a).replace("{out}", out) for a in COMMANDS[command]]
    run = cli(*command.split(), *rest, "--issuer", profile)
    assert run.exit_code == 2, run.output
    assert "org_number: '987879697' fails the MOD11 check digit" in run.stderr
    assert "nothing was made" in run.stderr and "Traceback" not in run.output
    assert [p.name for p in tmp_path.iterdir()] == ["issuer.toml"]  # nothing written


def png_header(width: int, height: int) -> bytes:
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR"
            + struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0) + b"\0" * 4)


def jpeg_header(components: int) -> bytes:
    return (b"\xff\xd8\xff\xe0\x00\x04\x00\x00"  # SOI, a short APP0
            + b"\xff\xc0" + struct.pack(">HBHHB", 8 + 3 * components, 8, 10, 20, components))


ADD = 'default_language = "nb"'  # new lines go after this one
BAD = [  # (line replaced, its replacement, the field named, what the check says)
    ('org_number = "987879696"', 'org_number = "987879697"', "org_number",
     "fails the MOD11 check digit"),
    ('org_number = "987879696"', 'org_number = "98787969"', "org_number", "has 9 digits"),
    ('bank_account = "76940512308"', 'bank_account = "76940512309"', "bank_account",
     "fails the MOD11 check digit"),
    ('postcode = "0608"', 'postcode = "608"', "postcode", "4 digits"),
    ('email = "post@imdi.no"', 'email = "post at imdi.no"', "email", "not an e-mail address"),
    (ADD, 'default_language = "bokmål"', "default_language", "'nb' or 'nn'"),
    (ADD, f'{ADD}\nlanguage_policy2 = "own"', "language_policy2",
     "did you mean 'language_policy'?"),
    ('language_policy = "recipient"', 'language_policy = "always"', "language_policy",
     "recipient"),
    (ADD, f'{ADD}\nappeal_section = "28"', "appeal_section", '"§ 28 andre ledd"'),
    (ADD, f'{ADD}\nappeal_body.nb = "klagenemnda"', "appeal_body.nn", "missing"),
    (ADD, f'{ADD}\nappeal_body.nb = ""\nappeal_body.nn = "x"', "appeal_body.nb",
     "empty; fill it in"),
    ('id = "imdi"', 'id = "Sandnes kommune"', "id", "small letters"),
    ('name = "Ola Søreide"', 'name = ""', "[[signatories]] no. 2, name", "empty; fill it in"),
    (ADD, f'{ADD}\nlogo = "missing.png"', "logo = 'missing.png'", "no such file"),
    (ADD, f'{ADD}\nlogo = "../logo.png"', "logo = '../logo.png'",
     "inside the profile's folder"),
    (ADD, f'{ADD}\nlogo = "logo.svg"', "logo = 'logo.svg'", "PNG or JPEG"),
    (ADD, f'{ADD}\nlogo = "text.png"', "logo = 'text.png'", "not a PNG or JPEG image"),
    (ADD, f'{ADD}\nlogo = "huge.png"', "logo = 'huge.png'", "at most 8000 wide and high"),
    (ADD, f'{ADD}\nlogo = "cmyk.jpg"', "logo = 'cmyk.jpg'", "CMYK"),
    (ADD, f'{ADD}\nlogo = "folder.png"', "logo = 'folder.png'", "not a regular file"),
]


def write_logos(folder: Path) -> None:
    (folder.parent / "logo.png").write_bytes(png_header(10, 10))
    (folder / "logo.svg").write_text("<svg/>", "utf-8")
    (folder / "text.png").write_text("not an image", "utf-8")
    (folder / "huge.png").write_bytes(png_header(9000, 10))
    (folder / "cmyk.jpg").write_bytes(jpeg_header(4))
    (folder / "folder.png").mkdir()


@pytest.mark.parametrize("old, new, field, says", BAD,
                         ids=[f"{b[2]}-{b[3]}" for b in BAD])
def test_check_names_the_bad_field(tmp_path: Path, old: str, new: str, field: str,
                                   says: str) -> None:
    folder = tmp_path / "profile"
    folder.mkdir()
    write_logos(folder)
    profile = profile_with(folder, old, new)
    run = cli("issuer", "check", profile)
    assert run.exit_code == 2, run.output
    assert run.stderr.splitlines()[0].startswith(f"{profile}: {field}: "), run.stderr
    assert says in run.stderr.splitlines()[0]
    assert "1 problem(s)" in run.stderr, run.stderr
    stopped = cli("letters", DECISIONS, "--out", tmp_path / "out", "--issuer", profile)
    assert stopped.exit_code == 2 and field in stopped.stderr
    assert not (tmp_path / "out").exists()


def test_check_reports_every_bad_field_at_once(tmp_path: Path) -> None:
    text = DEFAULT_ISSUER.read_text("utf-8")
    for old, new in (('org_number = "987879696"', 'org_number = "987879697"'),
                     ('bank_account = "76940512308"', 'bank_account = "1234"'),
                     ('default_language = "nb"', 'default_language = "en"\nlogo = "none.png"')):
        text = text.replace(old, new)
    text = text[:text.index("[[signatories]]")] + "signatories = []\n"
    profile = tmp_path / "issuer.toml"
    profile.write_text(text, "utf-8")
    run = cli("issuer", "check", profile)
    assert run.exit_code == 2
    for field in ("org_number", "bank_account", "default_language", "logo = 'none.png'",
                  "signatories"):
        assert f"{profile}: {field}" in run.stderr, run.stderr
    assert "5 problem(s)" in run.stderr


def test_validate_checks_the_approvers_against_the_profile(tmp_path: Path) -> None:
    profile = profile_with(tmp_path, 'name = "Ingrid Haaland"', 'name = "Kari Nordmann"')
    run = cli("validate", DECISIONS, "--issuer", profile)
    assert run.exit_code == 0, run.output
    assert "the approver 'Ingrid Haaland' is not among the signatories" in run.stderr
    assert "without a title" in run.stderr
