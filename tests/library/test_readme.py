"""The README's Python examples run as written, as a script without a main guard (issues 8, 11).

The script is run once per module and every test reads that one run.
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


@pytest.fixture(scope="module")
def readme_run(tmp_path_factory: pytest.TempPathFactory
               ) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The README's Python blocks saved as one file and run as they stand, in a fresh folder."""
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text("utf-8"), re.S)
    assert blocks, "the README has no Python example"
    assert any("run_batch" in b for b in blocks), "the README shows no batch"
    folder = tmp_path_factory.mktemp("readme")
    (folder / "samples").symlink_to(SAMPLES, target_is_directory=True)
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
    refused = [r.case.reference for r in read_cases(SAMPLES / "decisions-with-errors.csv")
               if r.case is not None and any(i.is_error for i in check_case(r.case, scheme))]
    assert refused
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
