"""The command line in Bokmål and Nynorsk where it was still English: click's usage errors,
the commands' option checks, the XLSX reader's sheet errors, a scheme file's settings,
read-accounts' cell notes, ``token``, ``scheme show``, and the service's start and stop lines.

Each command runs in process (click's CliRunner) with GRANTDOCS_LANG=nb or nn; what it
prints is read back for the Norwegian text and its code, and for no English sentence.
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import Workbook, load_workbook

from grantdocs.cli import cli as command
from grantdocs.scheme import DEFAULT_SCHEME
from grantdocs.service.logs import JsonFormatter
from tests.helpers import SAMPLES, row_of
from tests.workbooks import RETURN

CSV = SAMPLES / "decisions.csv"
ENGLISH = re.compile(r"\b(?:the|is|not|no such|missing|invalid|cannot|must|expected|give|use|"
                     r"option|sheet|workbook|folder|Usage|Try|error|warning)\b")


def run(lang: str, *args: str | Path) -> Result:
    return CliRunner().invoke(command, [str(a) for a in args], env={"GRANTDOCS_LANG": lang},
                              prog_name="grantdocs")


def error_line(result: Result, code: str) -> str:
    """The one error line of a run that could not start: exit 2, with ``code``."""
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("feil: ")]
    assert len(lines) == 1, result.stderr
    assert lines[0].endswith(f"[{code}]"), lines[0]
    return lines[0]


def no_english(text: str) -> None:
    """No English word of a sentence outside quoted values, paths and option names."""
    bare = re.sub(r"'[^']*'|«[^»]*»|--[\w-]+|/\S+|\[[^\]]*\]|`[^`]*`", " ", text)
    assert not ENGLISH.findall(bare), text


USAGE = [
    # (arguments, code, Bokmål, Nynorsk)
    (["letters"], "GD-E122", "argumentet 'INPUTS...' mangler",
     "argumentet 'INPUTS...' manglar"),
    (["letters", CSV], "GD-E123", "valget '--out' mangler", "valet '--out' manglar"),
    (["letters", CSV, "--out", "o", "--fromat", "pdf"], "GD-E124",
     "valget '--fromat' finnes ikke (mente du '--format'", "valet '--fromat' finst ikkje "
     "(meinte du '--format'"),
    (["letters", CSV, "--out"], "GD-E126", "valget '--out' må ha en verdi",
     "valet '--out' må ha ein verdi"),
    (["letters", CSV, "--out", "o", "--force=1"], "GD-E127", "valget '--force' tar ingen verdi",
     "valet '--force' tek ingen verdi"),
    (["lettrs"], "GD-E128", "kommandoen 'lettrs' finnes ikke (bruk en av",
     "kommandoen 'lettrs' finst ikkje (bruk ein av"),
    (["token", "lst"], "GD-E128", "(bruk en av create, list, revoke)",
     "(bruk ein av create, list, revoke)"),
    (["schema", "case", "round"], "GD-E129", "uventet ekstra argument: round",
     "uventa ekstra argument: round"),
    (["letters", CSV, "--out", "o", "--print-order", "x"], "GD-E222",
     "ugyldig verdi for '--print-order': 'x' er ikke en av 'alpha', 'input'",
     "ugyldig verdi for '--print-order': 'x' er ikkje ein av 'alpha', 'input'"),
    (["letters", CSV, "--out", "o", "-j", "0"], "GD-E225",
     "0 er utenfor det tillatte; skriv et tall på minst 1",
     "0 er utanfor det tillatne; skriv eit tal på minst 1"),
    (["letters", CSV, "--out", "o", "-j", "x"], "GD-E223", "'x' er ikke et heltall",
     "'x' er ikkje eit heiltal"),
    (["letters", "nowhere.csv", "--out", "o"], "GD-E226", "'nowhere.csv' finnes ikke",
     "'nowhere.csv' finst ikkje"),
    (["letters", SAMPLES, "--out", "o"], "GD-E227", "er en mappe; oppgi en fil",
     "er ei mappe; oppgi ei fil"),
    (["letters", CSV, "--out", "o", "--format", "pdf,foo"], "GD-E231",
     "bruk en kommaseparert liste av pdf, docx, html",
     "bruk ei kommaseparert liste av pdf, docx, html"),
    (["letters", CSV, "--out", "o", "--format", "docx", "--print-pdf", "p.pdf"], "GD-E232",
     "--print-pdf krever PDF-brev", "--print-pdf krev PDF-brev"),
    (["stats", CSV, "--out", "x.txt"], "GD-E236", "filnavnet må slutte på .pdf eller .xlsx",
     "filnamnet må enda på .pdf eller .xlsx"),
    (["checklist", "--decisions", SAMPLES / "decisions.json", "--return", RETURN, "--out", "o"],
     "GD-E235", "oppgi --received DATO eller --received-list FIL",
     "oppgi --received DATO eller --received-list FIL"),
]


@pytest.mark.parametrize(("args", "code", "nb", "nn"), USAGE,
                         ids=[f"{u[1]}-{u[0][0]}" for u in USAGE])
@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_usage_errors_are_norwegian_with_a_code_and_exit_2(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, args: list[str | Path],
        code: str, nb: str, nn: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(lang, *args)
    line = error_line(result, code)
    assert {"nb": nb, "nn": nn}[lang] in line
    no_english(line)
    usage, hint = result.stderr.splitlines()[:2]
    assert usage.startswith("Bruk: grantdocs ")
    assert hint.startswith("Skriv «grantdocs") and hint.endswith("for å få hjelp.")
    assert not (tmp_path / "o").exists()


def test_english_usage_errors_keep_their_code() -> None:
    result = run("en", "letters", CSV, "--out", "o", "--fromat", "pdf")
    assert result.exit_code == 2
    assert ("error: no such option: '--fromat' (did you mean '--format' or '--out'?) "
            "[GD-E124]") in result.stderr
    assert result.stderr.startswith("Usage: grantdocs letters [OPTIONS] INPUTS...\n"
                                    "Try 'grantdocs letters --help' for help.\n")


def test_no_arguments_still_shows_the_help() -> None:
    result = run("nb")
    assert result.exit_code == 2 and "Commands:" in result.output


def _workbook(tmp_path: Path, *sheets: str, rows: int = 0) -> Path:
    wb = Workbook()
    wb.active.title = sheets[0]  # type: ignore[union-attr]
    for name in sheets[1:]:
        wb.create_sheet(name)
    for row in range(rows):
        wb.active.append([f"notat {row}"])  # type: ignore[union-attr]
    path = tmp_path / "vedtak.xlsx"
    wb.save(path)
    return path


@pytest.mark.parametrize(("lang", "close", "none"), [
    ("nb", "arbeidsboken har ikke noe ark som heter 'Vedtk'; mente du 'Vedtak'?",
     "ingen ark har en overskriftsrad blant de første 10 radene"),
    ("nn", "arbeidsboka har ikkje noko ark som heiter 'Vedtk'; meinte du 'Vedtak'?",
     "ingen ark har ei overskriftsrad blant dei første 10 radene"),
])
def test_sheet_errors_of_the_xlsx_reader(tmp_path: Path, lang: str, close: str,
                                         none: str) -> None:
    book = _workbook(tmp_path, "Vedtak", "Notater", rows=3)
    line = error_line(run(lang, "validate", book, "--sheet", "Vedtk"), "GD-E075")
    assert close in line
    line = error_line(run(lang, "validate", book), "GD-E085")
    assert none in line and "'Vedtak', 'Notater'" in line
    empty = error_line(run(lang, "validate", book, "--sheet", "Notater"), "GD-E077")
    assert {"nb": ", arket 'Notater': arket er tomt", "nn": ", arket 'Notater': arket er tomt"
            }[lang] in empty
    for text in (line, empty):
        no_english(text.split(": ", 2)[-1])


@pytest.mark.parametrize(("lang", "words"), [
    ("nb", ["ugyldige innstillinger", "year: skal være et heltall",
            "appeal.deadline_weeks: må være minst 1", "er ikke en dag som finnes hvert år",
            "foo: ikke en innstilling i denne filen"]),
    ("nn", ["ugyldige innstillingar", "year: skal vere eit heiltal",
            "appeal.deadline_weeks: må vere minst 1", "er ikkje ein dag som finst kvart år",
            "foo: ikkje ei innstilling i denne fila"]),
])
def test_a_bad_scheme_file_is_explained_in_norwegian(tmp_path: Path, lang: str,
                                                     words: list[str]) -> None:
    text = DEFAULT_SCHEME.read_text("utf-8")
    for old, new in (("year = 2022", 'year = "x"\nfoo = 1'), ("deadline_weeks = 3",
                                                              "deadline_weeks = -3"),
                     ('deadline_month_day = "03-01"', 'deadline_month_day = "02-30"')):
        text = text.replace(old, new)
    scheme = tmp_path / "ordning.toml"
    scheme.write_text(text, "utf-8")
    result = run(lang, "validate", CSV, "--scheme", scheme)
    assert result.exit_code == 2, result.output
    assert result.stderr.rstrip().endswith("[GD-E210]")
    for word in words:
        assert word in result.stderr, result.stderr
    no_english(re.sub(r"deadline_month_day|\w+\.\w+", " ", result.stderr))


@pytest.mark.parametrize("name", ["imdi-integreringsarbeid-2022",
                                  "bjornafjorden-integreringsarbeid-2022"])
def test_scheme_takes_the_name_of_a_bundled_scheme(name: str) -> None:
    result = run("nn", "scheme", "show", "--scheme", name)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{name} (2022): ")
    assert lines[1] == "kap. 671, post 71" and "Delmål:" in lines
    assert "Grunngjevingskodar:" in lines and "Grenser:" in lines
    validate = run("nb", "validate", CSV, "--scheme", name)
    assert validate.exit_code in (0, 1), validate.output


@pytest.mark.parametrize(("lang", "said"), [
    ("nb", "'imdi' er verken en fil eller en innebygd ordning (oppgi en ordningsfil (TOML) "
           "eller navnet på en innebygd ordning: bjornafjorden-integreringsarbeid-2022, "
           "imdi-integreringsarbeid-2022)"),
    ("nn", "'imdi' er verken ei fil eller ei innebygd ordning (oppgi ei ordningsfil (TOML) "
           "eller namnet på ei innebygd ordning: bjornafjorden-integreringsarbeid-2022, "
           "imdi-integreringsarbeid-2022)"),
])
def test_an_unknown_scheme_name_lists_the_bundled_ones(tmp_path: Path, lang: str,
                                                       said: str) -> None:
    result = run(lang, "letters", CSV, "--out", tmp_path / "o", "--scheme", "imdi")
    assert said in error_line(result, "GD-E230")
    assert not (tmp_path / "o").exists()
    for args in (["stats", CSV, "--out", tmp_path / "s.pdf"], ["scheme", "show"]):
        assert said in error_line(run(lang, *args, "--scheme", "imdi"), "GD-E230")


def _return_with_cell_problems(tmp_path: Path) -> Path:
    wb = load_workbook(RETURN)
    ws = wb["Regnskap"]
    ws.cell(row=row_of(ws, "Lønn og honorarer"), column=3, value="ca. tusen")
    ws.cell(row=row_of(ws, "Leie av lokaler"), column=3, value="=1+2")
    out = io.BytesIO()
    wb.save(out)
    path = tmp_path / "retur.xlsx"
    path.write_bytes(out.getvalue())
    return path


@pytest.mark.parametrize(("lang", "amount", "formula"), [
    ("nb", "«ca. tusen» kan ikke leses som et beløp", "cellen har en formel (=1+2) uten lagret "
                                                       "resultat"),
    ("nn", "«ca. tusen» kan ikkje lesast som eit beløp", "cella har ein formel (=1+2) utan lagra "
                                                         "resultat"),
])
def test_read_accounts_says_its_cell_notes_in_norwegian(tmp_path: Path, lang: str, amount: str,
                                                        formula: str) -> None:
    result = run(lang, "read-accounts", _return_with_cell_problems(tmp_path))
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    errors = [line for line in lines if line.startswith("feil: ")]
    assert len(errors) == 2, result.stderr
    assert amount in errors[0] and errors[0].endswith("[GD-E201]")
    assert formula in errors[1] and errors[1].endswith("[GD-E200]")
    warning = {"nb": "advarsel: ", "nn": "åtvaring: "}[lang]
    assert all(line.startswith(("feil: ", warning)) for line in lines), result.stderr
    for line in lines:
        assert re.search(r"\[GD-[EW]\d{3}\]$", line), line
        no_english(line.split(": ", 2)[-1])


@pytest.mark.parametrize(("lang", "header", "exists", "unknown"), [
    ("nb", "id\tnavn\tlaget\tstatus", "det finnes allerede et token med navnet 'sak'",
     "det finnes ikke noe token med navnet 'ingen'"),
    ("nn", "id\tnamn\tlaga\tstatus", "det finst alt eit token med namnet 'sak'",
     "det finst ikkje noko token med namnet 'ingen'"),
])
def test_token_list_header_and_errors(tmp_path: Path, lang: str, header: str, exists: str,
                                      unknown: str) -> None:
    data = tmp_path / "data"
    assert run(lang, "token", "create", "--name", "sak", "--data", data).exit_code == 0
    listed = run(lang, "token", "list", "--data", data)
    assert listed.stdout.splitlines()[0] == header
    assert listed.stdout.splitlines()[1].endswith("\taktivt")
    assert exists in error_line(run(lang, "token", "create", "--name", "sak", "--data", data),
                                "GD-E241")
    assert unknown in error_line(run(lang, "token", "revoke", "--name", "ingen", "--data", data),
                                 "GD-E242")


def _record(name: str, msg: str, *args: object, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord(name, logging.INFO, __file__, 1, msg, args, None)
    record.__dict__.update(extra)
    return record


@pytest.mark.parametrize(("lang", "said"), [
    ("nb", ["serverprosess 7 er startet", "venter på at tjenesten skal starte",
            "grantdocs er klar (datamappe /d, 2 prosesser som lager dokumenter)",
            "lytter på http://127.0.0.1:8000; stopp med Ctrl-C", "avslutter",
            "serverprosess 7 er avsluttet", "jobbkøen (Huey) er startet: 1 jobbprosess, PID 9",
            "oppgavene den kjører: a.plan, a.run", "mottok SIGTERM"]),
    ("nn", ["serverprosess 7 er starta", "ventar på at tenesta skal starte",
            "grantdocs er klar (datamappe /d, 2 prosessar som lagar dokument)",
            "lyttar på http://127.0.0.1:8000; stopp med Ctrl-C", "avsluttar",
            "serverprosess 7 er avslutta", "jobbkøen (Huey) er starta: 1 jobbprosess, PID 9",
            "oppgåvene han køyrer: a.plan, a.run", "tok imot SIGTERM"]),
])
def test_serve_and_worker_start_and_stop_lines(monkeypatch: pytest.MonkeyPatch, lang: str,
                                               said: list[str]) -> None:
    """The records uvicorn and Huey log (their own formats and values) as JSON lines."""
    import json

    monkeypatch.setenv("GRANTDOCS_LANG", lang)
    records = [
        _record("uvicorn.error", "Started server process [%d]", 7),
        _record("uvicorn.error", "Waiting for application startup."),
        _record("grantdocs.service.access", "started", data="/d", render_workers=2),
        _record("uvicorn.error", "Uvicorn running on %s://%s:%d (Press CTRL+C to quit)",
                "http", "127.0.0.1", 8000),
        _record("uvicorn.error", "Shutting down"),
        _record("uvicorn.error", "Finished server process [%d]", 7),
        _record("huey.consumer", "Huey consumer started with %s %s, PID %s at %s", 1, "process",
                9, "2026-12-01 15:00:00"),
        _record("huey.consumer", "The following commands are available:\n+ a.plan\n+ a.run"),
        _record("huey.consumer", "Received %s", "SIGTERM"),
    ]
    lines = [json.loads(JsonFormatter().format(r)) for r in records]
    assert [line["message"] for line in lines] == said
    assert all(re.fullmatch(r"GD-I0\d\d", line["code"]) for line in lines)
    other = json.loads(JsonFormatter().format(_record("grantdocs.x", "batch %s", "b1")))
    assert other["message"] == "batch b1" and "code" not in other


@pytest.mark.parametrize(("lang", "said"), [
    ("nb", {"GD-E244": "linje 2: oppgi en referanse og en dato, for eksempel 22/00133-5;20.02.2023",
            "GD-E247": "eksporten 360giving skrives som .json eller .csv; gi --out et slikt navn",
            "GD-E250": "en hemmelig nøkkel må ha minst 32 tegn (denne har 5)",
            "GD-E257": "oppgi minnegrensen for en arbeidsprosess i MB, minst 256"}),
    ("nn", {"GD-E244": "linje 2: oppgi ein referanse og ein dato, til dømes 22/00133-5;20.02.2023",
            "GD-E247": "eksporten 360giving vert skriven som .json eller .csv; gi --out eit slikt "
                       "namn",
            "GD-E250": "ein hemmeleg nøkkel må ha minst 32 teikn (denne har 5)",
            "GD-E257": "oppgi minnegrensa for ein arbeidsprosess i MB, minst 256"}),
])
def test_received_list_export_key_and_memory_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    lang: str, said: dict[str, str]) -> None:
    listed = tmp_path / "mottatt.csv"
    listed.write_text("ref;dato\n22/00133-5\n", "utf-8")
    decisions = SAMPLES / "decisions.json"
    runs = {
        "GD-E244": run(lang, "checklist", "--decisions", decisions, "--return", RETURN,
                       "--received-list", listed, "--out", tmp_path / "o"),
        "GD-E247": run(lang, "export", "360giving", CSV, "--out", tmp_path / "x.xlsx"),
    }
    monkeypatch.setenv("GRANTDOCS_SECRET_KEY", "short")
    runs["GD-E250"] = run(lang, "accounts-workbooks", decisions, "--out", tmp_path / "o")
    monkeypatch.delenv("GRANTDOCS_SECRET_KEY")
    monkeypatch.setenv("GRANTDOCS_WORKER_MEMORY_MB", "abc")
    runs["GD-E257"] = run(lang, "letters", CSV, "--out", tmp_path / "o", "-j", "2")
    for code, result in runs.items():
        line = error_line(result, code)
        assert said[code] in line, line
        no_english(re.sub(r"GRANTDOCS_\w+|python -c .*", " ", line))
    assert not (tmp_path / "x.xlsx").exists()
