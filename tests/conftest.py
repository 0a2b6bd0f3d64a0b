"""Shared fixtures. The shared helper functions live in tests/helpers.py."""

from __future__ import annotations

import os

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
