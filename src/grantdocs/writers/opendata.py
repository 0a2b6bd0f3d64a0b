"""A round's awards as open data: 360Giving JSON or CSV, and tilskudd.no's columns as CSV or XLSX.

* :func:`giving360_json`: a 360Giving data package (``{"grants": [...]}``), the
  JSON form of the 360Giving Data Standard 1.4.
* :func:`giving360_csv`: the same grants flattened, one row each, under the
  standard's column titles (``Recipient Org:Identifier`` and so on).
* :func:`tilskudd_csv` (and :func:`grantdocs.writers.xlsx.tilskudd.tilskudd_xlsx`):
  recipient, organisation number, amount, scheme and year, under the headers
  of ``templates/<lang>/open-data.toml``.

CSV text fields that a spreadsheet would run as a formula (a first character
of ``= + - @``, tab or carriage return) get a leading ``'``, as OWASP advises
against CSV injection; every text field is quoted, numbers are not. The
Norwegian CSV is ``;``-separated UTF-8 with a BOM, which Excel opens as it is.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from grantdocs.csvsafe import csv_safe
from grantdocs.decide.opendata import Award

STANDARD_VERSION = "1.4"
TILSKUDD_COLUMNS = ("recipient", "org_number", "amount", "scheme", "year")

# The flattened 360Giving columns: (title, value of an award); titles as the schema gives them.
_GIVING360_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Identifier", "id"),
    ("Title", "title"),
    ("Description", "description"),
    ("Currency", "currency"),
    ("Amount Awarded", "amount"),
    ("Award Date", "award_date"),
    ("Recipient Org:Identifier", "recipient.id"),
    ("Recipient Org:Name", "recipient.name"),
    ("Funding Org:Identifier", "funder.id"),
    ("Funding Org:Name", "funder.name"),
    ("Grant Programme:Code", "programme.code"),
    ("Grant Programme:Title", "programme.title"),
)


def number(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _value(award: Award, path: str) -> Any:
    value: Any = award
    for part in path.split("."):
        value = getattr(value, part)
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def giving360_grant(award: Award) -> dict[str, Any]:
    """One grant in the 360Giving Data Standard's JSON form."""
    return {
        "id": award.id,
        "title": award.title,
        "description": award.description,
        "currency": award.currency,
        "amountAwarded": number(award.amount),
        "awardDate": award.award_date.isoformat(),
        "recipientOrganization": [{"id": award.recipient.id, "name": award.recipient.name}],
        "fundingOrganization": [{"id": award.funder.id, "name": award.funder.name}],
        "grantProgramme": [{"code": award.programme.code, "title": award.programme.title}],
    }


def giving360_json(awards: Sequence[Award]) -> bytes:
    """A 360Giving data package of ``awards`` as UTF-8 JSON."""
    package = {"grants": [giving360_grant(a) for a in awards], "version": STANDARD_VERSION}
    return (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _csv(header: Sequence[str], rows: Sequence[Sequence[Any]], *, delimiter: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_NONNUMERIC,
                        lineterminator="\r\n")
    writer.writerow([csv_safe(h) for h in header])
    for row in rows:
        writer.writerow([csv_safe(v) if isinstance(v, str) else v for v in row])
    return out.getvalue()


def giving360_csv(awards: Sequence[Award]) -> bytes:
    """The grants flattened, one row each, under 360Giving's column titles (UTF-8, ``,``)."""
    rows = [[_value(a, path) for _, path in _GIVING360_COLUMNS] for a in awards]
    return _csv([title for title, _ in _GIVING360_COLUMNS], rows, delimiter=",").encode("utf-8")


def tilskudd_row(award: Award) -> list[Any]:
    return [award.recipient.name, award.recipient.org_number, award.amount,
            award.programme.name, award.year]


def tilskudd_csv(awards: Sequence[Award], labels: Mapping[str, str]) -> bytes:
    """tilskudd.no's columns, ``;``-separated UTF-8 with BOM; ``labels`` name the columns."""
    rows = []
    for award in awards:
        row = tilskudd_row(award)
        amount = row[2]
        row[2] = (number(amount) if amount == amount.to_integral_value()
                  else f"{amount:.2f}".replace(".", ","))  # a decimal comma, as Excel reads it
        rows.append(row)
    header = [labels[c] for c in TILSKUDD_COLUMNS]
    return _csv(header, rows, delimiter=";").encode("utf-8-sig")
