"""What the data files (scheme rules, issuer profiles) share: frozen models, texts in both
written forms, reading TOML, and error messages that name the file and the setting."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from grantdocs import messages_issuer as I
from grantdocs.catalog import Text, joined
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
            raise SettingError(I.LISTS_NOT_SAME_LENGTH())
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


_KINDS = {
    "missing": I.SETTING_MISSING, "extra_forbidden": I.SETTING_UNKNOWN,
    "int_parsing": I.SETTING_WHOLE_NUMBER, "int_type": I.SETTING_WHOLE_NUMBER,
    "int_from_float": I.SETTING_WHOLE_NUMBER, "decimal_parsing": I.SETTING_NUMBER,
    "decimal_type": I.SETTING_NUMBER, "float_parsing": I.SETTING_NUMBER,
    "float_type": I.SETTING_NUMBER, "finite_number": I.SETTING_FINITE,
    "string_type": I.SETTING_TEXT, "bool_parsing": I.SETTING_BOOLEAN,
    "bool_type": I.SETTING_BOOLEAN, "tuple_type": I.SETTING_LIST, "list_type": I.SETTING_LIST,
    "model_type": I.SETTING_TABLE, "model_attributes_type": I.SETTING_TABLE,
    "dict_type": I.SETTING_TABLE,
}
_BOUNDS = {"greater_than_equal": ("ge", I.SETTING_AT_LEAST),
           "less_than_equal": ("le", I.SETTING_AT_MOST),
           "greater_than": ("gt", I.SETTING_ABOVE), "less_than": ("lt", I.SETTING_BELOW)}


class SettingError(ValueError):
    """A validator's refusal of a data file's value, as a message (pydantic keeps it)."""

    def __init__(self, text: Text) -> None:
        super().__init__(text)
        self.text = text


def _setting_problem(err: Any) -> Text | str:
    """What pydantic found wrong with one setting, in words the user's language has."""
    kind = str(err["type"])
    context = err.get("ctx") or {}
    if isinstance(context.get("error"), SettingError):
        text: Text = context["error"].text
        return text
    if kind in _KINDS:
        return _KINDS[kind]()
    if kind in _BOUNDS:
        key, message = _BOUNDS[kind]
        return message(limit=str(context.get(key, "")))
    if kind.startswith(("date_", "datetime_")):
        return I.SETTING_DATE()
    return str(err["msg"])


def _explain(path: Path, exc: ValidationError) -> ConfigError:
    lines = [I.SETTING(setting=".".join(str(p) for p in err["loc"]) or I.TOP_LEVEL(),
                       problem=_setting_problem(err))
             for err in exc.errors()]
    return ConfigError(I.SCHEME_INVALID(path=str(path), lines=joined(lines, "\n  ")))


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
