"""Norwegian formatting of amounts, dates, numbers, identifiers, and sort order.

One module, used as Jinja filters by the templates and directly by the writers,
so a number looks the same in a letter, a workbook and a statistics report.
It follows Språkrådet's conventions:

* digits in groups of three separated by a non-breaking space, decimal comma;
* amounts as "kr 450 000" (prefix) or "450 000 kr" (suffix), with øre only
  when there are øre ("kr 450 000,50");
* negative numbers with a real minus sign (U+2212), never a hyphen;
* percent with a non-breaking space before the sign: "27,7 %";
* organisation numbers as "974 760 673", bank accounts as "8601 11 17947";
* dates as "28. november 2026" in text and "28.11.2026" in tables;
* alphabetical order a … z æ ø å, with "Aa" sorted as "å".

Babel supplies the month and weekday names (nb and nn differ: "lørdag",
"laurdag"); the number shapes are fixed here, since Babel's CLDR data uses a
hyphen-minus for negatives and a plain space before the percent sign.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Literal, TypeVar

from babel.dates import format_date

NBSP = "\u00a0"
MINUS = "\u2212"
EN_DASH = "\u2013"

Lang = Literal["nb", "nn"]
AmountStyle = Literal["prefix", "suffix", "plain"]

_BABEL_LOCALE = {"nb": "nb_NO", "nn": "nn_NO"}

__all__ = [
    "MINUS",
    "NBSP",
    "format_account",
    "format_amount",
    "format_date_long",
    "format_date_short",
    "format_number",
    "format_orgnr",
    "format_percent",
    "format_period",
    "format_weekday_date",
    "norwegian_sort_key",
    "sorted_norwegian",
]


def _locale(lang: str) -> str:
    try:
        return _BABEL_LOCALE[lang]
    except KeyError:
        raise ValueError(f"unknown language {lang!r}: use 'nb' or 'nn'") from None


def _to_decimal(value: Decimal | int | float | str) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def _group(digits: str) -> str:
    """'1234567' -> '1 234 567' with non-breaking spaces."""
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return NBSP.join(parts)


def _digit_count(number: Decimal) -> int:
    """Digits needed to write a finite ``number`` in full without an exponent."""
    _, digits, exponent = number.as_tuple()
    return len(digits) + abs(int(exponent))


def format_number(value: Decimal | int | float | str, decimals: int | None = None) -> str:
    """Format a number: grouped by non-breaking spaces, decimal comma, real minus.

    With ``decimals=None`` an integral value has no decimals and any other value
    keeps the decimals it has (trailing zeros dropped).
    """
    number = _to_decimal(value)
    if not number.is_finite():
        raise ValueError(f"cannot format {value!r} as a number")
    with localcontext() as ctx:
        # quantize() fails once the result has more digits than the context
        # precision (28 by default), e.g. for 10**30 or 10**27 kroner with øre.
        ctx.prec = max(ctx.prec, _digit_count(number) + (decimals or 0) + 2)
        if decimals is not None:
            number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        negative = number < 0
        number = abs(number)
        if decimals is None:
            number = (
                number.normalize()
                if number != number.to_integral_value()
                else number.quantize(Decimal(1))
            )
            text = format(number, "f")
        else:
            text = format(number, f".{decimals}f")
    integer, _, fraction = text.partition(".")
    out = _group(integer)
    if fraction:
        out += "," + fraction
    if negative and any(c not in "0,\u00a0" for c in out):
        out = MINUS + out
    return out


def format_amount(value: Decimal | int | float | str, style: AmountStyle = "prefix", *,
                  signed: bool = False) -> str:
    """Format kroner: ``kr 450 000`` (prefix), ``450 000 kr`` (suffix) or ``450 000``.

    Øre are shown only when the amount has them, always as two digits. A
    negative amount reads ``kr −1 200``; with ``signed=True`` the minus sign
    leads the whole amount, ``−kr 1 200``, as in a column of deviations.
    """
    number = _to_decimal(value)
    if signed and number < 0:
        return MINUS + format_amount(-number, style)
    if not number.is_finite():
        raise ValueError(f"cannot format {value!r} as an amount")
    with localcontext() as ctx:
        ctx.prec = max(ctx.prec, _digit_count(number) + 4)
        number = number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    has_ore = number != number.to_integral_value()
    text = format_number(number, 2 if has_ore else 0)
    if style == "prefix":
        return f"kr{NBSP}{text}"
    if style == "suffix":
        return f"{text}{NBSP}kr"
    return text


def format_percent(
    value: Decimal | int | float | str, decimals: int = 1, *, ratio: bool = True
) -> str:
    """``0.2772`` -> ``27,7 %`` (``ratio=False`` takes 27.72 for the same result)."""
    number = _to_decimal(value)
    if ratio:
        number *= 100
    return f"{format_number(number, decimals)}{NBSP}%"


def format_date_long(value: dt.date, lang: str = "nb") -> str:
    """``28. november 2026``."""
    return str(format_date(value, "d. MMMM y", locale=_locale(lang)))


def format_weekday_date(value: dt.date, lang: str = "nb") -> str:
    """``lørdag 28. november 2026`` (nb) / ``laurdag 28. november 2026`` (nn)."""
    return str(format_date(value, "EEEE d. MMMM y", locale=_locale(lang)))


def format_date_short(value: dt.date) -> str:
    """``28.11.2026``."""
    # Not strftime: glibc does not zero-pad %Y for years before 1000.
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def format_period(start: dt.date | None, end: dt.date | None) -> str:
    """``01.01.2022–31.12.2022`` (an en dash between); ``–`` when either end is unknown."""
    if start is None or end is None:
        return EN_DASH
    return f"{format_date_short(start)}{EN_DASH}{format_date_short(end)}"


def _digits(value: str | int) -> str:
    # isdecimal(), not isdigit(): "²" is a digit but not a decimal digit, and
    # would otherwise end up inside the formatted number. Decimal digits from
    # other scripts (fullwidth, Arabic-Indic) are written as ASCII digits.
    return "".join(str(unicodedata.decimal(c)) for c in str(value) if c.isdecimal())


def format_orgnr(value: str | int) -> str:
    """``974760673`` -> ``974 760 673``."""
    d = _digits(value)
    if len(d) != 9:
        return str(value)
    return NBSP.join((d[:3], d[3:6], d[6:]))


def format_account(value: str | int) -> str:
    """``86011117947`` -> ``8601 11 17947``."""
    d = _digits(value)
    if len(d) != 11:
        return str(value)
    return NBSP.join((d[:4], d[4:6], d[6:]))


# --- Norwegian alphabetical order -------------------------------------------------

# Primary weights: digits, then a-z, then æ ø å. Letters Norwegian dictionaries
# file with another letter get that letter's weight (ä as æ, ö as ø, ü as y).
_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzæøå"
_WEIGHT = {c: i for i, c in enumerate(_ALPHABET)}
_FOLD = {"ä": "æ", "ö": "ø", "ü": "y", "ß": "ss", "đ": "d", "ŋ": "n", "ŧ": "t", "œ": "øe"}


def _fold_char(ch: str) -> str:
    if ch in _WEIGHT:
        return ch
    if ch in _FOLD:
        return _FOLD[ch]
    if ch == "å":
        return ch
    base = unicodedata.normalize("NFD", ch)[0]
    return base if base in _WEIGHT else ch


def norwegian_sort_key(text: str) -> tuple[tuple[int, ...], str]:
    """Sort key for Norwegian alphabetical order: a … z æ ø å, "Aa" as "å".

    Characters other than letters and digits (spaces, punctuation) are ignored
    for the primary order; ties are broken on the case-folded text so the order
    is total and stable.
    """
    folded = unicodedata.normalize("NFC", text).casefold().replace("aa", "å")
    weights: list[int] = []
    for ch in folded:
        for part in _fold_char(ch):
            weight = _WEIGHT.get(part)
            if weight is not None:
                weights.append(weight)
            elif part.isalpha():
                weights.append(len(_ALPHABET) + ord(part))
    return tuple(weights), folded


T = TypeVar("T")


def sorted_norwegian(items: Iterable[T], key: Callable[[T], str] | None = None) -> list[T]:
    """Sort ``items`` (or ``key(item)``) in Norwegian alphabetical order."""
    get = key if key is not None else (lambda item: str(item))
    return sorted(items, key=lambda item: norwegian_sort_key(get(item)))
