"""What leaves the batch: a deterministic zip of the output folder, and one print file.

* :func:`zip_outputs` packs every file the manifest lists plus the manifest
  itself, with sorted names and fixed timestamps, so the same outputs give the
  same zip bytes.
* :func:`print_pdf` joins the batch's PDF letters into one PDF for duplex
  printing: every letter starts on an odd page (a blank page follows a letter
  with an odd page count), in Norwegian alphabetical order of the recipient or
  in input order. pypdf is imported here only.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from grantdocs.batch.manifest import MANIFEST_CSV, MANIFEST_JSON, OutputRecord
from grantdocs.files import atomic_path, open_nofollow
from grantdocs.formatting import sorted_norwegian

PrintOrder = Literal["alpha", "input"]
PRINT_ORDERS: tuple[PrintOrder, ...] = ("alpha", "input")

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def listed_files(outputs: Iterable[OutputRecord]) -> list[str]:
    """The relative paths of the written or kept outputs, sorted, each once."""
    return sorted({o.path for o in outputs if o.path and o.status in ("written", "kept")})


def zip_outputs(out_dir: Path | str, outputs: Iterable[OutputRecord], target: Path | str) -> int:
    """Zip the listed outputs and the manifest of ``out_dir`` into ``target``; the file count.

    Deterministic: entries sorted by name, timestamps fixed at 1980-01-01,
    permissions 0644, deflate. Files are streamed, never held whole in memory.
    """
    out = Path(out_dir)
    names = listed_files(outputs)
    names += [m for m in (MANIFEST_JSON, MANIFEST_CSV) if (out / m).is_file()]
    names.sort()
    with atomic_path(Path(target)) as tmp, zipfile.ZipFile(tmp, "w") as zf:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            info.create_system = 3
            with open_nofollow(out / name) as src, zf.open(info, "w") as dst:
                while chunk := src.read(1 << 16):
                    dst.write(chunk)
    return len(names)


@dataclass(frozen=True)
class PrintedLetter:
    """Where one letter landed in the print file (1-based first page)."""

    path: str
    reference: str | None
    organisation: str | None
    first_page: int
    pages: int
    blank_after: bool


def print_order(
    outputs: Sequence[OutputRecord], order: PrintOrder = "alpha"
) -> list[OutputRecord]:
    """The PDF outputs in print order: the recipient's name in Norwegian alphabetical
    order (then the reference), or as given (``input``)."""
    pdfs = [o for o in outputs if o.format == "pdf" and o.path
            and o.status in ("written", "kept")]
    if order == "input":
        return pdfs
    if order != "alpha":
        raise ValueError(f"unknown print order {order!r}: use alpha or input")
    by_ref = sorted(pdfs, key=lambda o: (o.reference or "", o.path or ""))
    return sorted_norwegian(by_ref, key=lambda o: o.organisation or "")


def print_pdf(
    out_dir: Path | str,
    outputs: Sequence[OutputRecord],
    target: Path | str,
    order: PrintOrder = "alpha",
) -> list[PrintedLetter]:
    """One PDF of the batch's PDF letters for duplex printing; returns the layout.

    Each letter starts on an odd page: after a letter with an odd page count a
    blank page of the same size is inserted (also after the last, so a stack
    of print files stays aligned).
    """
    from pypdf import PdfReader, PdfWriter

    out = Path(out_dir)
    writer = PdfWriter()
    layout: list[PrintedLetter] = []
    page = 1
    for row in print_order(outputs, order):
        assert row.path is not None
        reader = PdfReader(out / row.path)
        count = len(reader.pages)
        for p in reader.pages:
            writer.add_page(p)
        blank = count % 2 == 1
        if blank:
            last = reader.pages[-1].mediabox
            writer.add_blank_page(width=float(last.width), height=float(last.height))
        layout.append(PrintedLetter(row.path, row.reference, row.organisation, page, count,
                                    blank))
        page += count + (1 if blank else 0)
    with atomic_path(Path(target)) as tmp, tmp.open("wb") as fh:
        writer.write(fh)
    return layout
