"""LibreOffice as the tests' independent reader of DOCX and XLSX: one run per test session.

LibreOffice takes seconds to start, so every document the tests want it to read is
converted to PDF in one ``soffice --convert-to pdf`` run. Under pytest-xdist the workers
share that run: the first to arrive converts, under a lock, and the others wait for it
and read the same files (the documents are deterministic, so every worker would have
made the same bytes).

LibreOffice finds the package's own font (Noto Sans, in ``src/grantdocs/fonts``) through
a fonts.conf that adds that folder to the system's, as a caseworker's machine with the
font installed would; without it LibreOffice would substitute DejaVu Sans.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from grantdocs.resources import FONTS_DIR
from tests.helpers import require_tool

FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""


def _shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder all xdist workers of this run share (this session's own without xdist)."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if run is None:
        return tmp_path_factory.getbasetemp() / "libreoffice"
    return tmp_path_factory.getbasetemp().parent / f"libreoffice-{run}"


def soffice_env(folder: Path) -> dict[str, str]:
    """The environment for a LibreOffice process that sees the package's font."""
    conf = folder / "fonts.conf"
    if not conf.exists():
        (folder / "fontcache").mkdir(parents=True, exist_ok=True)
        conf.write_text(FONTS_CONF.format(fonts=FONTS_DIR, cache=folder / "fontcache"),
                        encoding="utf-8")
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


def convert_once(tmp_path_factory: pytest.TempPathFactory,
                 documents: Callable[[], Mapping[str, bytes]]) -> dict[str, Path]:
    """Each document (file name → bytes) as LibreOffice exports it to PDF: name → PDF path.

    ``documents`` is called only by the worker that converts.
    """
    folder = _shared_dir(tmp_path_factory)
    folder.mkdir(parents=True, exist_ok=True)
    done = folder / "done"
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            soffice = require_tool("soffice")
            sources = folder / "in"
            sources.mkdir(exist_ok=True)
            for name, data in documents().items():
                (sources / name).write_bytes(data)
            subprocess.run(
                [soffice, "--headless", "--norestore",
                 f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                 "--convert-to", "pdf", "--outdir", str(folder / "out"),
                 *sorted(str(p) for p in sources.iterdir())],
                check=True, capture_output=True, timeout=300, env=soffice_env(folder))
            done.write_text("\n".join(sorted(p.name for p in sources.iterdir())))
    names = done.read_text().split("\n")
    return {name: folder / "out" / Path(name).with_suffix(".pdf").name for name in names}
