"""What the data files (scheme rules, issuer profiles) share: frozen models, texts in both
written forms, reading TOML, and error messages that name the file and the setting."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from grantdocs import messages_issuer as I
from grantdocs.errors import ConfigError


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(_Data):
    """The same text in Bokmål and Nynorsk, each written natively."""

    nb: str
    nn: str

    def __call__(self, lang: str) -> str:
        return self.nb if lang == "nb" else self.nn


class LocalizedList(_Data):
    nb: tuple[str, ...]
    nn: tuple[str, ...]

    def __call__(self, lang: str) -> tuple[str, ...]:
        return self.nb if lang == "nb" else self.nn

    @model_validator(mode="after")
    def _same_length(self) -> LocalizedList:
        if len(self.nb) != len(self.nn):
            raise ValueError("nb and nn lists must have the same number of items")
        return self


def _load_toml(path: Path, what: Literal["issuer", "scheme"]) -> dict[str, Any]:
    name = (I.DATA_ISSUER if what == "issuer" else I.DATA_SCHEME)()
    if path.exists() and not path.is_file():  # a folder, or a pipe that would block
        raise ConfigError(I.DATA_NOT_A_FILE(path=str(path), what=name))
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(I.DATA_NOT_FOUND(what=name, path=str(path))) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(I.DATA_NOT_TOML(path=str(path), reason=str(exc))) from None
    except OSError as exc:
        raise ConfigError(I.DATA_CANNOT_READ(path=str(path), what=name,
                                             reason=str(exc.strerror))) from None


def _explain(path: Path, exc: ValidationError) -> ConfigError:
    lines = [f"{path}: invalid settings"]
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        lines.append(f"  {loc}: {err['msg']}")
    return ConfigError("\n".join(lines))


def file_stamp(file: Path) -> tuple[int, int] | None:
    """(modification time, size) of ``file``, or None when it cannot be read.

    The caches of parsed files are keyed on it, so a file edited on disk is read
    again in a long-lived process.
    """
    try:
        stat = file.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size
