"""Every command, given bad input, prints one clear message and exits with the documented code.

The bad inputs: a malformed date (an option, or a cell of a record), a file that is
not what the command expects (random bytes, or a PDF, named .csv/.xlsx/.json), a
missing file, and a path of the wrong kind (a folder where a file is expected, a
file where a folder is expected, a named pipe, which must not hang the command).
The tests run as root, for whom no chmod makes a file unreadable; those three
kinds are what a caseworker can still get wrong. Exit codes: ``ExitCode``.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from grantdocs.cli import Commands, cli
from grantdocs.errors import ExitCode, InputError
from tests.helpers import SAMPLES

RETURN = SAMPLES / "returns" / "22-00133-5_Apen-dor-regnskap.xlsx"
DECISIONS = SAMPLES / "decisions.json"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
JUNK = bytes(range(256)) * 8  # not UTF-8, not a zip, not JSON


@dataclass(frozen=True)
class Slot:
    """One place on one command's line where a file goes."""

    command: str
    args: tuple[str, ...]  # "{f}" is the file under test, "{out}" a fresh output folder
    reads: str  # "cases" (JSON/CSV/XLSX decisions), "return" (a returned workbook), "list"

    def line(self, file: Path, out: Path) -> list[str]:
        return [a.replace("{f}", str(file)).replace("{out}", str(out)) for a in self.args]


HTML = ("--format", "html", "--jobs", "1")
SLOTS = [
    Slot("letters", ("letters", "{f}", "--out", "{out}", *HTML), "cases"),
    Slot("validate", ("validate", "{f}"), "cases"),
    Slot("report-templates", ("report-templates", "{f}", "--out", "{out}", *HTML), "cases"),
    Slot("accounts-workbooks", ("accounts-workbooks", "{f}", "--out", "{out}", "--jobs", "1"),
         "cases"),
    Slot("read-accounts", ("read-accounts", "{f}"), "return"),
    Slot("read-accounts", ("read-accounts", str(RETURN), "--decisions", "{f}"), "cases"),
    Slot("checklist", ("checklist", "--decisions", "{f}", "--return", str(RETURN),
                       "--received", "20.02.2023", "--out", "{out}", *HTML), "cases"),
    Slot("checklist", ("checklist", "--decisions", str(DECISIONS), "--return", "{f}",
                       "--received", "20.02.2023", "--out", "{out}", *HTML), "return"),
    Slot("checklist", ("checklist", "--decisions", str(DECISIONS), "--return", str(RETURN),
                       "--received-list", "{f}", "--out", "{out}", *HTML), "list"),
    Slot("repayment-claim", ("repayment-claim", "--decisions", "{f}", "--return", str(RETURN),
                             "--received", "20.02.2023", "--out", "{out}", "--format", "pdf"),
         "cases"),
    Slot("repayment-claim", ("repayment-claim", "--decisions", str(DECISIONS), "--return", "{f}",
                             "--received", "20.02.2023", "--out", "{out}", "--format", "pdf"),
         "return"),
    Slot("stats", ("stats", "{f}", "--out", "{out}.xlsx"), "cases"),
    Slot("export", ("export", "360giving", "{f}", "--out", "{out}.json"), "cases"),
    Slot("export", ("export", "tilskudd", "{f}", "--out", "{out}.xlsx"), "cases"),
]
SLOT_IDS = [f"{s.command}:{s.args[s.args.index('{f}') - 1].lstrip('-')}" for s in SLOTS]

# Commands whose input is not a file, and how they are given bad input.
OTHER = {
    "schema": (["schema", "grant"], "'grant' is not one of"),
    "demo": (["demo", "--jobs", "0"], "--jobs"),
    "scheme": (["scheme", "show", "--scheme", "/nonexistent/scheme.toml"], "--scheme"),
    "token": (["token", "create", "--data", str(DECISIONS), "--name", "x"], "--data"),
    "worker": (["worker", "--data", str(DECISIONS)], "--data"),
    "issuer": (["issuer", "check", "/nonexistent/issuer.toml"], "FILE"),
    "serve": (["serve", "--data", str(DECISIONS)], "--data"),
}


class Hung(BaseException):
    """Not an Exception, so that neither the command nor CliRunner can swallow it."""


@pytest.fixture(autouse=True)
def _no_hang() -> Iterator[None]:
    """A command that opens a named pipe would wait for a writer for ever; fail instead."""
    def hung(signum: int, frame: object) -> None:
        raise Hung("the command hung (did it open a named pipe?)")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def run(args: list[str]) -> Result:
    return CliRunner().invoke(cli, args)


def assert_one_message(result: Result, code: int, *names: str) -> str:
    """Exit ``code``, no traceback, and one line saying what is wrong, naming ``names``."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__}: {result.exception}"
    )
    lines = [line for line in result.stderr.splitlines()
             if line.lower().startswith("error") or ": error:" in line]
    assert lines, result.output
    assert len(lines) == 1, result.stderr
    for name in names:
        assert name in lines[0], lines[0]
    return lines[0]


def test_every_command_is_covered() -> None:
    covered = {s.command for s in SLOTS} | set(OTHER)
    assert covered == set(cli.commands), "add the new command's bad inputs to this module"


# --- a file that is not what the command expects -------------------------------------------


NOT_EXPECTED = [
    pytest.param(slot, suffix, content, id=f"{slot_id}-{kind}{suffix}")
    for slot, slot_id in zip(SLOTS, SLOT_IDS, strict=True)
    for suffix in ((".csv",) if slot.reads == "list" else (".csv", ".xlsx", ".json"))
    for kind, content in (("random-bytes", JUNK), ("pdf", PDF))
]


@pytest.mark.parametrize(("slot", "suffix", "content"), NOT_EXPECTED)
def test_not_the_file_expected(tmp_path: Path, slot: Slot, suffix: str, content: bytes) -> None:
    file = tmp_path / f"not-really{suffix}"
    file.write_bytes(content)
    result = run(slot.line(file, tmp_path / "out"))
    if slot.reads == "return":
        # A returned workbook that cannot be used is refused like a record (exit 1).
        if slot.command == "checklist":
            assert result.exit_code == ExitCode.RECORDS_FAILED, result.output
            assert "Traceback" not in result.output
            assert "not a readable XLSX workbook" in result.stderr
        else:
            assert_one_message(result, ExitCode.RECORDS_FAILED, "not a readable XLSX workbook")
    else:
        assert_one_message(result, ExitCode.UNUSABLE, file.name)


# --- missing files and paths of the wrong kind --------------------------------------------


@pytest.mark.parametrize("slot", SLOTS, ids=SLOT_IDS)
def test_missing_file(tmp_path: Path, slot: Slot) -> None:
    file = tmp_path / "nowhere.csv"
    assert_one_message(run(slot.line(file, tmp_path / "out")), ExitCode.UNUSABLE,
                       "nowhere.csv", "does not exist")


@pytest.mark.parametrize("slot", SLOTS, ids=SLOT_IDS)
def test_a_folder_given_as_a_file(tmp_path: Path, slot: Slot) -> None:
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    result = run(slot.line(folder, tmp_path / "out"))
    if slot.reads == "return" and slot.command == "checklist":
        # checklist --return takes a folder of returns: this one has none
        assert_one_message(result, ExitCode.UNUSABLE, "--return", "no .xlsx workbooks")
    else:
        assert_one_message(result, ExitCode.UNUSABLE, "folder.xlsx", "is a folder")


@pytest.mark.parametrize("slot", SLOTS, ids=SLOT_IDS)
def test_a_named_pipe_does_not_hang(tmp_path: Path, slot: Slot) -> None:
    pipe = tmp_path / "pipe.xlsx"
    os.mkfifo(pipe)
    assert_one_message(run(slot.line(pipe, tmp_path / "out")), ExitCode.UNUSABLE,
                       "pipe.xlsx", "not a regular file")


def test_a_named_pipe_in_a_folder_of_returns_is_not_read(tmp_path: Path) -> None:
    returns = tmp_path / "returns"
    returns.mkdir()
    os.mkfifo(returns / "pipe.xlsx")
    result = run(["checklist", "--decisions", str(DECISIONS), "--return", str(returns),
                  "--received", "20.02.2023", "--out", str(tmp_path / "out"), *HTML])
    assert_one_message(result, ExitCode.UNUSABLE, "--return", "no .xlsx workbooks")


OUT_COMMANDS = {
    "letters": ["letters", str(DECISIONS), "--out", "{out}", *HTML],
    "report-templates": ["report-templates", str(DECISIONS), "--out", "{out}", *HTML],
    "accounts-workbooks": ["accounts-workbooks", str(DECISIONS), "--out", "{out}", "--jobs", "1"],
    "checklist": ["checklist", "--decisions", str(DECISIONS), "--return", str(RETURN),
                  "--received", "20.02.2023", "--out", "{out}", *HTML],
    "repayment-claim": ["repayment-claim", "--decisions", str(DECISIONS), "--return", str(RETURN),
                        "--received", "20.02.2023", "--out", "{out}", "--format", "pdf"],
    "demo": ["demo", "--out", "{out}", "--jobs", "1"],
}


@pytest.mark.parametrize("under", [False, True], ids=["a-file", "inside-a-file"])
@pytest.mark.parametrize("command", sorted(OUT_COMMANDS))
def test_out_folder_that_is_a_file(tmp_path: Path, command: str, under: bool) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("not a folder")
    out = plain / "letters" if under else plain
    args = [a.replace("{out}", str(out)) for a in OUT_COMMANDS[command]]
    assert_one_message(run(args), ExitCode.UNUSABLE, "plain.txt")
    assert plain.read_text() == "not a folder"


@pytest.mark.parametrize("target", ["folder", "inside-a-file", "no-suffix"])
def test_stats_out_file_of_the_wrong_kind(tmp_path: Path, target: str) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    (tmp_path / "tall.xlsx").mkdir()
    out = {"folder": tmp_path / "tall.xlsx", "inside-a-file": plain / "s.xlsx",
           "no-suffix": tmp_path / "tall"}[target]
    assert_one_message(run(["stats", str(DECISIONS), "--out", str(out)]), ExitCode.UNUSABLE,
                       "--out")


@pytest.mark.parametrize("option", ["--scheme", "--issuer"])
@pytest.mark.parametrize("kind", ["junk", "folder", "pipe"])
def test_settings_files_of_the_wrong_kind(tmp_path: Path, option: str, kind: str) -> None:
    path = tmp_path / "settings.toml"
    if kind == "junk":
        path.write_bytes(JUNK)
    elif kind == "folder":
        path.mkdir()
    else:
        os.mkfifo(path)
    result = run(["letters", str(DECISIONS), "--out", str(tmp_path / "out"), option, str(path),
                  *HTML])
    assert_one_message(result, ExitCode.UNUSABLE, "settings.toml")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").glob("*.html"))


# --- malformed dates ----------------------------------------------------------------------


BAD_DATES = ["31.02.2023", "20.2.23", "i går", "2023-13-01"]


@pytest.mark.parametrize("value", BAD_DATES)
@pytest.mark.parametrize("line", [
    ["checklist", "--decisions", str(DECISIONS), "--return", str(RETURN), "--received", "{d}",
     "--out", "{out}"],
    ["repayment-claim", "--decisions", str(DECISIONS), "--return", str(RETURN),
     "--received", "{d}", "--out", "{out}"],
    ["repayment-claim", "--decisions", str(DECISIONS), "--return", str(RETURN),
     "--received", "20.02.2023", "--date", "{d}", "--out", "{out}"],
], ids=["checklist:received", "repayment-claim:received", "repayment-claim:date"])
def test_malformed_date_option(tmp_path: Path, line: list[str], value: str) -> None:
    args = [a.replace("{d}", value).replace("{out}", str(tmp_path / "out")) for a in line]
    message = assert_one_message(run(args), ExitCode.UNUSABLE, repr(value))
    assert "15.03.2022" in message or "four digits" in message  # how to write it
    assert not (tmp_path / "out").exists()


def test_malformed_date_in_the_received_list(tmp_path: Path) -> None:
    received = tmp_path / "received.csv"
    received.write_text("Saksnummer;Mottatt\n22/00133-5;31.02.2023\n", "utf-8")
    result = run(["checklist", "--decisions", str(DECISIONS), "--return", str(RETURN),
                  "--received-list", str(received), "--out", str(tmp_path / "out"), *HTML])
    assert_one_message(result, ExitCode.UNUSABLE, "received.csv", "line 2", "'31.02.2023'")


@pytest.fixture(scope="module")
def bad_date_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample round's header and the return's decision, decided on 31 February."""
    lines = (SAMPLES / "decisions.csv").read_text("utf-8-sig").splitlines()
    row = next(line for line in lines if line.startswith("22/00133-5;"))
    bad = row.replace(";29.03.2022;", ";31.02.2022;", 1)
    assert bad != row
    file = tmp_path_factory.mktemp("dates") / "bad-date.csv"
    file.write_text(f"{lines[0]}\n{bad}\n", "utf-8")
    return file


@pytest.mark.parametrize("slot", [s for s in SLOTS if s.reads == "cases"],
                         ids=[i for s, i in zip(SLOTS, SLOT_IDS, strict=True)
                              if s.reads == "cases"])
def test_malformed_date_in_a_record(tmp_path: Path, slot: Slot, bad_date_csv: Path) -> None:
    """A record with a date not in the calendar fails alone: exit 1, its row and column named."""
    result = run(slot.line(bad_date_csv, tmp_path / "out"))
    assert result.exit_code == ExitCode.RECORDS_FAILED, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if slot.command in ("letters", "validate", "report-templates", "accounts-workbooks", "stats",
                        "export"):
        assert "bad-date.csv, row 2, Vedtaksdato: error:" in result.stderr
        assert "'31.02.2022' is not a date in the calendar" in result.stderr
    else:  # the decision of the returned workbook is not among the valid ones
        assert "22/00133-5" in result.stderr
        assert "valid" in result.stderr


# --- the one place where errors meet exit codes ---------------------------------------------


@pytest.mark.parametrize(("raised", "code", "text"), [
    (InputError("vedtak.csv: the file is empty"), ExitCode.UNUSABLE, "vedtak.csv: the file"),
    (PermissionError(13, "Permission denied", "/srv/brev"), ExitCode.UNUSABLE,
     "/srv/brev: Permission denied"),
    (KeyboardInterrupt(), ExitCode.INTERRUPTED, "Interrupted"),
])
def test_the_group_maps_errors_once(raised: BaseException, code: int, text: str) -> None:
    """A command that forgets ``config_errors`` is still covered by the group."""
    @click.group(cls=Commands)
    def group() -> None:
        pass

    @group.command()
    def fails() -> None:
        raise raised

    result = CliRunner().invoke(group, ["fails"])
    assert result.exit_code == code
    assert text in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", sorted(OTHER))
def test_commands_without_input_files(command: str) -> None:
    args, text = OTHER[command]
    assert_one_message(run(args), ExitCode.UNUSABLE, text)
