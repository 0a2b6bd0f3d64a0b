"""The review's hostile returned workbooks (§1.1-§1.3), rebuilt small in tmp_path.

Each is the sample return with one part replaced or added, written streamed and deflated,
so a bomb of hundreds of MB inflated is a file of a few hundred KB.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook

from tests.hostile._returns import SAMPLE_RETURN

SHEET, IDS = "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"
MB = 1024 * 1024


def _parts() -> dict[str, bytes]:
    with zipfile.ZipFile(SAMPLE_RETURN) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_zip(path: Path, parts: dict[str, bytes | Callable[[io.RawIOBase], None]]) -> Path:
    # zlib's fastest level: a 100 MB bomb is about 450 KB instead of 100 KB, still a few
    # hundred KB that inflate 200-fold (past the ratio limit), for a third of the CPU time
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, content in parts.items():
            if callable(content):
                with archive.open(name, "w", force_zip64=True) as fh:
                    content(fh)  # type: ignore[arg-type]
            else:
                archive.writestr(name, content)
    return path


def _streamed(head: bytes, filler: bytes, size: int, tail: bytes) -> Callable[..., None]:
    def write(fh: io.RawIOBase) -> None:
        fh.write(head)
        chunk = filler * (MB // len(filler))
        for _ in range(size // len(chunk)):
            fh.write(chunk)
        fh.write(tail)
    return write


def _split(xml: bytes, marker: bytes) -> tuple[bytes, bytes]:
    at = xml.index(marker) + len(marker)
    return xml[:at], xml[at:]


def whitespace_bomb(path: Path, part: str = SHEET, size: int = 100 * MB) -> Path:
    """#2: `size` bytes of whitespace inside <sheetData> (review: bomb_ws_sheet1/ids)."""
    parts: dict[str, bytes | Callable[[io.RawIOBase], None]] = dict(_parts())
    xml: bytes = parts[part]  # type: ignore[assignment]
    head, tail = _split(xml, b"<sheetData>" if b"<sheetData>" in xml else b"<sheets>")
    parts[part] = _streamed(head, b" ", size, tail)
    return write_zip(path, parts)


def big_cell(path: Path, size: int = 100 * MB) -> Path:
    """#2: one inline string of `size` characters (review: bigcell_1g)."""
    parts: dict[str, bytes | Callable[[io.RawIOBase], None]] = dict(_parts())
    head, tail = _split(parts[SHEET], b"<sheetData>")  # type: ignore[arg-type]
    parts[SHEET] = _streamed(head + b'<row r="3"><c r="F3" t="inlineStr"><is><t>', b"A", size,
                             b"</t></is></c></row>" + tail)
    return write_zip(path, parts)


def far_cells(path: Path, sheets: int = 8) -> Path:
    """#2: the main sheet and `sheets` extra sheets each with a cell at row 1,048,576
    (review: manysheets, farcell_absent)."""
    wb = load_workbook(SAMPLE_RETURN)
    wb["Regnskap"]["F1048576"] = "x"
    for number in range(sheets):
        wb.create_sheet(f"Extra{number}")["A1048576"] = "far"
    out = io.BytesIO()
    wb.save(out)
    path.write_bytes(out.getvalue())
    return path


def many_rows(path: Path, rows: int = 100_000) -> Path:
    """#2: the main sheet with `rows` more rows of six cells (review: rows_1m_sheet1)."""
    parts: dict[str, bytes | Callable[[io.RawIOBase], None]] = dict(_parts())
    head, tail = _split(parts[SHEET], b"</row>")  # type: ignore[arg-type]
    body = b"".join(
        b'<row r="%d">' % r
        + b"".join(b'<c r="%s%d"><v>%d</v></c>' % (c, r, r) for c in (b"A", b"B", b"C", b"D"))
        + b"</row>" for r in range(1_000_000 - rows, 1_000_000))
    last, rest = tail.rsplit(b"</sheetData>", 1)
    parts[SHEET] = head + last + body + b"</sheetData>" + rest
    return write_zip(path, parts)


def long_comments(path: Path, count: int = 5, chars: int = 20_000) -> Path:
    """#2: `count` comments of `chars` characters (review: r03_long_comments, 73 s of CPU)."""
    wb = load_workbook(SAMPLE_RETURN)
    for row in range(14, 14 + count):
        wb["Regnskap"].cell(row=row, column=6, value="Forklaring " * (chars // 11))
    out = io.BytesIO()
    wb.save(out)
    path.write_bytes(out.getvalue())
    return path


_LAUGHS = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">""" + b"".join(
    b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
    for n in range(1, 10)) + b"]>"


def xml_attack(path: Path, part: str, kind: str) -> Path:
    """#2/#7: billion laughs, XXE or a cut-off part in `part` (review §1.1, §1.3)."""
    parts: dict[str, bytes | Callable[[io.RawIOBase], None]] = dict(_parts())
    xml: bytes = parts[part]  # type: ignore[assignment]
    if kind == "laughs":
        head, tail = _split(xml, b"<sheetData>") if b"<sheetData>" in xml else (xml, b"")
        xml = _LAUGHS + head.replace(b"<sheetData>", b"<sheetData><row r=\"1\"><c r=\"A1\" "
                                     b"t=\"inlineStr\"><is><t>&lol9;</t></is></c></row>") + tail
    elif kind == "xxe":
        xml = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
               + xml.replace(b"</sheetData>", b'<row r="50"><c r="A50" t="inlineStr"><is><t>'
                             b"&xxe;</t></is></c></row></sheetData>"))
    else:
        xml = xml[: len(xml) // 2]
    parts[part] = xml
    return write_zip(path, parts)


def corrupt_member(path: Path) -> Path:
    """#6/#7: 20 zeroed bytes inside a deflate stream (review: corrupt_member)."""
    data = bytearray(write_zip(path, dict(_parts())).read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/workbook.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 10
    data[start:start + 20] = bytes(20)
    path.write_bytes(bytes(data))
    return path


def hostile_set(folder: Path) -> list[Path]:
    """Every file of the review's set of hostile returns, written into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    return [
        whitespace_bomb(folder / "bomb_ws_sheet1.xlsx"),
        whitespace_bomb(folder / "bomb_ws_ids.xlsx", IDS),
        whitespace_bomb(folder / "bomb_workbook.xlsx", "xl/workbook.xml"),
        big_cell(folder / "bigcell.xlsx"),
        many_rows(folder / "rows_sheet1.xlsx"),
        far_cells(folder / "manysheets.xlsx"),
        long_comments(folder / "long_comments.xlsx"),
        xml_attack(folder / "bl_sheet1.xlsx", SHEET, "laughs"),
        xml_attack(folder / "bl_ids.xlsx", IDS, "laughs"),
        xml_attack(folder / "xxe_sheet1.xlsx", SHEET, "xxe"),
        xml_attack(folder / "xxe_workbook.xlsx", "xl/workbook.xml", "xxe"),
        xml_attack(folder / "badxml_workbook.xlsx", "xl/workbook.xml", "cut"),
        xml_attack(folder / "badxml_ids.xlsx", IDS, "cut"),
        xml_attack(folder / "badxml_styles.xlsx", "xl/styles.xml", "cut"),
        corrupt_member(folder / "corrupt_member.xlsx"),
    ]
