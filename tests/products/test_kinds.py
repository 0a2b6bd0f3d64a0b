"""Every bulk document kind through the one batch engine, read back from the files.

Report templates (DOCX), accounts workbooks (XLSX) and checklists (PDF and XLSX) are
run through the CLI (in process: :func:`tests.helpers.in_process`); the engine's hooks
(``on_planned``, ``on_progress``) are exercised through the library. Every test reads
what was written: the manifest's rows against the files' bytes, and the documents'
text with python-docx, openpyxl and pdftotext.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pytest
from openpyxl import load_workbook

from grantdocs import run_batch
from grantdocs.batch import JOURNAL, MANIFEST_FIELDS, BatchResult, Settings
from grantdocs.model import Case
from grantdocs.products import LETTERS
from grantdocs.writers.xlsx.accounts_workbook import write_accounts_workbook
from tests.helpers import (
    SAMPLES,
    docx_text,
    flat,
    in_process,
    make_case,
    manifest,
    pdf_renders_shared,
    pdftotext,
    require_tool,
    row_of,
    sha256,
)

DECISIONS = SAMPLES / "decisions.json"
WITH_ERRORS = SAMPLES / "decisions-with-errors.csv"
SAMPLE_RETURN = SAMPLES / "returns" / "22-00133-5_Apen-dor-regnskap.xlsx"
GRANTED, PARTIAL, REJECTED = 10, 6, 8  # samples/decisions.json
NOT_REJECTED = GRANTED + PARTIAL

# --- helpers -------------------------------------------------------------------------


def grantdocs(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The CLI in this process, its exit code, stdout and stderr as a child's would be."""
    return in_process(*args)


def summary_of(run: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    """The ``--json`` summary on stdout."""
    data: dict[str, Any] = json.loads(run.stdout)
    return data


def rows(out: Path) -> list[dict[str, Any]]:
    outputs: list[dict[str, Any]] = manifest(out)["outputs"]
    return outputs


def by_path(out: Path) -> dict[str, dict[str, Any]]:
    return {r["path"]: r for r in rows(out) if r["path"]}


def assert_manifest_true(out: Path) -> dict[str, dict[str, Any]]:
    """Every listed file exists with the manifest's size and SHA-256; CSV and JSON agree."""
    assert not (out / JOURNAL).exists()
    assert not list(out.glob(".*.part"))
    listed = by_path(out)
    for name, row in listed.items():
        path = out / name
        assert path.is_file(), name
        assert path.stat().st_size == row["bytes"], name
        assert sha256(path) == row["sha256"], name
    with (out / "manifest.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == MANIFEST_FIELDS
        csv_rows = list(reader)
    json_rows = rows(out)
    assert len(csv_rows) == len(json_rows)
    for c, j in zip(csv_rows, json_rows, strict=True):
        assert (c["path"], c["status"], c["sha256"]) == (j["path"] or "", j["status"],
                                                         j["sha256"] or "")
    return listed


def sample_doc() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DECISIONS.read_text("utf-8"))
    return data


def sample_case(reference: str) -> Case:
    for data in sample_doc()["cases"]:
        if data["decision"]["case_number"] == reference:
            return Case.model_validate(data)
    raise KeyError(reference)


def sample_kinds() -> dict[str, str]:
    """Reference -> decision kind of samples/decisions.json."""
    return {c["decision"]["case_number"]: c["decision"]["kind"] for c in sample_doc()["cases"]}


def column_a(ws: Any) -> list[str]:
    return [str(c.value) for c in ws["A"] if c.value is not None]


# --- 1. report templates -------------------------------------------------------------


@dataclass
class FirstRun:
    out: Path
    run: subprocess.CompletedProcess[str]

    @classmethod
    def of(cls, command: str, factory: pytest.TempPathFactory) -> FirstRun:
        """``grantdocs COMMAND samples/decisions.json`` on two workers, into a fresh folder."""
        out = factory.mktemp(command) / "out"
        return cls(out, grantdocs(command, DECISIONS, "--out", out, "--jobs", "2", "--json"))


@pytest.fixture(scope="module")
def report_run(tmp_path_factory: pytest.TempPathFactory) -> FirstRun:
    with pdf_renders_shared(tmp_path_factory):  # the demo's report templates: converted once
        return FirstRun.of("report-templates", tmp_path_factory)


def test_report_templates_written_skipped_and_read_back(report_run: FirstRun) -> None:
    out, run = report_run.out, report_run.run
    assert run.returncode == 0, run.stderr
    summary = summary_of(run)
    assert {k: summary[k] for k in ("written", "kept", "skipped", "failed", "errors",
                                    "exit_code")} == {
        "written": NOT_REJECTED, "kept": 0, "skipped": REJECTED, "failed": 0, "errors": 0,
        "exit_code": 0}
    assert summary["out"] == str(out)
    assert manifest(out)["summary"] == {k: v for k, v in summary.items() if k != "out"}

    listed = assert_manifest_true(out)
    kinds = sample_kinds()
    docx_files = sorted(p.name for p in out.glob("*.docx"))
    assert docx_files == sorted(listed) and len(docx_files) == NOT_REJECTED
    for name, row in listed.items():
        assert name.endswith("_arsrapport.docx") and name.startswith(
            row["reference"].replace("/", "-") + "_"), name
        assert (row["kind"], row["format"], row["status"]) == ("report-template", "docx",
                                                               "written")
        assert kinds[row["reference"]] in ("granted", "partial")
        data = (out / name).read_bytes()
        document = docx.Document(io.BytesIO(data))  # opens with python-docx
        assert document.paragraphs
        assert f'w:val="{row["language"]}-NO"' in document.styles.element.xml
        assert row["reference"] in flat(docx_text(data)), name

    skipped = [r for r in rows(out) if r["status"] == "skipped"]
    assert len(skipped) == REJECTED
    assert {r["reference"] for r in skipped} == {
        ref for ref, kind in kinds.items() if kind == "rejected"}
    for row in skipped:
        assert row["error"] == "a rejection has no annual report"
        assert row["path"] is None and row["sha256"] is None
        assert row["file"] == str(DECISIONS) and row["row"] >= 1 and row["organisation"]


def test_report_templates_rerun_keeps_and_one_changed_record_regenerates_one(
        report_run: FirstRun, tmp_path: Path) -> None:
    assert report_run.run.returncode == 0, report_run.run.stderr
    out = tmp_path / "out"
    shutil.copytree(report_run.out, out)
    before = {p.name: p.read_bytes() for p in out.glob("*.docx")}

    again = grantdocs("report-templates", DECISIONS, "--out", out, "--jobs", "1", "--json")
    assert again.returncode == 0, again.stderr
    summary = summary_of(again)
    assert (summary["written"], summary["kept"], summary["skipped"], summary["failed"]) == (
        0, NOT_REJECTED, REJECTED, 0)
    assert Counter(r["status"] for r in rows(out)) == {"kept": NOT_REJECTED,
                                                       "skipped": REJECTED}
    assert {p.name: p.read_bytes() for p in out.glob("*.docx")} == before

    doc = copy.deepcopy(sample_doc())
    target = next(c for c in doc["cases"] if c["decision"]["case_number"] == "22/00087-3")
    assert target["decision"]["kind"] == "granted"
    new_title = "Nasjonal konferanse om frivillighet og fellesskap, endret tittel"
    target["application"]["title"] = new_title
    changed = tmp_path / "decisions-changed.json"
    changed.write_text(json.dumps(doc, ensure_ascii=False, indent=1), "utf-8")

    third = grantdocs("report-templates", changed, "--out", out, "--jobs", "1", "--json")
    assert third.returncode == 0, third.stderr
    summary = summary_of(third)
    assert (summary["written"], summary["kept"], summary["skipped"]) == (
        1, NOT_REJECTED - 1, REJECTED)
    listed = assert_manifest_true(out)
    written = [r for r in listed.values() if r["status"] == "written"]
    assert [r["reference"] for r in written] == ["22/00087-3"]
    name = written[0]["path"]
    assert new_title in flat(docx_text((out / name).read_bytes()))
    assert new_title not in flat(docx_text(before[name]))
    for other, data in before.items():
        if other != name:
            assert (out / other).read_bytes() == data, other


# --- 2. accounts workbooks -----------------------------------------------------------

OLD_LABEL = "Innvilget tilskudd"
NEW_LABEL = "Tilskudd innvilget av IMDi (overstyrt)"
SHEET = {"nb": "Regnskap", "nn": "Rekneskap"}
REFERENCE_LABEL = "Saksnummer (vår referanse)"


@pytest.fixture(scope="module")
def accounts_run(tmp_path_factory: pytest.TempPathFactory) -> FirstRun:
    return FirstRun.of("accounts-workbooks", tmp_path_factory)


def test_accounts_workbooks_written_skipped_and_read_back(accounts_run: FirstRun) -> None:
    out, run = accounts_run.out, accounts_run.run
    assert run.returncode == 0, run.stderr
    summary = summary_of(run)
    assert (summary["written"], summary["kept"], summary["skipped"], summary["failed"]) == (
        NOT_REJECTED, 0, REJECTED, 0)
    listed = assert_manifest_true(out)
    assert sorted(p.name for p in out.glob("*.xlsx")) == sorted(listed)
    assert len(listed) == NOT_REJECTED
    languages: Counter[str] = Counter()
    for name, row in listed.items():
        assert name.endswith("_regnskap.xlsx")
        assert (row["kind"], row["format"]) == ("accounts-workbook", "xlsx")
        wb = load_workbook(out / name)
        lang = row["language"]
        languages[lang] += 1
        ws = wb[SHEET[lang]]
        assert ws.cell(row=row_of(ws, REFERENCE_LABEL), column=2).value == row["reference"]
        assert ws.cell(row=row_of(ws, "Organisasjon"), column=2).value == row["organisation"]
    assert set(languages) == {"nb", "nn"}
    skipped = [r for r in rows(out) if r["status"] == "skipped"]
    assert len(skipped) == REJECTED
    assert {r["error"] for r in skipped} == {"a rejection has no accounts workbook"}


@dataclass
class Override:
    out: Path
    templates: Path
    before: dict[str, bytes]  # file name -> bytes before the override
    languages: dict[str, str]  # file name -> language
    run: subprocess.CompletedProcess[str]
    again: subprocess.CompletedProcess[str]
    statuses: dict[str, str]  # file name -> manifest status after the override run


@pytest.fixture(scope="module")
def accounts_override(accounts_run: FirstRun,
                      tmp_path_factory: pytest.TempPathFactory) -> Override:
    """The first run's folder rerun with an nb/accounts.toml override, then once more."""
    assert accounts_run.run.returncode == 0, accounts_run.run.stderr
    base = tmp_path_factory.mktemp("override")
    out = base / "out"
    shutil.copytree(accounts_run.out, out)
    templates = base / "templates"
    (templates / "nb").mkdir(parents=True)
    bundled = SAMPLES.parent / "templates" / "nb" / "accounts.toml"
    text = bundled.read_text("utf-8")
    line = f'grant = "{OLD_LABEL}"'
    assert text.count(line) == 1
    (templates / "nb" / "accounts.toml").write_text(
        text.replace(line, f'grant = "{NEW_LABEL}"'), "utf-8")
    before = {p.name: p.read_bytes() for p in out.glob("*.xlsx")}
    languages = {name: r["language"] for name, r in by_path(out).items()}
    run = grantdocs("accounts-workbooks", DECISIONS, "--out", out, "--templates", templates,
                    "--jobs", "1", "--json")
    statuses = {name: r["status"] for name, r in by_path(out).items()}
    again = grantdocs("accounts-workbooks", DECISIONS, "--out", out, "--templates", templates,
                      "--jobs", "1", "--json")
    return Override(out, templates, before, languages, run, again, statuses)


def test_accounts_template_override_changes_the_nb_label_only(
        accounts_override: Override) -> None:
    o = accounts_override
    assert o.run.returncode == 0, o.run.stderr
    assert o.again.returncode == 0, o.again.stderr
    listed = assert_manifest_true(o.out)
    assert set(listed) == set(o.before)
    assert set(o.languages.values()) == {"nb", "nn"}
    for name, lang in o.languages.items():
        data = (o.out / name).read_bytes()
        labels = column_a(load_workbook(io.BytesIO(data))[SHEET[lang]])
        if lang == "nb":
            assert NEW_LABEL in labels and OLD_LABEL not in labels, name
            assert data != o.before[name]
        else:
            assert NEW_LABEL not in labels and "Innvilga tilskot" in labels, name
            assert data == o.before[name], name  # the nn override was not touched
    # a rerun with the same override regenerates nothing
    summary = summary_of(o.again)
    assert (summary["written"], summary["kept"], summary["skipped"]) == (
        0, NOT_REJECTED, REJECTED)


def test_accounts_template_override_regenerates_only_nb_workbooks(
        accounts_override: Override) -> None:
    o = accounts_override
    assert o.run.returncode == 0, o.run.stderr
    expected = {name: "written" if lang == "nb" else "kept"
                for name, lang in o.languages.items()}
    assert o.statuses == expected
    summary = summary_of(o.run)
    nb = sum(lang == "nb" for lang in o.languages.values())
    assert (summary["written"], summary["kept"]) == (nb, NOT_REJECTED - nb)


def test_accounts_workbooks_issuer_by_name(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = grantdocs("accounts-workbooks", DECISIONS, "--out", out, "--issuer", "bjornafjorden",
                    "--jobs", "1", "--json")
    assert run.returncode == 0, run.stderr
    summary = summary_of(run)
    assert (summary["written"], summary["skipped"], summary["failed"]) == (
        NOT_REJECTED, REJECTED, 0)
    listed = assert_manifest_true(out)
    for name, row in listed.items():
        ws = load_workbook(out / name)[SHEET[row["language"]]]
        assert ws.cell(row=row_of(ws, REFERENCE_LABEL), column=2).value == row["reference"]


def test_accounts_workbooks_unknown_issuer_is_a_configuration_error(tmp_path: Path) -> None:
    run = grantdocs("accounts-workbooks", DECISIONS, "--out", tmp_path / "out",
                    "--issuer", "no-such-issuer")
    assert "Traceback" not in run.stderr
    assert run.returncode == 2, run.stderr
    assert "error: issuer file not found: no-such-issuer" in run.stderr
    assert not (tmp_path / "out").exists()  # nothing touched before the settings load


# --- 3. checklists -------------------------------------------------------------------

SECOND_REF = "22/00146-3"  # granted, nb, kr 400 000
LISTED_DATE = "01.03.2023"  # SECOND_REF's date in the received list
DEFAULT_DATE = "20.02.2023"  # --received, for every other return
FOREIGN_REF = "22/00123-4"  # make_case()'s reference: not in samples/decisions.json


def filled_return(case: Case, *, travel: int = 95_000) -> bytes:
    """A fresh workbook for ``case`` filled in with openpyxl, as a grantee would."""
    wb = load_workbook(io.BytesIO(write_accounts_workbook(case)))
    ws = wb["Regnskap"]
    for label, budget, actual in (("Lønn og honorarer", 300_000, 290_000),
                                  ("Reise", 100_000, travel)):
        ws.cell(row=row_of(ws, label), column=2, value=budget)
        ws.cell(row=row_of(ws, label), column=3, value=actual)
    signed_by = "Underskrevet av (styreleder, daglig leder eller den som har fullmakt)"
    ws.cell(row=row_of(ws, signed_by), column=2, value="Nora Lund")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@dataclass
class Returns:
    base: Path
    folder: Path
    sample: Path
    second: Path
    junk: Path
    foreign: Path
    received_list: Path
    out: Path

    def run(self, jobs: int = 1) -> subprocess.CompletedProcess[str]:
        return grantdocs("checklist", "--decisions", DECISIONS, "--return", self.folder,
                         "--received-list", self.received_list, "--received", "2023-02-20",
                         "--auditor", "--format", "pdf,xlsx", "--out", self.out,
                         "--jobs", str(jobs), "--json")


def make_returns(base: Path) -> Returns:
    folder = base / "returns"
    folder.mkdir()
    sample = folder / SAMPLE_RETURN.name
    shutil.copyfile(SAMPLE_RETURN, sample)
    second = folder / "22-00146-3_Spraakvenn-regnskap.xlsx"
    second.write_bytes(filled_return(sample_case(SECOND_REF)))
    junk = folder / "notater.xlsx"  # a text file that only looks like a workbook
    junk.write_text("Notater fra telefonmøte med tilskuddsmottaker\n", "utf-8")
    foreign = folder / "annen-ordning-regnskap.xlsx"
    foreign.write_bytes(write_accounts_workbook(make_case()))
    received_list = base / "mottatt.csv"
    received_list.write_text(f"referanse;dato\n{SECOND_REF};{LISTED_DATE}\n", "utf-8")
    return Returns(base, folder, sample, second, junk, foreign, received_list, base / "out")


@pytest.fixture(scope="module")
def checklist_run(tmp_path_factory: pytest.TempPathFactory
                  ) -> tuple[Returns, subprocess.CompletedProcess[str], list[dict[str, Any]]]:
    returns = make_returns(tmp_path_factory.mktemp("checklists"))
    with pdf_renders_shared(tmp_path_factory):  # the rerun test's first run: the same PDFs
        run = returns.run(jobs=2)  # the product, with its received dates, pickled to workers
    return returns, run, rows(returns.out)


def test_checklists_for_good_returns_and_failures_for_bad_ones(
        checklist_run: tuple[Returns, subprocess.CompletedProcess[str],
                             list[dict[str, Any]]]) -> None:
    returns, run, manifest_rows = checklist_run
    out = returns.out
    assert run.returncode == 1, run.stderr
    summary = summary_of(run)
    assert (summary["written"], summary["kept"], summary["failed"], summary["exit_code"]) == (
        8, 0, 2, 1)
    assert summary["errors"] == 2
    listed = assert_manifest_true(out)

    good = {"22/00133-5": returns.sample, SECOND_REF: returns.second}
    for reference, source in good.items():
        files = {name: row for name, row in listed.items() if row["reference"] == reference}
        stem = reference.replace("/", "-") + "_"
        assert all(n.startswith(stem) for n in files), files
        assert sorted((n.rsplit("_", 1)[1], r["kind"]) for n, r in files.items()) == [
            ("kontroll.pdf", "checklist"), ("kontroll.xlsx", "checklist"),
            ("revisor.pdf", "audit-procedures"), ("revisor.xlsx", "audit-procedures")]
        for row in files.values():
            assert row["status"] == "written" and row["file"] == str(source)
            assert row["language"] == "nb"
            assert row["pages"] is None or row["pages"] >= 1
    assert set(listed) == {p.name for p in out.iterdir() if p.suffix in (".pdf", ".xlsx")}

    failed = [r for r in manifest_rows if r["status"] == "failed"]
    assert len(failed) == 2
    junk = next(r for r in failed if r["file"] == str(returns.junk))
    assert junk["path"] is None and "not a readable XLSX workbook" in junk["error"]
    foreign = next(r for r in failed if r["file"] == str(returns.foreign))
    assert foreign["reference"] == FOREIGN_REF
    assert "no decision with this reference" in foreign["error"]
    assert str(DECISIONS) in foreign["error"]
    errors = [line for line in run.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 2, run.stderr
    assert any(line.startswith(f"{returns.junk}: error: not a readable XLSX") for line in errors)
    assert any(line.startswith(f"{returns.foreign}: error: returned workbook for {FOREIGN_REF}: "
                               "no decision")
               for line in errors)


def test_checklist_shows_the_received_date_from_the_list(
        checklist_run: tuple[Returns, subprocess.CompletedProcess[str],
                             list[dict[str, Any]]]) -> None:
    require_tool("pdftotext")
    returns, run, manifest_rows = checklist_run
    assert run.returncode == 1, run.stderr
    control = {r["reference"]: r["path"] for r in manifest_rows
               if r["kind"] == "checklist" and r["format"] == "pdf"}
    listed_pdf = flat(pdftotext((returns.out / control[SECOND_REF]).read_bytes()))
    assert SECOND_REF in listed_pdf and "Språkvenn Norge" in listed_pdf
    assert "Underskrevet av Nora Lund" in listed_pdf  # read from the filled-in return
    assert f"Rapport mottatt {LISTED_DATE}" in listed_pdf
    assert f"mottatt {LISTED_DATE}; 28 dager for sent" in listed_pdf  # deadline 01.02.2023
    assert DEFAULT_DATE not in listed_pdf
    default_pdf = flat(pdftotext((returns.out / control["22/00133-5"]).read_bytes()))
    assert f"Rapport mottatt {DEFAULT_DATE}" in default_pdf
    assert "kr 29 000" in default_pdf  # the sample return's unspent money
    # the running footer: title, reference and page numbers on every page
    pages = re.findall(r"Side (\d+) av (\d+)", default_pdf)
    assert pages and [int(p) for p, _ in pages] == list(range(1, int(pages[0][1]) + 1))
    assert "Kontroll av rapport og regnskap – 22/00133-5" in default_pdf

    # the same date in the checklist workbook
    xlsx = next(r["path"] for r in manifest_rows
                if r["reference"] == SECOND_REF and r["kind"] == "checklist"
                and r["format"] == "xlsx")
    ws = load_workbook(returns.out / xlsx)["Kontroll"]
    assert ws.cell(row=row_of(ws, "Rapport mottatt"), column=2).value == LISTED_DATE
    audit = next(r["path"] for r in manifest_rows
                 if r["reference"] == SECOND_REF and r["kind"] == "audit-procedures"
                 and r["format"] == "pdf")
    assert SECOND_REF in flat(pdftotext((returns.out / audit).read_bytes()))


@pytest.mark.slow
@pytest.mark.usefixtures("shared_pdf_renders")  # its first run's PDFs: checklist_run's
def test_checklist_rerun_keeps_and_an_edited_return_regenerates_its_files(
        tmp_path: Path) -> None:
    returns = make_returns(tmp_path)
    first = returns.run()
    assert first.returncode == 1, first.stderr
    assert summary_of(first)["written"] == 8
    before = {n: (returns.out / n).read_bytes() for n in by_path(returns.out)}

    again = returns.run()
    assert again.returncode == 1, again.stderr  # the two bad returns still fail
    summary = summary_of(again)
    assert (summary["written"], summary["kept"], summary["failed"]) == (0, 8, 2)
    assert {n: r["status"] for n, r in by_path(returns.out).items()} == dict.fromkeys(
        before, "kept")
    assert {n: (returns.out / n).read_bytes() for n in before} == before

    # the grantee corrects one amount: the workbook's bytes change, nothing else does
    wb = load_workbook(returns.second)
    ws = wb["Regnskap"]
    ws.cell(row=row_of(ws, "Reise"), column=3, value=99_000)
    wb.save(returns.second)
    third = returns.run()
    assert third.returncode == 1, third.stderr
    summary = summary_of(third)
    assert (summary["written"], summary["kept"], summary["failed"]) == (4, 4, 2)
    listed = assert_manifest_true(returns.out)
    for name, row in listed.items():
        expected = "written" if row["reference"] == SECOND_REF else "kept"
        assert row["status"] == expected, name
        if expected == "kept":
            assert (returns.out / name).read_bytes() == before[name]
    xlsx = next(n for n, r in listed.items()
                if r["reference"] == SECOND_REF and r["kind"] == "checklist"
                and r["format"] == "xlsx")
    ws = load_workbook(returns.out / xlsx)["Kontroll"]
    total = ws.cell(row=row_of(ws, "Sum faktiske kostnader"), column=2).value
    assert flat(str(total)) == "kr 389 000"  # 290 000 + 99 000, was 385 000
    assert "kr 385 000" in flat(" ".join(str(c.value) for r in load_workbook(
        io.BytesIO(before[xlsx]))["Kontroll"].iter_rows() for c in r if c.value is not None))


# --- 4. the library's hooks ----------------------------------------------------------


def test_on_planned_comes_first_with_every_error_and_progress_knows_the_total(
        tmp_path: Path) -> None:
    out = tmp_path / "out"
    records = sum(1 for _ in csv.reader(WITH_ERRORS.read_text("utf-8-sig").splitlines())) - 1
    assert records == 20
    planned: list[tuple[list[str], int, list[int | None], int]] = []
    progress: list[tuple[int, int | None]] = []

    def on_planned(result: BatchResult) -> None:
        files = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
        planned.append((files, len(result.errors), [e.location.row for e in result.errors],
                        result.count("failed")))
        assert not progress  # before any progress is reported

    def on_progress(done: int, total: int | None) -> None:
        progress.append((done, total))

    result = run_batch([WITH_ERRORS], out, ("html",), kind=LETTERS, settings=Settings(),
                       jobs=1, on_progress=on_progress, on_planned=on_planned)

    assert len(planned) == 1
    files, errors, error_rows, failed = planned[0]
    assert files == []  # no output (nor manifest) existed yet
    assert errors == 3 and failed == 3
    assert sorted(r for r in error_rows if r is not None) == [10, 13, 19]

    # the total is known from the first call; the three refused records already count as done
    assert progress[0] == (3, records)
    assert all(total == records for _, total in progress)
    assert [done for done, _ in progress] == sorted(done for done, _ in progress)
    assert progress[-1] == (records, records)
    assert (result.count("written"), result.count("failed")) == (records - 3, 3)
    assert len(list(out.glob("*.html"))) == records - 3
    assert_manifest_true(out)


# --- 5. several document kinds in one folder -----------------------------------------


@pytest.mark.usefixtures("shared_pdf_renders")  # report templates: converted once
def test_letters_and_report_templates_share_a_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    letters = grantdocs("letters", DECISIONS, "--out", out, "--format", "html", "--jobs", "1",
                        "--json")
    assert letters.returncode == 0, letters.stderr
    assert summary_of(letters)["written"] == GRANTED + PARTIAL + REJECTED

    target = tmp_path / "alt.zip"
    reports = grantdocs("report-templates", DECISIONS, "--out", out, "--jobs", "1", "--json",
                        "--zip", target)
    assert reports.returncode == 0, reports.stderr
    summary = summary_of(reports)
    # the letters are carried over, not counted as this run's outputs
    assert (summary["written"], summary["kept"], summary["skipped"]) == (
        NOT_REJECTED, 0, REJECTED)
    listed = assert_manifest_true(out)
    kinds = Counter(r["kind"] for r in listed.values())
    assert kinds == {"granted": GRANTED, "partial": PARTIAL, "rejected": REJECTED,
                     "report-template": NOT_REJECTED}
    assert manifest(out)["summary"]["written"] == NOT_REJECTED

    with zipfile.ZipFile(target) as zf:
        names = zf.namelist()
        assert set(names) == set(listed) | {"manifest.json", "manifest.csv"}
        assert len(names) == len(set(names)) == summary["zip"]["files"]
        for name, row in listed.items():
            assert hashlib.sha256(zf.read(name)).hexdigest() == row["sha256"], name
        assert json.loads(zf.read("manifest.json")) == manifest(out)
    reports_rows = {n: r for n, r in listed.items() if r["kind"] == "report-template"}

    again = grantdocs("letters", DECISIONS, "--out", out, "--format", "html", "--jobs", "1",
                      "--json")
    assert again.returncode == 0, again.stderr
    summary = summary_of(again)
    assert (summary["written"], summary["kept"], summary["skipped"]) == (
        0, GRANTED + PARTIAL + REJECTED, 0)
    listed = assert_manifest_true(out)
    carried = {n: r for n, r in listed.items() if r["kind"] == "report-template"}
    assert carried == reports_rows  # untouched: same rows, same status
    assert {r["status"] for n, r in listed.items() if n not in carried} == {"kept"}
    assert {p.name for p in out.iterdir() if p.suffix in (".html", ".docx")} == set(listed)
    # the report templates' skipped rejections stay in the manifest too, with their product
    skipped = [r for r in rows(out) if r["status"] == "skipped"]
    assert len(skipped) == REJECTED
    assert {r["document"] for r in skipped} == {"report-templates"}
    assert {r["document"] for r in rows(out) if r["path"] in carried} == {"report-templates"}
    assert {r["document"] for r in rows(out)
            if r["path"] and r["path"] not in carried} == {"letters"}


@pytest.mark.usefixtures("shared_pdf_renders")  # report templates: converted once
def test_manifest_files_are_consistent_after_a_failed_record(tmp_path: Path) -> None:
    """A failed record in a mixed folder is a row without a path, and is counted."""
    out = tmp_path / "out"
    run = grantdocs("report-templates", WITH_ERRORS, "--out", out, "--jobs", "1", "--json",
                    "--quiet")
    assert run.returncode == 1, run.stderr
    summary = summary_of(run)
    assert summary["failed"] == 3 and summary["exit_code"] == 1
    failed = [r for r in rows(out) if r["status"] == "failed"]
    assert sorted(r["row"] for r in failed) == [10, 13, 19]
    assert all(r["path"] is None and r["error"] and r["file"] == str(WITH_ERRORS)
               for r in failed)
    listed = assert_manifest_true(out)
    assert len(listed) == summary["written"] > 0
    assert all(name.endswith("_arsrapport.docx") for name in listed)


def test_a_damaged_returned_workbook_is_one_failed_row(tmp_path: Path) -> None:
    sample = SAMPLES / "returns" / "22-00133-5_Apen-dor-regnskap.xlsx"
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(sample) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet") and item.filename != \
                    "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # the hidden identifiers sheet, cut in half
            dst.writestr(item, data)
    from grantdocs.products import checklists

    result = run_batch([sample, damaged], tmp_path / "out", ("xlsx",), jobs=1,
                       kind=checklists([DECISIONS], received=__import__("datetime").date(
                           2023, 2, 20)))
    assert result.count("written") == 1
    failed = [o for o in result.outputs if o.status == "failed"]
    assert len(failed) == 1 and failed[0].file == str(damaged)
    assert "not a readable XLSX workbook" in (failed[0].error or "")


