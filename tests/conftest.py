"""Shared fixtures. The shared helper functions live in tests/helpers.py."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from grantdocs.keys import ENV_KEY, ENV_KEY_FILE, ENV_PREVIOUS, SAMPLE_KEY
from grantdocs.letters import LetterRenderer
from tests.cpu_hook import (  # noqa: F401 (hooks: CPU seconds per test, GRANTDOCS_TEST_CPU)
    pytest_runtest_call,
    pytest_runtest_setup,
    pytest_runtest_teardown,
)

# Modules that still import these from here; new code imports them from tests.helpers.
from tests.helpers import (  # noqa: F401
    ROOT,
    SAMPLES,
    docx_text,
    make_case,
    pdftotext,
    rendered,
    require_tool,
    shared_renderer,
)
from tests.pdfa_hook import every_pdf_passes_pdfa_2a  # noqa: F401 (a fixture)

# Messages in English, whatever the machine's locale; tests of other languages set their own.
os.environ["GRANTDOCS_LANG"] = "en"

# The tests sign and verify accounts workbooks with the public sample key that
# samples/returns/ is signed with (samples/README.md), in this process and every child
# it starts; no test reads or makes a key file in the user's config folder.
os.environ[ENV_KEY] = SAMPLE_KEY
os.environ.pop(ENV_PREVIOUS, None)
os.environ.pop(ENV_KEY_FILE, None)


@pytest.fixture(scope="session")
def renderer() -> LetterRenderer:
    """The session's one renderer, the same that :func:`tests.helpers.rendered` uses."""
    return shared_renderer()


def once_per_session(factory: pytest.TempPathFactory, name: str,
                     make: Callable[[Path], dict[str, Any]]) -> dict[str, Any]:
    """``make(folder)`` run once per test session, its (JSON) result shared by every process.

    The first xdist worker that asks runs it, in a folder under its own temporary folder
    (so the PDF/A hook validates the PDFs it leaves); the others wait for it under a lock
    and read the same result (a session without xdist runs it itself). Whoever uses the
    folder must not change it: copy it first.
    """
    import fcntl
    import json

    shared = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # <session>/popen-gwN: the session's folder is the parent
    pointer = shared / f"{name}.json"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if pointer.is_file():
            known: dict[str, Any] = json.loads(pointer.read_text("utf-8"))
            return known
        made = make(factory.mktemp(name))
        pointer.write_text(json.dumps(made), "utf-8")
    return made


@pytest.fixture(scope="session")
def sample_letters(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 24 sample letters as PDF with their arkivmelding, written once per test session.

    ``grantdocs letters samples/decisions.json --archive -j 2``, run in process by the first
    xdist worker that asks (:func:`once_per_session`). Tests read it and never change it.
    """
    from click.testing import CliRunner

    from grantdocs.cli import cli

    def make(folder: Path) -> dict[str, Any]:
        out = folder / "letters"
        run = CliRunner().invoke(cli, ["letters", str(SAMPLES / "decisions.json"), "--out",
                                       str(out), "--archive", "-j", "2", "-q"],
                                 catch_exceptions=False)
        assert run.exit_code == 0, run.output
        return {"out": str(out)}

    return Path(once_per_session(tmp_path_factory, "sample-letters", make)["out"])


@pytest.fixture(scope="session")
def libreoffice_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """File name (``letter-granted-nb.docx`` ...) → the PDF LibreOffice made of it: every
    document of :func:`tests.writers.conftest.documents`, in one LibreOffice run."""
    from tests.libreoffice import convert_once
    from tests.writers.conftest import documents

    return convert_once(tmp_path_factory, documents)
