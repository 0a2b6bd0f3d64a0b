"""Hostile returned workbooks for the tests of issue 9, built in the test's tmp_path.

Every builder starts from the sample return (or writes a zip by hand) and uses only
openpyxl and zipfile, and the commands are run in process (:func:`tests.helpers.in_process`), or
as ``python -m grantdocs`` in a child process with ``GRANTDOCS_TEST_SUBPROCESS=1``, so the
same tests can be pointed at an older grantdocs (``PYTHONPATH``).
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from openpyxl import load_workbook

from tests.conftest import SAMPLES
from tests.helpers import in_process

DECISIONS = SAMPLES / "decisions.json"
SAMPLE_RETURN = SAMPLES / "returns" / "22-00133-5_Apen-dor-regnskap.xlsx"
RECEIVED = "20.02.2023"


def grantdocs(*args: str | Path, timeout: float = 120,
              env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``grantdocs ARGS`` in process (a child process bounded in time, see above)."""
    return in_process(*args, env=env, timeout=timeout)


def checklist(returned: Path, out: Path, *extra: str | Path,
              timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return grantdocs("checklist", "--decisions", DECISIONS, "--return", returned,
                     "--received", RECEIVED, "--out", out, "-j1", *extra, timeout=timeout)


def edited_return(path: Path, cells: dict[tuple[str, str], object]) -> Path:
    """The sample return with ``cells`` ({(sheet, "A17"): value}) changed, saved at ``path``."""
    wb = load_workbook(SAMPLE_RETURN)
    for (sheet, ref), value in cells.items():
        wb[sheet][ref].value = value
    out = io.BytesIO()
    wb.save(out)
    path.write_bytes(out.getvalue())
    return path
