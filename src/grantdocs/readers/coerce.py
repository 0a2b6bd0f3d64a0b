"""Reading cell values the way Norwegian caseworkers type them.

Each coercion takes a cell value (``str`` from CSV; ``str``, ``int``, ``float``,
``datetime`` ... from XLSX) and returns what the model expects, ``None`` for an
empty cell, or raises :class:`CoerceError` with a message that says what format
is expected. The messages do not name the column: the reader prefixes them with
the header as written in the file.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from types import MappingProxyType

from grantdocs import messages as M
from grantdocs.errors import CoerceError
from grantdocs.readers.columns import VALUES

# Excel shows these in a cell whose formula fails; data_only mode reads them as text.
EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
)

# Normal, non-breaking, narrow non-breaking, thin and figure spaces, as thousands separators.
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")


def cell_text(value: object) -> str | None:
    """A cell as text: numbers without a spurious ``.0``, dates as ISO, empty as None."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if text in EXCEL_ERRORS:
            raise CoerceError(M.SPREADSHEET_ERROR(value=text))
        return text or None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CoerceError(M.NOT_USABLE_NUMBER(value=repr(value)))
        if value.is_integer():
            return str(int(value))
        return str(Decimal(repr(value)))
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip() or None


def text(value: object) -> str | None:
    return cell_text(value)


def _whole_number(value: object) -> str | None:
    """Digits of a number cell (86011117947.0 -> "86011117947"); None if not a number cell."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return None


def org_number(value: object) -> str | None:
    """An organisation number without spaces or dots ("NO 974 760 673 MVA" -> "974760673")."""
    digits = _whole_number(value)
    if digits is not None:
        return digits
    raw = cell_text(value)
    if raw is None:
        return None
    stripped = re.sub(r"(?i)^no(?=[\s\d])|mva$", "", raw)
    return _SPACES.sub("", stripped).replace(".", "") or None


def account(value: object) -> str | None:
    """A bank account number without spaces or dots; a number cell keeps leading zeros."""
    digits = _whole_number(value)
    if digits is not None:
        return digits.zfill(11)
    raw = cell_text(value)
    if raw is None:
        return None
    return _SPACES.sub("", raw).replace(".", "") or None


def postcode(value: object) -> str | None:
    """A postcode; 580 (a number cell, or a CSV from such a sheet) becomes "0580"."""
    digits = _whole_number(value)
    if digits is not None:
        return digits.zfill(4)
    raw = cell_text(value)
    if raw is None:
        return None
    raw = _SPACES.sub("", raw)
    if raw.isdigit() and len(raw) < 4:
        return raw.zfill(4)
    return raw


def _amount_text(value: str) -> Decimal | None:
    compact = _SPACES.sub("", value)
    if not compact:
        return None
    for _ in range(2):  # "kr 450 000,-", "450 000,- kr", "450.000 NOK"
        compact = re.sub(r"(?i)^(kr\.?|nok)", "", compact)
        compact = re.sub(r"(?i)(kr\.?|nok)$", "", compact)
        compact = re.sub(r"[,.][-–]+$", "", compact)
    if compact[:1] in ("-", "−", "–"):
        raise CoerceError(M.NEGATIVE_AMOUNT(value=repr(value)))
    if re.fullmatch(r"\d+", compact):
        return Decimal(compact)
    # Decimal comma, optionally with dots as thousands separators: 450.000,50
    match = re.fullmatch(r"(\d{1,3}(?:\.\d{3})+|\d+),(\d{1,2})", compact)
    if match:
        return Decimal(f"{match[1].replace('.', '')}.{match[2]}")
    # Dots as thousands separators, each followed by exactly three digits: 1.450.000
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", compact):
        return Decimal(compact.replace(".", ""))
    # A single decimal point followed by one or two digits: 450000.50
    if re.fullmatch(r"\d+\.\d{1,2}", compact):
        return Decimal(compact)
    if re.fullmatch(r"\d+[.,]\d{3,}", compact):
        raise CoerceError(M.AMOUNT_DECIMALS(value=repr(value)))
    raise CoerceError(M.NOT_AMOUNT(value=repr(value)))


def amount(value: object) -> Decimal | None:
    """An amount in kroner, as Decimal: "450 000", "kr 450 000,-", "450.000", 450000.0 ..."""
    if value is None:
        return None
    result: Decimal | None
    if isinstance(value, bool):
        raise CoerceError(M.NOT_AMOUNT(value=repr(value)))
    if isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise CoerceError(M.NOT_AMOUNT(value=repr(value)))
        rounded = round(value, 2)
        result = Decimal(int(rounded)) if rounded.is_integer() else Decimal(str(rounded))
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise CoerceError(M.NOT_AMOUNT(value=repr(value)))
        result = value
    elif isinstance(value, str):
        raw = cell_text(value)
        result = None if raw is None else _amount_text(raw)
    else:
        raise CoerceError(M.NOT_AMOUNT(value=repr(cell_text(value))))
    if result is not None and result < 0:
        raise CoerceError(M.NEGATIVE_AMOUNT(value=repr(cell_text(value))))
    return result


_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"


def date(value: object) -> dt.date | None:
    """A date: a date cell, "15.03.2022", "15.3.2022" or "2022-03-15"."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        raise CoerceError(M.NUMBER_NOT_DATE(value=repr(cell_text(value))))
    raw = cell_text(value)
    if raw is None:
        return None
    if match := re.fullmatch(rf"(\d{{1,2}})\.(\d{{1,2}})\.(\d+){_TIME}", raw):
        day, month, year = match.groups()
    elif match := re.fullmatch(rf"(\d+)-(\d{{1,2}})-(\d{{1,2}}){_TIME}", raw):
        year, month, day = match.groups()
    else:
        raise CoerceError(M.NOT_DATE(value=repr(raw)))
    if len(year) != 4:
        raise CoerceError(M.YEAR_DIGITS(value=repr(raw), digits=len(year)))
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise CoerceError(M.NOT_IN_CALENDAR(value=repr(raw))) from None


def parse_date(value: str) -> dt.date:
    """A date typed as text, "15.03.2022", "15.3.2022" or "2022-03-15", read as strictly as a cell.

    For dates that are not cells (a command-line option, a list of received
    dates). Raises :class:`~grantdocs.errors.CoerceError`, whose message says
    what was wrong and how to write it, also when ``value`` is empty.
    """
    parsed = date(value)
    if parsed is None:
        raise CoerceError(M.DATE_REQUIRED())
    return parsed


def _words(value: object) -> str | None:
    raw = cell_text(value)
    if raw is None:
        return None
    return re.sub(r"\s+", " ", raw).strip(" .").casefold() or None


def _choice(table: Mapping[str, str], unknown: M.Message) -> Callable[[object], str | None]:
    def coerce(value: object) -> str | None:
        key = _words(value)
        if key is None:
            return None
        try:
            return table[key]
        except KeyError:
            raise CoerceError(unknown(value=repr(cell_text(value)))) from None

    return coerce


def _word_table(name: str) -> Mapping[str, str]:
    """Typed words -> model value, from the ``[values.NAME]`` table of columns.toml."""
    table: dict[str, str] = {}
    for value, words in VALUES[name].items():
        for word in (value, *words):
            key = _words(word)
            if key is None or table.get(key, value) != value:  # pragma: no cover - data error
                raise AssertionError(f"{word!r} means two values of {name}")
            table[key] = value
    return MappingProxyType(table)


DECISION_KINDS = _word_table("decision_kind")
APPLICATION_KINDS = _word_table("application_kind")
LANGUAGES = _word_table("language")

decision_kind = _choice(DECISION_KINDS, M.DECISION_KIND_UNKNOWN)
application_kind = _choice(APPLICATION_KINDS, M.APPLICATION_KIND_UNKNOWN)
language = _choice(LANGUAGES, M.LANGUAGE_UNKNOWN)


def _split(value: object, pattern: str) -> tuple[str, ...] | None:
    raw = cell_text(value)
    if raw is None:
        return None
    items = [item.strip() for item in re.split(pattern, raw)]
    result = tuple(dict.fromkeys(item for item in items if item))
    return result or None


def sub_goals(value: object) -> tuple[str, ...] | None:
    """Sub-goal codes: "a, c", "A og C", "A/C" -> ("A", "C")."""
    goals = _split(value, r"(?i)\s+og\s+|[,;/\s]+")
    return None if goals is None else tuple(dict.fromkeys(g.upper() for g in goals))


def _phrase(text: str) -> str:
    """A reason as compared: lower case, hyphens, underscores and spaces alike."""
    return " ".join(re.split(r"[\s_\-\u2013]+", text.strip(" .").casefold())).strip()


REASON_WORDS: Mapping[str, str] = MappingProxyType({
    _phrase(word): code for code, words in VALUES["reason_codes"].items()
    for word in (code, *words)
})
"""Reason codes of the bundled scheme and the Norwegian words for them, by :func:`_phrase`."""


def _reason_code(item: str) -> tuple[str, ...]:
    phrase = _phrase(item)
    if phrase in REASON_WORDS:
        return (REASON_WORDS[phrase],)
    tokens = item.split()
    if len(tokens) > 1 and all(_phrase(t) in REASON_WORDS or "-" in t for t in tokens):
        return tuple(REASON_WORDS.get(_phrase(t), t) for t in tokens)  # "a-b c-d": a list
    return ("-".join(phrase.split()),)  # "Limited funds" -> "limited-funds"


def reason_codes(value: object) -> tuple[str, ...] | None:
    """Reason codes, or the words for them, separated by commas, semicolons, "og" or lines.

    A code may be written with spaces for hyphens and in any case ("Limited funds");
    the words of columns.toml mean their code ("begrenset ramme" -> "limited-funds");
    codes separated by spaces only are a list ("limited-funds weak-plan"). Whether
    the scheme knows a code is checked with the scheme (grantdocs.rules).
    """
    items = _split(value, r"(?i)\s+og\s+|[,;\r\n]+")
    if items is None:
        return None
    return tuple(dict.fromkeys(code for item in items for code in _reason_code(item)))


def lines(value: object) -> tuple[str, ...] | None:
    """Items separated by semicolons or line breaks (order and repeats kept)."""
    raw = cell_text(value)
    if raw is None:
        return None
    items = tuple(item.strip() for item in re.split(r"[;\r\n]+", raw))
    return tuple(item for item in items if item) or None


def budget_lines(value: object) -> tuple[dict[str, object], ...] | None:
    """Budget lines "Lønn: 200 000; Leie av lokale: 50 000" -> name/amount pairs."""
    raw = cell_text(value)
    if raw is None:
        return None
    result: list[dict[str, object]] = []
    for number, item in enumerate(re.split(r"[;\r\n]+", raw), start=1):
        item = item.strip()
        if not item:
            continue
        name, colon, money = item.rpartition(":")
        if not colon or not name.strip() or not money.strip():
            raise CoerceError(M.BUDGET_LINE_FORM(number=number, item=repr(item)))
        try:
            line_amount = amount(money)
        except CoerceError as exc:
            raise CoerceError(M.BUDGET_LINE(number=number, name=repr(name.strip()),
                                            problem=exc.text or str(exc))) from None
        result.append({"name": name.strip(), "amount": line_amount})
    return tuple(result) or None


COERCERS: Mapping[str, Callable[[object], object]] = MappingProxyType(
    {
        "text": text,
        "org_number": org_number,
        "account": account,
        "postcode": postcode,
        "amount": amount,
        "date": date,
        "decision_kind": decision_kind,
        "application_kind": application_kind,
        "language": language,
        "sub_goals": sub_goals,
        "reason_codes": reason_codes,
        "lines": lines,
        "budget_lines": budget_lines,
    }
)
