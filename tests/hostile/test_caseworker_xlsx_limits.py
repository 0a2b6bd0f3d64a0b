"""#2 (caseworker sheets): a caseworker's XLSX goes through the zip guard returns go through.

Parts, inflated size and inflation ratio are counted while inflating, never taken from the
sizes the archive declares, each under its own limit (GRANTDOCS_MAX_XLSX_MEMBERS,
GRANTDOCS_MAX_XLSX_INFLATED_MB, GRANTDOCS_MAX_ZIP_RATIO). On 1096b4b the review's 1.5 MB
caseworker bomb took 18.6 s and 3.2 GB in `validate`.
"""

from __future__ import annotations

import math
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from grantdocs.errors import InputError
from grantdocs.limits import MB
from grantdocs.readers import read_cases
from tests.conftest import SAMPLES

SOURCE = SAMPLES / "decisions.xlsx"
# The child's CPU seconds (user + system), not the wall clock: with three test suites on
# two cores a fresh interpreter's start-up alone took 13 s of wall time.
_MEASURE = """
import resource, subprocess, sys
run = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=60)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(usage.ru_utime + usage.ru_stime, usage.ru_maxrss, run.returncode)
sys.stderr.write(run.stderr)
"""
SHEET = "xl/worksheets/sheet1.xml"


def _parts() -> dict[str, bytes]:
    with zipfile.ZipFile(SOURCE) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write(path: Path, parts: dict[str, bytes], padding: int = 0) -> Path:
    """``parts`` deflated into ``path``; with ``padding``, that many spaces are streamed into
    the sheet's <sheetData> (the review's whitespace bomb, small on disk)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            if name == SHEET and padding:
                head, tail = content.split(b"<sheetData>", 1)
                with archive.open(name, "w", force_zip64=True) as fh:
                    fh.write(head + b"<sheetData>")
                    for _ in range(padding // MB):
                        fh.write(b" " * MB)
                    fh.write(tail)
            else:
                archive.writestr(name, content)
    return path


def _cases(path: Path) -> int:
    return sum(1 for record in read_cases(path) if record.case is not None)


def test_member_count_at_and_past_the_limit(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    parts = _parts() | {f"customXml/item{n}.xml": b"<x/>" for n in range(20)}
    path = _write(tmp_path / "parts.xlsx", parts)
    monkeypatch.setenv("GRANTDOCS_MAX_XLSX_MEMBERS", str(len(parts)))
    assert _cases(path) == 24
    monkeypatch.setenv("GRANTDOCS_MAX_XLSX_MEMBERS", str(len(parts) - 1))
    with pytest.raises(InputError, match=rf"parts.xlsx: .*{len(parts)} parts, over the limit "
                                         r".*GRANTDOCS_MAX_XLSX_MEMBERS"):
        read_cases(path)


def test_inflated_size_at_and_past_the_limit_counted_not_declared(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """At exactly the parts' inflated size the sheet is read; a byte less is refused, also
    when every part declares a size of 10 bytes."""
    parts = _parts()
    total = sum(len(content) for content in parts.values())
    path = _write(tmp_path / "sized.xlsx", parts)
    monkeypatch.setenv("GRANTDOCS_MAX_XLSX_INFLATED_MB", repr(total / MB))
    assert _cases(path) == 24
    monkeypatch.setenv("GRANTDOCS_MAX_XLSX_INFLATED_MB", repr((total - 1) / MB))
    with pytest.raises(InputError, match=r"inflate to more than.*GRANTDOCS_MAX_XLSX_INFLATED_MB"):
        read_cases(path)
    lying = bytearray(path.read_bytes())
    for signature, at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := lying.find(signature, start)) >= 0:
            lying[start + at:start + at + 4] = (10).to_bytes(4, "little")
            start += 4
    (tmp_path / "lying.xlsx").write_bytes(bytes(lying))
    with pytest.raises(InputError, match="GRANTDOCS_MAX_XLSX_INFLATED_MB"):
        read_cases(tmp_path / "lying.xlsx")


def test_ratio_at_and_past_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A part of 8 MB of spaces inflates some 1,000 times: refused under the default limit
    of 100, read with the limit a little over its ratio, refused a little under it."""
    path = _write(tmp_path / "padded.xlsx", _parts() | {"xl/padding.xml": b" " * (8 * MB)})
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/padding.xml")
    ratio = info.file_size / info.compress_size
    assert ratio > 100
    with pytest.raises(InputError, match=r"padding.xml inflates more than 100 times.*"
                                         r"GRANTDOCS_MAX_ZIP_RATIO"):
        read_cases(path)
    monkeypatch.setenv("GRANTDOCS_MAX_ZIP_RATIO", str(math.ceil(ratio * 1.1)))
    assert _cases(path) == 24
    monkeypatch.setenv("GRANTDOCS_MAX_ZIP_RATIO", str(math.floor(ratio * 0.9)))
    with pytest.raises(InputError, match="GRANTDOCS_MAX_ZIP_RATIO"):
        read_cases(path)


def test_caseworker_bomb_is_refused_fast_and_small(tmp_path: Path) -> None:
    """The review's in_bomb.xlsx, at 50 MB of whitespace in the sheet: `validate` refuses
    it at once, one line, exit 2, in little CPU time and memory (measured in a fresh
    parent)."""
    path = _write(tmp_path / "in_bomb.xlsx", _parts(), padding=50 * MB)
    assert path.stat().st_size < MB
    run = subprocess.run([sys.executable, "-c", _MEASURE, sys.executable, "-m", "grantdocs",
                          "validate", str(path)], capture_output=True, text=True, timeout=60)
    cpu_seconds, peak_kb, code = run.stdout.split()
    assert code == "2", run.stderr
    assert run.stderr.count("\n") == 1 and "GRANTDOCS_MAX_ZIP_RATIO" in run.stderr
    assert float(cpu_seconds) < 10 and int(peak_kb) < 300 * 1024, (cpu_seconds, peak_kb)
