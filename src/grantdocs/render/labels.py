"""The one loader of language-specific labels, read from the templates folders.

The words code needs (column headers of a workbook, check names, the
statistics' headline labels, read-back notes) live beside the templates
(``templates/<lang>/accounts.toml``, ``checklist.toml``, ``stats.toml`` ...), so an
override templates folder can change them like any template. Files are read
again when edited on disk; a file that does not parse is a :class:`ConfigError`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from grantdocs.errors import ConfigError
from grantdocs.resources import TEMPLATES_DIR
from grantdocs.scheme import file_stamp


@lru_cache(maxsize=32)
def _load(file: Path, stamp: tuple[int, int] | None) -> dict[str, Any]:
    try:
        with file.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: not valid TOML: {exc}") from None


def load_labels(name: str, lang: str, dirs: Sequence[Path] = (TEMPLATES_DIR,)) -> dict[str, Any]:
    """The labels of ``<lang>/<name>`` (e.g. ``nb/accounts.toml``), first found in ``dirs``."""
    if lang not in ("nb", "nn"):
        raise ConfigError(f"unknown language {lang!r}: use 'nb' or 'nn'")
    for folder in dirs:
        file = folder / lang / name
        if file.is_file():
            return _load(file, file_stamp(file))  # read again when edited on disk
    raise ConfigError(f"labels file {lang}/{name} not found in {', '.join(map(str, dirs))}")
