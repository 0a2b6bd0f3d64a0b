"""Read an uploaded zip container (XLSX) within limits, before any XML parser sees it.

A returned workbook comes from outside: an 11 KB file can declare anything and inflate to
gigabytes. :func:`read_regular_file` reads a path only if it is a regular file (never a FIFO
or a device, which would block or never end) and only up to the size limit.
:func:`vetted_zip` then inflates every member itself, counting as it goes: the member
count, the total inflated size and each member's inflation ratio are checked while
inflating, and the sizes the archive declares are never trusted (a member is read until
its deflate stream ends, and the output is cut off at the limit). What passes is
repacked, uncompressed, so openpyxl reads exactly the bytes that were checked.

A caseworker's XLSX file goes through the same checks (:func:`vet_sheet_zip`) under its own,
higher, limits, and its parts are dropped once counted: openpyxl then streams the same bytes.

The limits are fields of :class:`grantdocs.limits.Limits` (``GRANTDOCS_MAX_RETURN_MB``,
``GRANTDOCS_MAX_ZIP_MEMBERS``, ``GRANTDOCS_MAX_INFLATED_MB``, ``GRANTDOCS_MAX_ZIP_RATIO``; for
caseworkers' files ``GRANTDOCS_MAX_XLSX_MEMBERS``, ``GRANTDOCS_MAX_XLSX_INFLATED_MB``).
"""

from __future__ import annotations

import io
import os
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from grantdocs import messages_files as F
from grantdocs.catalog import Text
from grantdocs.errors import AccountsError
from grantdocs.limits import MB, Limits, env_var

_CHUNK = 64 * 1024
# Below this a member's ratio is not checked: tiny XML parts compress very well.
_RATIO_GRACE = 1 * MB
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")


def read_regular_file(path: Path | str, limits: Limits) -> bytes:
    """The bytes of ``path`` if it is a regular file within ``max_return_mb``; else refused.

    A FIFO, socket or device is refused without reading (opened non-blocking, then
    checked with fstat, so a file swapped in between is caught too).
    """
    limit = int(limits.max_return_mb * MB)
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise AccountsError(F.RETURN_NOT_REGULAR())
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise AccountsError(F.RETURN_NOT_FOUND()) from None
    except PermissionError:
        raise AccountsError(F.RETURN_PERMISSION()) from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise AccountsError(F.RETURN_SWAPPED())
        data = fh.read(limit + 1)
    check_size(len(data), limits)
    return data


def check_size(size: int, limits: Limits) -> None:
    if size > limits.max_return_mb * MB:
        raise AccountsError(F.RETURN_TOO_LARGE(limit=f"{limits.max_return_mb:g}",
                                               variable=env_var("max_return_mb")))


def _unreadable(why: Text) -> AccountsError:
    """Not a readable XLSX workbook, for the coded reason ``why``."""
    return AccountsError(F.UNREADABLE_XLSX(why=why))


def _refuse(why: Text, limit: str) -> AccountsError:
    return _unreadable(F.LIMIT_REFUSED(why=why, variable=env_var(limit)))


def _data_offset(data: bytes, info: zipfile.ZipInfo) -> int:
    start = info.header_offset
    header = data[start:start + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size:
        raise _unreadable(F.ZIP_MEMBER_OUTSIDE())
    fields = _LOCAL_HEADER.unpack(header)
    if fields[0] != b"PK\x03\x04":
        raise _unreadable(F.ZIP_HEADER_DAMAGED())
    name_length, extra_length = int(fields[10]), int(fields[11])
    return int(start) + _LOCAL_HEADER.size + name_length + extra_length


@dataclass(frozen=True)
class ZipCaps:
    """Which :class:`Limits` fields bound a kind of zip container."""

    members: str
    inflated: str
    ratio: str = "max_zip_ratio"


RETURN_CAPS = ZipCaps("max_zip_members", "max_inflated_mb")
SHEET_CAPS = ZipCaps("max_xlsx_members", "max_xlsx_inflated_mb")


def _inflate(data: bytes, info: zipfile.ZipInfo, budget: int, limits: Limits, caps: ZipCaps,
             keep: bool) -> tuple[int, bytes]:
    """One member inflated, at most to ``budget`` bytes and to the ratio limit: its size,
    and its bytes when ``keep`` (else they are counted, checked and dropped)."""
    inflated_mb: float = getattr(limits, caps.inflated)
    ratio: int = getattr(limits, caps.ratio)
    offset = _data_offset(data, info)
    raw = memoryview(data)[offset:]  # never trust compress_size: read until the stream ends
    if info.compress_type == zipfile.ZIP_STORED:
        out = bytes(raw[:info.compress_size])
        if len(out) > budget:
            raise _refuse(F.ZIP_PARTS_HOLD(size=f"{inflated_mb:g}"), caps.inflated)
        return len(out), out if keep else b""
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise _unreadable(F.ZIP_METHOD())
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    parts: list[bytes] = []
    produced = consumed = crc = 0
    position = 0
    while not inflater.eof:
        if position >= len(raw):
            raise _unreadable(F.ZIP_CUT_OFF())
        chunk = raw[position:position + _CHUNK]
        position += len(chunk)
        pending = bytes(chunk)
        while pending and not inflater.eof:
            try:
                piece = inflater.decompress(pending, _CHUNK)
            except zlib.error as exc:
                raise _unreadable(F.ZIP_MEMBER_DAMAGED(member=info.filename,
                                                       reason=str(exc))) from None
            consumed += len(pending) - len(inflater.unconsumed_tail)
            pending = inflater.unconsumed_tail
            produced += len(piece)
            crc = zlib.crc32(piece, crc)
            if keep:
                parts.append(piece)
            if produced > budget:
                raise _refuse(F.ZIP_INFLATES(size=f"{inflated_mb:g}"), caps.inflated)
            if produced > _RATIO_GRACE and produced > ratio * max(consumed, 1):
                raise _refuse(F.ZIP_RATIO(member=info.filename, ratio=ratio), caps.ratio)
    if crc != info.CRC:
        raise _unreadable(F.ZIP_CRC(member=info.filename))
    return produced, b"".join(parts)


def _members(data: bytes, limits: Limits, caps: ZipCaps, keep: bool) -> dict[str, bytes]:
    """Every member checked against ``caps`` while inflating (its bytes when ``keep``)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise AccountsError(F.NOT_A_ZIP(reason=str(exc))) from None
    most: int = getattr(limits, caps.members)
    if len(infos) > most:
        raise _refuse(F.ZIP_TOO_MANY_PARTS(count=f"{len(infos):,}", limit=f"{most:,}"),
                      caps.members)
    budget = int(getattr(limits, caps.inflated) * MB)
    members: dict[str, bytes] = {}
    for info in infos:
        if info.flag_bits & 0x1:
            raise _unreadable(F.ZIP_ENCRYPTED())
        size, content = _inflate(data, info, budget, limits, caps, keep)
        budget -= size
        members[info.filename] = content
    return members


def vetted_zip(data: bytes, limits: Limits) -> bytes:
    """``data`` repacked uncompressed after every member passed the limits; else refused."""
    check_size(len(data), limits)
    members = _members(data, limits, RETURN_CAPS, keep=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as repacked:
        for name, content in members.items():
            repacked.writestr(name, content)
    return out.getvalue()


def vet_sheet_zip(data: bytes, limits: Limits) -> None:
    """Refuse a caseworker's XLSX file (``data``) whose parts break :data:`SHEET_CAPS`.

    The parts are inflated and counted, then dropped: openpyxl reads the same bytes
    afterwards, streaming, so a big genuine sheet is not held in memory inflated.
    """
    _members(data, limits, SHEET_CAPS, keep=False)
