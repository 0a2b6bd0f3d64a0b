"""The columns of a caseworker's spreadsheet, as data: header names -> model paths.

The table is ``grantdocs/data/columns.toml``: every column maps to a dotted path
into :class:`grantdocs.model.Case` (``"organisation.org_number"``), with the
headers people type for it (abbreviations such as "Org.nr.", synonyms such as
"Tilsagn"), and the same file holds the words typed in cells ("innvilga",
"NN"). Headers are compared by :func:`header_key`: without case, spaces and
punctuation, without a trailing note in brackets, and, failing that, in any word
order. The model path itself and the bare field name (when it is not ambiguous)
are accepted as headers too, so a sheet exported from JSON reads back.

A caseworker's own headers can be mapped with a small TOML file (``--columns``):
``"Beløp vi ga" = "Innvilget beløp"``, see :func:`load_column_map`.
"""

from __future__ import annotations

import difflib
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel

from grantdocs import messages as M
from grantdocs.errors import ConfigError
from grantdocs.model import Case
from grantdocs.resources import DATA_DIR

COLUMNS_FILE = DATA_DIR / "columns.toml"


@dataclass(frozen=True, slots=True)
class Column:
    """One input column: its model path, accepted headers and how to read a cell."""

    path: str
    headers: tuple[str, ...]  # the first is the canonical Norwegian header
    kind: str  # name of the coercion in grantdocs.readers.coerce.COERCERS
    what: str  # what the value is, for "fill in ..." messages
    needed_for: tuple[str, ...] = ()  # decision kinds that cannot be read without it


def _load_table() -> dict[str, Any]:
    with COLUMNS_FILE.open("rb") as stream:
        return tomllib.load(stream)


_TABLE = _load_table()

COLUMNS: tuple[Column, ...] = tuple(
    Column(c["path"], tuple(c["headers"]), c["kind"], c["what"], tuple(c.get("needed_for", ())))
    for c in _TABLE["column"]
)

VALUES: Mapping[str, Mapping[str, tuple[str, ...]]] = MappingProxyType({
    name: MappingProxyType({value: tuple(words) for value, words in table.items()})
    for name, table in _TABLE["values"].items()
})
"""The words typed in cells, per kind of value: {"language": {"nn": ("nynorsk", ...)}}."""

BY_PATH: Mapping[str, Column] = MappingProxyType({c.path: c for c in COLUMNS})


def normalise_header(header: str) -> str:
    """The readable form headers are compared in: NFC, case-folded, inner whitespace
    collapsed, without a trailing note in brackets ("(kr)") or a trailing "*", ":" or "."."""
    text = unicodedata.normalize("NFC", header)
    text = re.sub(r"\s+", " ", text).strip().casefold()
    without_note = re.sub(r"\s*\([^()]*\)$", "", text)  # "Søkt beløp (kr)"
    text = without_note or text
    return text.rstrip("*:.").strip()


def _words(header: str) -> list[str]:
    return [w for w in re.split(r"[\W_]+", normalise_header(header)) if w]


def header_key(header: str) -> str:
    """The key headers are matched by: letters and digits only ("Org.nr." -> "orgnr")."""
    return "".join(_words(header))


def word_key(header: str) -> str:
    """The key that ignores word order ("Beløp søkt" and "Søkt beløp" -> "beløp søkt")."""
    return " ".join(sorted(_words(header)))


def _build_maps() -> tuple[dict[str, str], dict[str, str]]:
    names: dict[str, str] = {}
    by_words: dict[str, str] = {}

    def add(table: dict[str, str], key: str, path: str, header: str) -> None:
        if key in table and table[key] != path:  # pragma: no cover - a data error
            raise AssertionError(f"header {header!r} maps to {table[key]} and {path}")
        table[key] = path

    for column in COLUMNS:
        for header in (*column.headers, column.path):
            add(names, header_key(header), column.path, header)
            if len(_words(header)) > 1:
                add(by_words, word_key(header), column.path, header)
    leaves: dict[str, list[str]] = {}
    for column in COLUMNS:
        leaves.setdefault(column.path.rsplit(".", 1)[-1], []).append(column.path)
    for leaf, paths in leaves.items():
        key = header_key(leaf)
        if len(paths) == 1 and key not in names:
            names[key] = paths[0]
    return names, by_words


_NAMES, _BY_WORDS = _build_maps()
HEADERS: Mapping[str, str] = MappingProxyType(_NAMES)
"""Every known header, by :func:`header_key`, -> model path."""


def path_for(header: str, mapping: Mapping[str, str] | None = None) -> str | None:
    """The model path a header names, or None for an unknown column.

    ``mapping`` (from :func:`load_column_map`) is looked at first, by :func:`header_key`.
    """
    key = header_key(header)
    if mapping and key in mapping:
        return mapping[key]
    if not key:
        return None
    return HEADERS.get(key) or _BY_WORDS.get(word_key(header))


def column_for(path: str) -> str:
    """The canonical Norwegian header of a model path (the path itself if it has none)."""
    column = BY_PATH.get(path)
    if column is None or not column.headers:
        return path
    return column.headers[0]


def suggest(header: str, cutoff: float = 0.75) -> str | None:
    """The canonical header of the column an unknown header most looks like, or None."""
    close = difflib.get_close_matches(header_key(header), list(HEADERS), n=1, cutoff=cutoff)
    return column_for(HEADERS[close[0]]) if close else None


def closest_header(path: str, headers: list[str], cutoff: float = 0.6) -> str | None:
    """Of ``headers`` (unknown ones, as written), the one most like a header of ``path``."""
    column = BY_PATH[path]
    best: tuple[float, str] | None = None
    for header in headers:
        key = header_key(header)
        for known in column.headers:
            ratio = difflib.SequenceMatcher(None, key, header_key(known)).ratio()
            if ratio >= cutoff and (best is None or ratio > best[0]):
                best = (ratio, header)
    return best[1] if best else None


def load_column_map(file: Path) -> dict[str, str]:
    """A caseworker's own headers -> model paths, from a TOML file of ``"their" = "ours"``.

    "ours" is a header grantdocs knows ("Innvilget beløp", "Org.nr.") or a model
    path ("decision.amount_granted"). The pairs may sit at the top of the file or
    in a ``[columns]`` table. The result is keyed by :func:`header_key`, for
    :func:`path_for`. A file that cannot be used is a :class:`ConfigError`.
    """
    try:
        with file.open("rb") as stream:
            data = tomllib.load(stream)
    except OSError as exc:
        raise ConfigError(M.COLUMN_MAP_UNREADABLE(file=str(file),
                                                  reason=str(exc.strerror or exc))) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(M.COLUMN_MAP_NOT_TOML(file=str(file), reason=str(exc))) from None
    return column_map(data["columns"] if isinstance(data.get("columns"), dict) else data,
                      str(file))


def column_map(pairs: Mapping[str, object], source: M.Param) -> dict[str, str]:
    """Check ``"their header" = "our column"`` pairs; keyed by :func:`header_key`.

    ``source`` names where the pairs come from, in the ConfigError for a bad pair.
    """
    mapping: dict[str, str] = {}
    for theirs, ours in pairs.items():
        if not isinstance(ours, str):
            raise ConfigError(M.COLUMN_MAP_NOT_A_NAME(source=source, theirs=repr(theirs),
                                                      example=theirs))
        path = ours if ours in BY_PATH else path_for(ours)
        if path is None:
            close = suggest(ours, cutoff=0.6)
            if close:
                raise ConfigError(M.COLUMN_MAP_UNKNOWN(source=source, theirs=repr(theirs),
                                                       ours=repr(ours), close=repr(close)))
            raise ConfigError(M.COLUMN_MAP_UNKNOWN_NO_MATCH(source=source, theirs=repr(theirs),
                                                            ours=repr(ours)))
        if not header_key(theirs):
            raise ConfigError(M.COLUMN_MAP_EMPTY_HEADER(source=source, theirs=repr(theirs)))
        mapping[header_key(theirs)] = path
    return mapping


def _required_paths(model: type[BaseModel], prefix: str = "") -> list[str]:
    paths: list[str] = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if info.is_required():
                paths.extend(_required_paths(annotation, f"{path}."))
        elif info.is_required():
            paths.append(path)
    return paths


REQUIRED: tuple[str, ...] = tuple(p for p in _required_paths(Case) if p in BY_PATH)
"""Model paths a spreadsheet must have a column for."""


def what(path: str) -> str:
    """What the value at a model path is, for messages ("the case number")."""
    column = BY_PATH.get(path)
    return column.what if column else path
