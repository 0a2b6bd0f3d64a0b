"""Files the caseworker's pages make from a finished batch, in a render worker.

:func:`build_print_pdf` is the CLI's ``--print-pdf`` (:func:`grantdocs.bundle.print_pdf`)
for a batch of the service: the PDF letters its merged manifest lists (the same rows and
files as its ``files.zip``, :func:`grantdocs.service.assemble.merged_rows`), in Norwegian
alphabetical order of the recipient, each starting on an odd page. It is made once,
into ``<batch>/print.pdf`` (to a temporary name, then renamed), and served from there.

Nothing here imports FastAPI: the render workers import this module to run it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

PRINT_PDF = "print.pdf"


def build_print_pdf(folder: str, chunks: list[tuple[int, str]], upload: str) -> int:
    """Write ``<folder>/print.pdf`` from the batch's PDF letters; how many letters (0: none,
    and no file is written)."""
    from grantdocs.bundle import print_order, print_pdf
    from grantdocs.service.assemble import merged_rows

    root = Path(folder)
    rows, sources = merged_rows(root, chunks, upload)
    in_order = sorted(rows, key=lambda r: r.row or 0)
    if not print_order(in_order):
        return 0
    staging = Path(tempfile.mkdtemp(prefix=".print-", dir=root))
    try:
        for name, source in sources.items():
            os.link(source, staging / name)
        layout = print_pdf(staging, in_order, root / PRINT_PDF, "alpha")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return len(layout)
