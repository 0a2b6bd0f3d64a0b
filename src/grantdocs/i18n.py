"""Messages in the user's language: Bokmål, Nynorsk or English.

The language comes from ``GRANTDOCS_LANG``, else from the first of ``LC_ALL``,
``LC_MESSAGES`` and ``LANG`` that is set and not empty (POSIX's order). ``nb``,
``nn`` and ``no`` (Bokmål) mean Norwegian, as do their locales (``nb_NO.UTF-8``,
``no_NO@nynorsk``); anything else (``C``, ``en_GB``) means English. The catalogs
are the ``.mo`` files shipped under ``locale/`` in the package, so no locale has
to be installed on the machine. English is the catalogs' own text
(:mod:`grantdocs.messages`).
"""

from __future__ import annotations

import functools
import gettext
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from grantdocs.errors import GrantdocsError, Issue, Location, Severity
from grantdocs.messages import (
    ERROR,
    NO_FILE,
    ROW,
    ROWS,
    WARNING,
    Message,
    Text,
)

if TYPE_CHECKING:
    from grantdocs.readers.grouped import IssueGroup

Lang = Literal["nb", "nn", "en"]

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "grantdocs"
LANGUAGES: tuple[Lang, ...] = ("nb", "nn", "en")
ENVIRONMENT = ("GRANTDOCS_LANG", "LC_ALL", "LC_MESSAGES", "LANG")
"""Where the language is read from: the first that is set and not empty wins."""

_WORDS: Mapping[str, Lang] = {
    "nb": "nb", "no": "nb", "nob": "nb", "bokmal": "nb", "bokmål": "nb",
    "nn": "nn", "nno": "nn", "nynorsk": "nn",
}


def parse_language(value: str) -> Lang:
    """``nb_NO.UTF-8`` -> nb, ``nn`` -> nn, ``no_NO`` -> nb, ``no_NO@nynorsk`` -> nn, else en."""
    text = value.strip().casefold()
    base, _, modifier = text.partition("@")
    if modifier.startswith("nynorsk"):
        return "nn" if base.startswith(("no", "nb", "nn")) else "en"
    base = base.split(".", 1)[0]
    language = base.replace("-", "_").split("_", 1)[0]
    return _WORDS.get(language, "en")


def language(environ: Mapping[str, str] | None = None) -> Lang:
    """The language messages are shown in, from the environment (see the module's doc)."""
    env = os.environ if environ is None else environ
    for name in ENVIRONMENT:
        value = env.get(name)
        if value:
            return parse_language(value)
    return "en"


@functools.cache
def translations(lang: Lang) -> gettext.NullTranslations:
    """The catalog of ``lang`` (English: the messages as written)."""
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True)


def translator(lang: Lang | None = None) -> gettext.NullTranslations:
    return translations(lang or language())


def say(text: Text, lang: Lang | None = None) -> str:
    """``text`` in ``lang`` (default: the user's)."""
    return text.render(translator(lang).gettext)


def coded(text: Text, lang: Lang | None = None) -> str:
    """A summary as the CLI prints it: in ``lang``, with its code (``... [GD-I003]``)."""
    shown = say(text, lang)
    return f"{shown} [{text.code}]" if text.code else shown


def part(message: Message, lang: Lang | None = None, **params: str | int | Text) -> str:
    """A part of a message (no code), such as "error", in ``lang``."""
    return say(message(**params), lang)


def _where(location: Location, rows: str | None, lang: Lang | None) -> str:
    parts = [location.file or part(NO_FILE, lang)]
    if rows is not None:
        parts.append(rows)
    elif location.row is not None:
        parts.append(part(ROW, lang, row=location.row))
    if location.field:
        parts.append(location.field)
    return ", ".join(parts)


def location_text(location: Location, lang: Lang | None = None) -> str:
    """"file, row 3, Column" in ``lang``."""
    return _where(location, None, lang)


def _line(issue: Issue, where: str, lang: Lang | None) -> str:
    severity = part(ERROR if issue.severity is Severity.ERROR else WARNING, lang)
    if issue.text is not None:
        gettext_ = translator(lang).gettext
        message = issue.text.render(gettext_)
        own_hint = issue.text.render_hint()
        hint = issue.text.render_hint(gettext_) if issue.hint == own_hint else issue.hint
    else:
        message, hint = issue.message, issue.hint
    line = f"{where}: {severity}: {message}"
    if hint:
        line += f" ({hint})"
    if issue.code:
        line += f" [{issue.code}]"
    return line


def issue_line(issue: Issue, lang: Lang | None = None) -> str:
    """One issue as the CLI prints it: where, severity, message, hint and code."""
    return _line(issue, location_text(issue.location, lang), lang)


def group_line(group: IssueGroup, lang: Lang | None = None) -> str:
    """A group of repeated issues as one line, with its rows."""
    from grantdocs.readers.grouped import row_ranges

    if group.count == 1:
        return issue_line(group.first, lang)
    rows = None
    if group.rows:
        ranges = row_ranges(group.rows)
        several = len(set(group.rows)) > 1
        rows = part(ROWS, lang, rows=ranges) if several else part(ROW, lang, row=ranges)
    return _line(group.first, _where(group.first.location, rows, lang), lang)


def issue_dict(issue: Issue, lang: Lang | None = None) -> dict[str, object]:
    """An issue for JSON output: its code, and message and hint in ``lang``."""
    data = issue.to_dict()
    if issue.text is not None:
        gettext_ = translator(lang).gettext
        data["message"] = issue.text.render(gettext_)
        if issue.hint == issue.text.render_hint():
            data["hint"] = issue.text.render_hint(gettext_)
    data["language"] = lang or language()
    return data


def error_text(exc: GrantdocsError, lang: Lang | None = None) -> str:
    """A deliberate error as one line, in ``lang``, with its code when it has one."""
    text = exc.text
    if text is None:
        return str(exc)
    shown = say(text, lang) if exc.args and exc.args[0] is text else str(exc)
    return f"{shown} [{text.code}]" if text.code else shown
