"""The README's Python examples run as written, as a script without a main guard (issues 8, 11).

The script is run once per module, on a small copy of the samples, and every test reads that
one run.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from grantdocs import load_scheme, read_cases
from grantdocs.rules import check_case
from tests.helpers import ROOT, SAMPLES

# The README's examples read samples/decisions-with-errors.csv (every valid row rendered as
# a PDF), samples/decisions.json (a batch of PDF and DOCX, then report templates) and the
# sample return (a checklist). The script runs on a small copy of those samples, so that
# it renders nine documents and not ninety: the sheet's three refused rows and its last
# row (the README uses the last record as a valid one); two decisions of the sample file,
# one of them the sample return's: four letter jobs (PDF and DOCX) for the batch's two
# worker processes (jobs=2), which the test sees start without running the script again.
SHEET_LINES = (0, 9, 12, 18, 20)  # the header, then sheet rows 10, 13, 19 and 21
DECISIONS_KEPT = ("22/00094-2", "22/00133-5")


def small_samples(folder: Path) -> Path:
    samples = folder / "samples"
    samples.mkdir()
    for entry in SAMPLES.iterdir():
        if entry.name not in ("decisions-with-errors.csv", "decisions.json"):
            (samples / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    lines = (SAMPLES / "decisions-with-errors.csv").read_text("utf-8-sig").splitlines(True)
    assert len(lines) == 21 and lines[-1].strip()
    (samples / "decisions-with-errors.csv").write_text(
        "\ufeff" + "".join(lines[i] for i in SHEET_LINES), "utf-8")
    doc = json.loads((SAMPLES / "decisions.json").read_text("utf-8"))
    doc["cases"] = [c for c in doc["cases"] if c["decision"]["case_number"] in DECISIONS_KEPT]
    assert len(doc["cases"]) == len(DECISIONS_KEPT)
    (samples / "decisions.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return samples


@pytest.fixture(scope="module")
def readme_run(tmp_path_factory: pytest.TempPathFactory
               ) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The README's Python blocks saved as one file and run as they stand, in a fresh folder
    beside a small copy of the samples."""
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text("utf-8"), re.S)
    assert blocks, "the README has no Python example"
    assert any("run_batch" in b for b in blocks), "the README shows no batch"
    folder = tmp_path_factory.mktemp("readme")
    small_samples(folder)
    script = folder / "readme_examples.py"
    script.write_text("\n".join(blocks), "utf-8")
    done = subprocess.run([sys.executable, str(script)], cwd=folder, capture_output=True,
                          text=True, timeout=600, check=False)
    return folder, done


def test_readme_python_examples_run_as_a_script(
        readme_run: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    folder, done = readme_run
    assert done.returncode == 0, done.stderr[-3000:]
    # Every sample row that breaks a scheme rule was refused, by reference.
    scheme = load_scheme()
    sheet = folder / "samples" / "decisions-with-errors.csv"
    refused = [r.case.reference for r in read_cases(sheet)
               if r.case is not None and any(i.is_error for i in check_case(r.case, scheme))]
    assert len(refused) >= 2
    for reference in refused:
        assert f"{reference}: the case breaks the scheme's rules" in done.stdout
    assert list((folder / "out").rglob("*.pdf")), "the batch example wrote no PDF"


def test_the_readme_library_example_runs_once_without_a_main_guard(
        readme_run: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    """run_batch(jobs=2) at a script's top level: the workers do not run the script again."""
    folder, done = readme_run
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    summaries = [line for line in done.stdout.splitlines() if line.startswith("{'written'")]
    assert len(summaries) == 1  # once, not once per worker
    assert json.loads((folder / "out" / "manifest.json").read_text("utf-8"))["summary"][
        "failed"] == 0
