"""Reproducible zip archives: the same content gives the same bytes.

DOCX and XLSX are zip packages. python-docx, openpyxl and :mod:`zipfile` stamp each
entry with the current time (and the host's file attributes), so two runs over the same
input differ. :func:`fixed_zip` re-packs a finished package with one fixed timestamp,
fixed attributes and deflate, keeping the entry order. :func:`zip_entry` is the same
entry header for a writer that streams its entries itself.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

__all__ = ["FIXED_TIME", "fixed_zip", "zip_entry"]

#: The earliest time a zip entry can hold; the default stamp of every entry.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def zip_entry(
    name: str, date_time: tuple[int, int, int, int, int, int] = FIXED_TIME, mode: int = 0o644
) -> zipfile.ZipInfo:
    """The header of one deflated entry: fixed time, Unix attributes ``mode``."""
    entry = zipfile.ZipInfo(name, date_time=date_time)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.create_system = 3  # Unix, also when written on Windows
    entry.external_attr = mode << 16
    return entry


def fixed_zip(data: bytes, when: dt.datetime | None = None) -> bytes:
    """The zip ``data`` re-packed in the same order with every entry stamped ``when``.

    Without ``when`` the entries get :data:`FIXED_TIME`.
    """
    stamp = FIXED_TIME
    if when is not None:
        stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(zip_entry(info.filename, stamp), source.read(info.filename))
    return out.getvalue()
