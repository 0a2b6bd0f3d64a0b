"""#7 (caseworker XLSX part): a damaged or hostile workbook is an unreadable input (one
message, exit 2), never a traceback with exit 1."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.hostile._inputs import grantdocs

BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1
                                                            else b"&lol;") * 10)
                             for n in range(1, 10))
                  + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                  b'2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;'
                  b"</t></is></c></row></sheetData></worksheet>")


def rewritten(member: str, change: Callable[[bytes], bytes]) -> bytes:
    """samples/decisions.xlsx with one member's bytes changed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(SAMPLES / "decisions.xlsx") as source, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, change(data) if name == member else data)
    return buffer.getvalue()


def corrupt_deflate(member: str) -> bytes:
    """The sample with 20 bytes zeroed in the middle of one member's deflate stream."""
    data = bytearray(rewritten(member, lambda b: b))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    data[middle:middle + 20] = bytes(20)
    return bytes(data)


def half(data: bytes) -> bytes:
    return data[: len(data) // 2]


CASES = {
    "sheet cut in half": lambda: rewritten("xl/worksheets/sheet1.xml", half),
    "workbook.xml cut in half": lambda: rewritten("xl/workbook.xml", half),
    "styles.xml cut in half": lambda: rewritten("xl/styles.xml", half),
    "billion laughs in the sheet": lambda: rewritten("xl/worksheets/sheet1.xml",
                                                     lambda _: BILLION_LAUGHS),
    "corrupt deflate data": lambda: corrupt_deflate("xl/worksheets/sheet1.xml"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_damaged_caseworker_workbook_is_exit_2(tmp_path: Path, name: str) -> None:
    """#7: `validate` on each damaged workbook gives one error naming the file, exit 2."""
    source = tmp_path / "vedtak.xlsx"
    source.write_bytes(CASES[name]())
    run = grantdocs("validate", source, timeout=60)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {source}"), run.stderr
