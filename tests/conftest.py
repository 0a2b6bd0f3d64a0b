"""Shared fixtures. The shared helper functions live in tests/helpers.py."""

from __future__ import annotations

import pytest

from grantdocs.letters import LetterRenderer

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


@pytest.fixture(scope="session")
def renderer() -> LetterRenderer:
    """The session's one renderer, the same that :func:`tests.helpers.rendered` uses."""
    return shared_renderer()
