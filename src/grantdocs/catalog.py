"""What a message is: a catalog string with a stable code, and a text with its values.

The messages themselves are in :mod:`grantdocs.messages`; this module is the
machinery they share, so the registry stays a list of messages.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Union

Param = Union[str, int, "Text"]
Translate = Callable[[str], str]


def N_(text: str) -> str:
    """Marks a catalog string for Babel's extraction (``babel.cfg``); returns it unchanged."""
    return text


def _english(text: str) -> str:
    return text


def fields(text: str) -> set[str]:
    """The ``{named}`` fields of a catalog string."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@dataclass(frozen=True, slots=True)
class Message:
    """One catalog string with its stable code (None for a part of other messages)."""

    code: str | None
    text: str
    hint: str | None = None
    plural: str | None = None
    """With ``plural``, the field ``count`` chooses: ``text`` for 1, ``plural`` otherwise."""

    def __call__(self, **params: Param) -> Text:
        missing = fields(self.text) - params.keys()
        if missing:
            raise TypeError(f"{self.code or self.text!r} needs {sorted(missing)}")
        return Text(self, tuple(sorted(params.items())))


@dataclass(frozen=True, slots=True)
class Text:
    """A message with its values, to be shown in any language."""

    message: Message
    params: tuple[tuple[str, Param], ...] = ()

    @property
    def code(self) -> str | None:
        """The message's code; for a part of a message, the code of the text inside it."""
        if self.message.code is not None:
            return self.message.code
        inner = self._inner()
        return inner.code if inner is not None else None

    def _inner(self) -> Text | None:
        """The first value that is a message with a code (what a part of a message holds)."""
        return next((v for _, v in self.params if isinstance(v, Text) and v.code), None)

    def values(self, translate: Translate = _english) -> dict[str, str]:
        return {key: value.render(translate) if isinstance(value, Text) else str(value)
                for key, value in self.params}

    def _format(self, catalog: str, translate: Translate) -> str:
        values = self.values(translate)
        try:
            return translate(catalog).format_map(values)
        except (KeyError, IndexError, ValueError):  # a broken translation: say it in English
            return catalog.format_map(values)

    def render(self, translate: Translate = _english) -> str:
        text = self.message.text
        if self.message.plural is not None and dict(self.params).get("count") != 1:
            text = self.message.plural
        return self._format(text, translate)

    def render_hint(self, translate: Translate = _english) -> str | None:
        if self.message.hint is None:
            inner = self._inner() if self.message.code is None else None
            return inner.render_hint(translate) if inner is not None else None
        return self._format(self.message.hint, translate)

    def __str__(self) -> str:
        return self.render()


def joined(items: Sequence[Param], separator: str = ", ") -> Text:
    """Items (texts or values) as one list, each shown in the language of the whole."""
    names = [f"item{number}" for number in range(len(items))]
    return Message(None, separator.join(f"{{{name}}}" for name in names))(
        **dict(zip(names, items, strict=True)))
