"""Every PDF/A the test suite produces passes page-validation profile 2a, not a sample.

Two nets (each distinct file validated once, by SHA-256):

* every PDF the PDF writer renders in the test process (``PdfWriter.write_counted``
  is wrapped), including those that are never written to a file: validated after the
  test that rendered it (:func:`validate_renders_so_far`, from tests/conftest.py), so
  that the work is done while the other test process still runs tests, not after the
  last test;
* every ``*.pdf`` left under the session's temporary folder, which catches the
  ones rendered in worker processes and in child ``grantdocs`` commands: validated
  at the end of the session.

Under pytest-xdist each worker validates what it found, and byte-identical PDFs
found by two workers are validated once: the first worker to claim a file's
SHA-256 (an ``O_EXCL`` file in the session's shared temporary folder) validates
it and reports a failure; the other leaves it to that one.

Only files that declare PDF/A (``pdfaid:part`` in their XMP) are held to it: the
print file, merged by pypdf for a print shop, does not claim it. Validation
costs about 10-100 ms per file. A failure is reported as an error in the
session's teardown, naming the file or test and the rules broken, whenever it was found.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import page
import pytest

# PDF/As rendered in this process and not yet validated: SHA-256 -> (bytes, the test)
_rendered: dict[str, tuple[bytes, str]] = {}
_seen: set[str] = set()  # SHA-256 of every PDF/A this process validated or left to another
_bad: list[tuple[str, list[tuple[str, str]]]] = []  # (the test or file, the rules it breaks)
_claims: list[Path] = []  # the session's folder of claims, once the fixture has set it up
_validated = [0]  # how many PDFs this process validated


def _claims_pdfa(data: bytes) -> bool:
    return data.startswith(b"%PDF") and b"pdfaid:part" in data


def _failures(data: bytes) -> list[tuple[str, str]]:
    report = page.validate_pdf_bytes(data, profile="2a")
    return [] if report.is_compliant else [(f.rule_id, f.message) for f in report.failures][:5]


@pytest.fixture(autouse=True, scope="session")
def every_pdf_passes_pdfa_2a(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep each distinct PDF/A the writer renders in this process (with the test that made
    it); at the end of the session, validate them and every PDF/A left under the session's
    temporary folder."""
    from grantdocs.writers.pdf import PdfWriter

    original = PdfWriter.write_counted

    def recording(self: Any, html: str) -> tuple[bytes, int]:
        data, pages = original(self, html)
        if _claims_pdfa(data):
            sha = hashlib.sha256(data).hexdigest()
            if sha not in _seen:
                where = os.environ.get("PYTEST_CURRENT_TEST", "(outside a test)")
                _rendered.setdefault(sha, (data, where))
        return data, pages

    base = tmp_path_factory.getbasetemp()
    claims = session_folder(base) / "pdfa-claims"
    claims.mkdir(exist_ok=True)
    _claims.append(claims)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(PdfWriter, "write_counted", recording)
        yield
    validate_renders_so_far()
    _claims.clear()
    left: dict[str, tuple[bytes, str]] = {}
    for folder, _, names in os.walk(base):
        for name in names:
            path = Path(folder) / name
            if not name.endswith(".pdf") or path.is_symlink() or not path.is_file():
                continue
            data = path.read_bytes()
            if _claims_pdfa(data):
                left.setdefault(hashlib.sha256(data).hexdigest(),
                                (data, str(path.relative_to(base))))
    _validate(left, claims)
    assert not _bad, f"{len(_bad)} of {_validated[0]} PDFs fail PDF/A-2a: {_bad[:10]}"


def validate_renders_so_far() -> None:
    """Validate the PDF/As this process has rendered since the last call (after each test)."""
    if _rendered and _claims:
        todo = dict(_rendered)
        _rendered.clear()
        _validate(todo, _claims[0])


def _validate(todo: dict[str, tuple[bytes, str]], claims: Path) -> None:
    """Validate each PDF of ``todo`` that no process of the session has claimed yet."""
    for sha, (data, where) in todo.items():
        if sha in _seen:
            continue
        _seen.add(sha)
        if _claim(claims / sha):
            _validated[0] += 1
            if failures := _failures(data):
                _bad.append((where, failures))


def session_folder(base: Path) -> Path:
    """The temporary folder every process of this test session shares.

    A pytest-xdist worker's base is ``<session>/popen-gwN``; without xdist the
    base is the session's own.
    """
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _claim(path: Path) -> bool:
    """True for the first process of the session to claim ``path``: it validates those bytes."""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
    except FileExistsError:
        return False
    return True
