"""Every stream's /Length is unambiguous, so every PDF passes PDF/A-2a (rule STREAM-LENGTH).

A deflated stream ends in the Adler-32 of its uncompressed bytes; about one
stream in 256 therefore ends in a CR byte, which with the LF that precedes
``endstream`` reads as a CR-LF end-of-line. Before the fix, one sample letter
in 24 (22/00087-3) failed validation this way.
"""

from __future__ import annotations

import itertools
import json
import re
import zlib
from pathlib import Path

import page
import pydyf
import pytest

from grantdocs import read_cases
from grantdocs.resources import samples_dir
from grantdocs.writers.pdf import unambiguous_stream_data


def _raw_whose_deflate_ends_in_cr() -> bytes:
    """A content stream whose deflated bytes end in CR. zlib's last byte is the low byte of
    the Adler-32 of the raw bytes, that is of 1 + their sum: a comment of three printable
    bytes (sums 99 to 378) reaches every value of it within a few thousand tries, where
    counting up a number in the text took 170,000 (its digits' sum grows slowly)."""
    for tail in itertools.product(range(33, 127), repeat=3):
        raw = b"BT /F1 12 Tf (x) Tj ET\n%" + bytes(tail)
        if zlib.compress(raw, 6).endswith(b"\r"):
            return raw
    raise AssertionError("unreachable")


def test_a_stream_whose_deflate_ends_in_cr_is_stored_plain() -> None:
    raw = _raw_whose_deflate_ends_in_cr()
    stream = pydyf.Stream([raw], compress=True)
    data = unambiguous_stream_data(stream, raw)
    assert data == raw
    assert "Filter" not in stream.extra


def test_other_streams_are_deflated() -> None:
    raw = b"BT /F1 12 Tf (x) Tj ET" * 50
    if zlib.compress(raw, 6).endswith(b"\r"):  # pragma: no cover - the fixed input does not
        raw += b" "
    stream = pydyf.Stream([raw], compress=True)
    data = unambiguous_stream_data(stream, raw)
    assert zlib.decompress(data) == raw
    assert stream.extra["Filter"] == "/FlateDecode"


def test_raw_bytes_ending_in_cr_get_a_trailing_space() -> None:
    for n in itertools.count():
        raw = f"q {n} Q\r".encode()
        if zlib.compress(raw, 6).endswith(b"\r"):
            break
    data = unambiguous_stream_data(pydyf.Stream([raw], compress=True), raw)
    assert not data.endswith(b"\r")
    assert data.rstrip(b" ") == raw


@pytest.mark.slow
def test_every_sample_letter_passes_pdfa_2a(sample_letters: Path) -> None:
    """The sample letters as the batch wrote them (conftest.py: one run shared per session)."""
    references = {r.case.reference for r in read_cases(samples_dir() / "decisions.json")
                  if r.case is not None}
    rows = json.loads((sample_letters / "manifest.json").read_text("utf-8"))["outputs"]
    pdfs = {row["path"]: row["reference"] for row in rows if row["format"] == "pdf"}
    assert set(pdfs.values()) == references and len(pdfs) == 24
    # a grant letter with its acceptance form, or a rejection (the manifest counts the pages)
    assert all(row["pages"] >= 2 for row in rows if row["format"] == "pdf")
    for name, reference in sorted(pdfs.items()):
        data = (sample_letters / name).read_bytes()
        report = page.validate_pdf_bytes(data, profile="2a")
        failures = [(f.rule_id, f.message) for f in report.failures]
        assert report.is_compliant, (reference, failures)
        # Independent of the validator: no stream's data ends in CR.
        assert not re.search(rb"\r\nendstream", data)
