"""The batch engine under stress, as real processes: Ctrl-C, a killed worker, one changed row,
the print file and the zip. Nothing here is timed; the runs wait for files to appear.

A 300-letter input (mostly two-page rejections, every 20th a three-page one, so that
the print file needs blank pages) is written once per module.
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

import pytest

from grantdocs.batch import JOURNAL
from grantdocs.formatting import sorted_norwegian
from tests.conftest import make_case, pdftotext

N = 300
ORGS = ("Åsane Frivilligsentral", "Øst Innvandrerforum", "Ærlig Talt Kulturlag",
        "Aktiv Ungdom Oslo", "Bydel Grorud Venner", "Ny i Norge Forening", "Zeta Dialog",
        "Sámi Searvi Ŋuvttat", "Ål Flerkulturelle Lag", "Oslo Mangfoldssenter")


def cases_json(n: int = N, *, changed: int | None = None) -> dict[str, Any]:
    cases = []
    for i in range(n):
        decision: dict[str, Any] = {"case_number": f"22/{i + 1:05d}-1"}
        if i % 20 == 7:  # a three-page letter
            decision["reason_text"] = "Søknaden mangler en realistisk plan for tiltaket. " * 60
        if i == changed:
            decision["reason_text"] = "Vi har lagt vekt på at budsjettet er for høyt."
        case = make_case("rejected", "nn" if i % 3 == 0 else "nb", decision=decision,
                         organisation={"name": f"{ORGS[i % len(ORGS)]} {i // len(ORGS)}"})
        cases.append(case.model_dump(mode="json"))
    return {"schema_version": "1", "cases": cases}


def start(*args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "grantdocs", *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def run(*args: str | Path) -> tuple[int, str, str]:
    proc = start(*args)
    out, err = proc.communicate(timeout=900)
    return proc.returncode, out, err


def wait_for_pdfs(out: Path, count: int, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 600
    while len(list(out.glob("*.pdf"))) < count:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the batch made no progress"
        time.sleep(0.05)


def manifest(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "manifest.json").read_text("utf-8"))
    return data


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_consistent(out: Path) -> dict[str, dict[str, Any]]:
    """Only complete PDFs, no temporary files, and a manifest that lists exactly them."""
    from pypdf import PdfReader

    assert not list(out.glob(".*.part"))
    assert not (out / JOURNAL).exists()
    listed = {r["path"]: r for r in manifest(out)["outputs"] if r["path"]}
    on_disk = {p.name for p in out.glob("*.pdf")}
    assert set(listed) == on_disk
    for name, row in listed.items():
        path = out / name
        assert sha256(path) == row["sha256"] and path.stat().st_size == row["bytes"]
        reader = PdfReader(path)
        assert len(reader.pages) == row["pages"]
    return listed


@dataclass
class Resumed:
    out: Path
    source: Path
    interrupted_rc: int
    interrupted_err: str
    snapshot: Path
    before: dict[str, tuple[int, int]]  # name -> (inode, mtime_ns) after the interrupt
    rerun: dict[str, Any]


@pytest.fixture(scope="module")
def resumed(tmp_path_factory: pytest.TempPathFactory) -> Resumed:
    """A 300-letter run stopped with SIGINT after ~30 letters, then run again to the end."""
    base = tmp_path_factory.mktemp("resumed")
    source = base / "cases.json"
    source.write_text(json.dumps(cases_json(), ensure_ascii=False), "utf-8")
    out = base / "out"
    proc = start("letters", source, "--out", out, "--jobs", "2")
    wait_for_pdfs(out, 30, proc)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    snapshot = base / "snapshot"
    shutil.copytree(out, snapshot)
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.glob("*.pdf")}
    rc, stdout, rerr = run("letters", source, "--out", out, "--jobs", "2", "--json")
    assert rc == 0, rerr
    return Resumed(out, source, proc.returncode, err, snapshot, before, json.loads(stdout))


@pytest.mark.slow
def test_sigint_leaves_complete_files_and_a_true_manifest(resumed: Resumed) -> None:
    assert resumed.interrupted_rc == 130, resumed.interrupted_err
    assert "Interrupted" in resumed.interrupted_err
    listed = assert_consistent(resumed.snapshot)
    assert 30 <= len(listed) < N
    assert all(r["status"] == "written" for r in listed.values())


@pytest.mark.slow
def test_rerun_after_sigint_keeps_what_was_done(resumed: Resumed) -> None:
    done = len(resumed.before)
    assert resumed.rerun["kept"] == done and resumed.rerun["written"] == N - done
    assert resumed.rerun["failed"] == 0
    listed = assert_consistent(resumed.out)
    assert len(listed) == N
    for name, (inode, mtime) in resumed.before.items():
        stat = (resumed.out / name).stat()
        assert (stat.st_ino, stat.st_mtime_ns) == (inode, mtime), name
        assert listed[name]["status"] == "kept"


@pytest.mark.slow
def test_killed_worker_is_replaced_and_the_batch_completes(tmp_path: Path) -> None:
    import psutil

    source = tmp_path / "cases.json"
    source.write_text(json.dumps(cases_json(), ensure_ascii=False), "utf-8")
    out = tmp_path / "out"
    proc = start("letters", source, "--out", out, "--jobs", "2", "--json")
    wait_for_pdfs(out, 30, proc)
    parent = psutil.Process(proc.pid)
    workers = parent.children()  # forked by the parent: no forkserver in between
    assert workers
    workers[0].send_signal(signal.SIGKILL)
    stdout, err = proc.communicate(timeout=900)
    if proc.returncode != 0:  # a job in flight twice when workers died: the rerun finishes it
        rc, stdout, err = run("letters", source, "--out", out, "--jobs", "2", "--json")
        assert rc == 0, err
    assert json.loads(stdout)["failed"] == 0
    assert len(assert_consistent(out)) == N


@pytest.mark.slow
def test_one_changed_row_regenerates_one_letter(resumed: Resumed, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(resumed.out, out)
    changed = tmp_path / "cases.json"
    changed.write_text(json.dumps(cases_json(changed=123), ensure_ascii=False), "utf-8")
    rc, stdout, err = run("letters", changed, "--out", out, "--jobs", "2", "--json")
    assert rc == 0, err
    summary = json.loads(stdout)
    assert (summary["written"], summary["kept"], summary["failed"]) == (1, N - 1, 0)
    rows = manifest(out)["outputs"]
    written = [r for r in rows if r["status"] == "written"]
    assert [r["reference"] for r in written] == ["22/00124-1"]
    assert sum(r["status"] == "kept" for r in rows) == N - 1
    assert_consistent(out)


@pytest.mark.slow
@pytest.mark.parametrize("order", ["alpha", "input"])
def test_print_pdf_starts_every_letter_on_an_odd_page(
        resumed: Resumed, tmp_path: Path, order: str) -> None:
    from pypdf import PdfReader

    target = tmp_path / "print.pdf"
    rc, _, err = run("letters", resumed.source, "--out", resumed.out, "--jobs", "2",
                     "--print-pdf", target, "--print-order", order)
    assert rc == 0, err
    rows = [r for r in manifest(resumed.out)["outputs"] if r["format"] == "pdf"]
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
def test_zip_holds_exactly_the_manifest_files(resumed: Resumed, tmp_path: Path) -> None:
    target = tmp_path / "letters.zip"
    rc, _, err = run("letters", resumed.source, "--out", resumed.out, "--zip", target)
    assert rc == 0, err
    listed = {r["path"]: r for r in manifest(resumed.out)["outputs"] if r["path"]}
    with zipfile.ZipFile(target) as zf:
        names = zf.namelist()
        assert names == sorted(names)
        assert set(names) == set(listed) | {"manifest.json", "manifest.csv"}
        for name, row in listed.items():
            assert hashlib.sha256(zf.read(name)).hexdigest() == row["sha256"]
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    again = tmp_path / "again.zip"
    rc, _, err = run("letters", resumed.source, "--out", resumed.out, "--zip", again)
    assert rc == 0, err
    assert again.read_bytes() == target.read_bytes()
