"""The shared deterministic zip re-pack (DOCX and XLSX), read back with zipfile."""

from __future__ import annotations

import datetime
import time
import zipfile
from io import BytesIO

from grantdocs.writers.zip import FIXED_TIME, fixed_zip, zip_entry


def archive(stamp: tuple[int, int, int, int, int, int]) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for name, data in (("b.xml", b"<b/>"), ("a/[c].xml", b"<c/>" * 100)):
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.external_attr = 0o755 << 16
            target.writestr(entry, data)
    return out.getvalue()


def test_same_content_gives_the_same_bytes_in_the_same_order() -> None:
    now = time.localtime()[:6]
    first, second = archive(now), archive((2001, 2, 3, 4, 5, 6))
    assert first != second
    assert fixed_zip(first) == fixed_zip(second) == fixed_zip(fixed_zip(first))
    with zipfile.ZipFile(BytesIO(fixed_zip(first))) as repacked:
        infos = repacked.infolist()
        assert [i.filename for i in infos] == ["b.xml", "a/[c].xml"]
        assert repacked.read("a/[c].xml") == b"<c/>" * 100
    assert {i.date_time for i in infos} == {FIXED_TIME}
    assert {(i.compress_type, i.create_system, i.external_attr >> 16) for i in infos} == {
        (zipfile.ZIP_DEFLATED, 3, 0o644)
    }


def test_a_given_time_stamps_every_entry() -> None:
    when = datetime.datetime(2023, 3, 15, 12, 30, 59)
    with zipfile.ZipFile(BytesIO(fixed_zip(archive(FIXED_TIME), when))) as repacked:
        # zip keeps time in 2-second steps
        assert {i.date_time for i in repacked.infolist()} == {(2023, 3, 15, 12, 30, 58)}


def test_zip_entry_for_streamed_writers() -> None:
    entry = zip_entry("manifest.json", mode=0o100644)
    assert (entry.date_time, entry.external_attr, entry.create_system) == (
        FIXED_TIME,
        0o100644 << 16,
        3,
    )
