"""The dates returned reports arrived: a two-column CSV of reference and date.

One line per return, ``22/00133-5;20.02.2023`` (a semicolon or a comma between,
a header line optional), as a caseworker exports it from the archive's
journal. The checklist's "arrived by the deadline" check uses the date.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from grantdocs import messages as M
from grantdocs import messages_cli as C
from grantdocs.errors import CoerceError, InputError
from grantdocs.readers.coerce import date

EXAMPLE = "22/00133-5;20.02.2023"


def read_received_dates(file: Path | str) -> dict[str, dt.date]:
    """Reference -> date received. Raises InputError naming the file and line."""
    path = Path(file)
    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(C.RECEIVED_NOT_UTF8(file=str(path))) from None
    except OSError as exc:
        raise InputError(M.CANNOT_READ(file=str(path), reason=str(exc.strerror or exc))) from None
    delimiter = ";" if ";" in text.partition("\n")[0] else ","
    dates: dict[str, dt.date] = {}
    for number, row in enumerate(csv.reader(text.splitlines(), delimiter=delimiter), start=1):
        if not row or not "".join(row).strip():
            continue
        if len(row) < 2:
            raise InputError(C.RECEIVED_LINE_FORM(file=str(path), line=number, example=EXAMPLE))
        reference, value = row[0].strip(), row[1].strip()
        try:
            parsed = date(value)
        except CoerceError as exc:
            if number == 1:
                continue  # the header
            raise InputError(C.RECEIVED_LINE_DATE(file=str(path), line=number,
                                                  problem=exc.text or str(exc))) from None
        if parsed is not None:
            dates[reference] = parsed
    return dates
