"""The README's Python examples run as written, as a script (issue 11)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from grantdocs import load_scheme, read_cases
from grantdocs.rules import check_case
from tests.conftest import ROOT, SAMPLES


def test_readme_python_examples_run_as_a_script(tmp_path: Path) -> None:
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text("utf-8"), re.S)
    assert blocks, "the README has no Python example"
    (tmp_path / "samples").symlink_to(SAMPLES, target_is_directory=True)
    script = tmp_path / "readme_examples.py"
    script.write_text("\n".join(blocks), "utf-8")
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    # Every sample row that breaks a scheme rule was refused, by reference.
    scheme = load_scheme()
    refused = [r.case.reference for r in read_cases(SAMPLES / "decisions-with-errors.csv")
               if r.case is not None and any(i.is_error for i in check_case(r.case, scheme))]
    assert refused
    for reference in refused:
        assert f"{reference}: the case breaks the scheme's rules" in done.stdout
    assert list((tmp_path / "out").rglob("*.pdf")), "the batch example wrote no PDF"
