"""The batch engine end to end on real PDF letters, as real processes: the parent SIGKILLed
mid-run leaves no process behind and the rerun completes; then the print file and the zip.

10 letters (mostly two-page rejections, every fifth a three-page one, so that the print file
needs blank pages) are written once per session. The engine's other behaviours are tested on
a stub document kind in tests/batch/.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import pytest
from click.testing import CliRunner

from grantdocs.batch import JOURNAL
from grantdocs.cli import cli
from grantdocs.formatting import sorted_norwegian
from tests.conftest import once_per_session
from tests.helpers import make_case, pdftotext

N = 10  # the kill comes after 3 letters, so most are left for the rerun; 2 have three pages
ORGS = ("Åsane Frivilligsentral", "Øst Innvandrerforum", "Ærlig Talt Kulturlag",
        "Aktiv Ungdom Oslo", "Bydel Grorud Venner", "Ny i Norge Forening", "Zeta Dialog",
        "Sámi Searvi Ŋuvttat", "Ål Flerkulturelle Lag", "Oslo Mangfoldssenter")


def cases_json(n: int = N) -> dict[str, Any]:
    cases = []
    for i in range(n):
        decision: dict[str, Any] = {"case_number": f"22/{i + 1:05d}-1"}
        if i % 5 == 2:  # a three-page letter
            decision["reason_text"] = "Søknaden mangler en realistisk plan for tiltaket. " * 60
        case = make_case("rejected", "nn" if i % 3 == 0 else "nb", decision=decision,
                         organisation={"name": f"{ORGS[i % len(ORGS)]} {i // len(ORGS)}"})
        cases.append(case.model_dump(mode="json"))
    return {"schema_version": "1", "cases": cases}


def grantdocs(*args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "grantdocs", *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def manifest(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "manifest.json").read_text("utf-8"))
    return data


def assert_consistent(out: Path) -> dict[str, dict[str, Any]]:
    """Only complete PDFs, no temporary files, and a manifest that lists exactly them."""
    from pypdf import PdfReader

    assert not list(out.glob(".*.part"))
    assert not (out / JOURNAL).exists()
    listed = {r["path"]: r for r in manifest(out)["outputs"] if r["path"]}
    assert set(listed) == {p.name for p in out.glob("*.pdf")}
    for name, row in listed.items():
        data = (out / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"] and len(data) == row["bytes"]
        assert len(PdfReader(out / name).pages) == row["pages"]
    return listed


@dataclass
class Killed:
    source: Path
    out: Path  # this test process's own copy of the folder the kill and the rerun left
    processes: list[int]  # the parent's children before the kill
    left: list[int]  # those still running 5 s after it
    done_before: int
    rerun: dict[str, Any]


def _kill_and_rerun(base: Path) -> dict[str, Any]:
    """`grantdocs letters --jobs 2` SIGKILLed after a few letters, then run again to the end."""
    source = base / "cases.json"
    source.write_text(json.dumps(cases_json(), ensure_ascii=False), "utf-8")
    out = base / "out"
    proc = grantdocs("letters", source, "--out", out, "--jobs", "2")
    deadline = time.monotonic() + 600
    while len(list(out.glob("*.pdf"))) < 3:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the batch made no progress"
        time.sleep(0.05)
    processes = psutil.Process(proc.pid).children(recursive=True)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    gone_by = time.monotonic() + 5  # none may be left 5 seconds later: wait no longer than that
    while any(_running(p) for p in processes) and time.monotonic() < gone_by:
        time.sleep(0.05)
    left = [p.pid for p in processes if _running(p)]
    done_before = len(list(out.glob("*.pdf")))
    # The rerun is about the folder the kill left, not about a process: run it in this one.
    rerun = CliRunner().invoke(cli, ["letters", str(source), "--out", str(out), "--jobs", "2",
                                     "--json"])
    assert rerun.exit_code == 0, rerun.output
    return {"source": str(source), "out": str(out), "processes": [p.pid for p in processes],
            "left": left, "done_before": done_before, "rerun": json.loads(rerun.stdout)}


@pytest.fixture(scope="module")
def killed(tmp_path_factory: pytest.TempPathFactory) -> Killed:
    """The kill and the rerun, once per session (the first test process to ask makes them);
    the print and zip tests write into the folder, so each test process gets a copy."""
    made = once_per_session(tmp_path_factory, "killed-letters", _kill_and_rerun)
    out = tmp_path_factory.mktemp("killed") / "out"
    shutil.copytree(made["out"], out)
    return Killed(Path(made["source"]), out, made["processes"], made["left"],
                  made["done_before"], made["rerun"])


def _running(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.mark.slow
def test_no_process_of_a_killed_run_is_left(killed: Killed) -> None:
    assert len(killed.processes) >= 2  # the workers (forked: no forkserver, no tracker)
    assert killed.left == []


@pytest.mark.slow
def test_the_rerun_after_a_kill_completes_the_batch(killed: Killed) -> None:
    assert killed.rerun["failed"] == 0
    assert killed.rerun["kept"] + killed.rerun["written"] == N
    assert killed.rerun["kept"] >= 1  # what the killed run finished is not made again
    assert len(assert_consistent(killed.out)) == N


@pytest.mark.slow
@pytest.mark.parametrize("order", ["alpha", "input"])
def test_print_pdf_starts_every_letter_on_an_odd_page(
        killed: Killed, tmp_path: Path, order: str) -> None:
    from pypdf import PdfReader

    target = tmp_path / "print.pdf"
    run = CliRunner().invoke(cli, ["letters", str(killed.source), "--out", str(killed.out),
                                   "--jobs", "2", "--print-pdf", str(target),
                                   "--print-order", order])
    assert run.exit_code == 0, run.output
    rows = [r for r in manifest(killed.out)["outputs"] if r["format"] == "pdf"]
    assert len(rows) == N and all(r["organisation"] for r in rows)
    if order == "alpha":
        rows = sorted_norwegian(sorted(rows, key=lambda r: (r["reference"], r["path"])),
                                key=lambda r: r["organisation"])
    else:
        rows.sort(key=lambda r: r["row"])
    count = len(PdfReader(target).pages)
    pages = pdftotext(target.read_bytes()).split("\f")  # poppler: one form feed per page
    page = 1
    for row in rows:
        assert page % 2 == 1
        assert row["reference"] in pages[page - 1], (page, row["reference"])
        page += row["pages"]
        if row["pages"] % 2:
            assert not pages[page - 1].strip()
            page += 1
    assert page - 1 == count
    assert any(r["pages"] % 2 for r in rows)


@pytest.mark.slow
def test_zip_holds_exactly_the_manifest_files(killed: Killed, tmp_path: Path) -> None:
    target = tmp_path / "letters.zip"
    args = ["letters", str(killed.source), "--out", str(killed.out), "--zip"]
    run = CliRunner().invoke(cli, [*args, str(target)])
    assert run.exit_code == 0, run.output
    listed = {r["path"]: r for r in manifest(killed.out)["outputs"] if r["path"]}
    with zipfile.ZipFile(target) as zf:
        names = zf.namelist()
        assert names == sorted(names)
        assert set(names) == set(listed) | {"manifest.json", "manifest.csv"}
        for name, row in listed.items():
            assert hashlib.sha256(zf.read(name)).hexdigest() == row["sha256"]
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    again = tmp_path / "again.zip"
    run = CliRunner().invoke(cli, [*args, str(again)])
    assert run.exit_code == 0, run.output
    assert again.read_bytes() == target.read_bytes()
