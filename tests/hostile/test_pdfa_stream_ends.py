"""The PDF/A defect, second half: pydyf's object stream (/ObjStm) and cross-reference stream,
deflated while the file is written, could also end in CR (two letters of a 200-letter batch
failed STREAM-LENGTH). Every stream is now unambiguous, whoever builds it."""

from __future__ import annotations

import itertools
import json
import zlib
from pathlib import Path

import page

from tests.hostile._out import grantdocs, sample_cases, write_cases


def test_a_stream_ending_in_cr_gets_a_crlf_before_endstream() -> None:
    """PDF/A defect: the end-of-line before ``endstream`` is never read as part of the data."""
    import pydyf

    from grantdocs.writers.pdf import unambiguous_stream_ends

    unambiguous_stream_ends()
    plain = pydyf.Stream([b"BT (x) Tj ET\r"])
    assert plain.data.endswith(b"ET\r\r\nendstream")
    raw = next(r for n in itertools.count()
               if zlib.compress(r := f"BT ({n}) Tj ET".encode(), 9).endswith(b"\r"))
    deflated = pydyf.Stream([raw], compress=True).data
    assert deflated.endswith(b"\r\r\nendstream")
    body = deflated.split(b"stream\n", 1)[1][:-len(b"\r\nendstream")]
    assert zlib.decompress(body) == raw
    assert pydyf.Stream([b"BT (y) Tj ET"]).data.endswith(b"ET\nendstream")


def test_the_letters_whose_object_stream_ended_in_cr_pass_pdfa_2a(tmp_path: Path) -> None:
    """PDF/A defect: letters 77 and 149 of the 200-letter batch (slow_pdfa_batch.py)."""
    samples = sample_cases(24)
    cases = []
    for i in (76, 148):
        case = json.loads(json.dumps(samples[i % len(samples)]))
        case["decision"]["case_number"] = f"23/{i + 1:05d}-1"
        case["organisation"]["name"] = f"{case['organisation']['name']} {i:03d}"
        cases.append(case)
    out = tmp_path / "out"
    done = grantdocs("letters", write_cases(tmp_path / "in.json", cases), "--out", out,
                     "--format", "pdf", "-j1", "-q")
    assert done.returncode == 0, done.stderr
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == 2
    for pdf in pdfs:
        report = page.validate_pdf_bytes(pdf.read_bytes(), profile="2a")
        assert report.is_compliant, (pdf.name, [(f.rule_id, f.message) for f in report.failures])
