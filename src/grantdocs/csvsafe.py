"""CSV text that no spreadsheet runs as a formula.

A field whose first character is ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is a formula to Excel and LibreOffice when the CSV is opened;
OWASP's advice against CSV injection is a leading ``'``, which both show as
text. Every CSV grantdocs writes (the manifest, the open-data exports) passes
its text fields through :func:`csv_safe`.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: str) -> str:
    """``text`` that no spreadsheet runs as a formula (OWASP: a leading ``'``)."""
    return f"'{text}" if text.startswith(FORMULA_START) else text
