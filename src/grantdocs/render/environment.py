"""The Jinja2 environment: autoescape, StrictUndefined, Norwegian filters, theme overrides.

Templates are looked up as ``<lang>/<name>`` (``nb/letter-granted.html``) first in
the caller's templates folder, if any, then in the package's own: a file in the
override folder replaces the file of the same name, like an MkDocs ``custom_dir``.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox

from grantdocs import formatting
from grantdocs.errors import TemplateError
from grantdocs.resources import TEMPLATES_DIR


def template_dirs(override: Path | str | None = None) -> tuple[Path, ...]:
    """The search path: the override folder first, then the package's templates.

    Every file in the override folder must be a regular file inside it: a link that
    leads out of the folder, or a pipe or device, is a TemplateError (exit 2).
    """
    if override is None:
        return (TEMPLATES_DIR,)
    folder = Path(override).resolve()
    if not folder.is_dir():
        raise TemplateError(f"templates folder not found: {override}")
    _check_folder(folder)
    return (folder, TEMPLATES_DIR)


def _outside(path: Path, folder: Path) -> str | None:
    """Why ``path`` may not be a template file of ``folder``, or None."""
    target = path.resolve()
    if not target.is_relative_to(folder):
        return f"it leads out of the templates folder, to {str(target)[:200]}"
    try:
        mode = target.stat().st_mode
    except OSError:
        return "it is a link to nothing"
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return "it is not a regular file"
    return None


@lru_cache(maxsize=8)
def _check_folder(folder: Path) -> None:
    """Refuse a templates folder holding anything but files and folders of its own."""
    for root, dirs, files in os.walk(folder):  # links to folders are not walked into
        for name in (*dirs, *files):
            path = Path(root) / name
            problem = _outside(path, folder)
            if problem is not None:
                raise TemplateError(f"{path}: not used as a template: {problem}; "
                                    "a templates folder may hold only its own files")


class _FolderLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that reads a template only when it is a regular file inside its
    search folder (checked again at each load, after :func:`template_dirs`)."""

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = jinja2.loaders.split_template_path(template)
        for searchpath in self.searchpath:
            path = Path(searchpath, *pieces)
            if os.path.lexists(path):
                problem = _outside(path, Path(searchpath).resolve())
                if problem is not None:
                    raise TemplateError(f"{path}: not used as a template: {problem}")
                break
        return super().get_source(environment, template)


def _date_long(value: Any, lang: str) -> str:
    return formatting.format_date_long(value, lang)


NORWEGIAN_FILTERS: dict[str, Callable[..., Any]] = {
    "kr": formatting.format_amount,
    "amount": lambda v: formatting.format_amount(v, "suffix"),
    "number": formatting.format_number,
    "percent": formatting.format_percent,
    "date_short": formatting.format_date_short,
    "date_long": _date_long,
    "weekday_date": formatting.format_weekday_date,
    "orgnr": formatting.format_orgnr,
    "account": formatting.format_account,
    "sort_no": formatting.sorted_norwegian,
}
"""The Norwegian formatting filters, the same for the documents and the web pages."""


@lru_cache(maxsize=8)
def get_environment(dirs: Sequence[Path] = (TEMPLATES_DIR,)) -> jinja2.Environment:
    """One environment per search path, cached: templates are compiled once per process.

    The environment is sandboxed: a template (from ``--templates`` too) cannot reach
    Python's internals (``''.__class__``, ``lipsum.__globals__``), only the context.
    """
    env = jinja2.sandbox.SandboxedEnvironment(
        loader=_FolderLoader([str(d) for d in dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        # a template edited on disk is recompiled: a long-lived process (the service, or
        # run_batch called twice) must not render with what it compiled before the edit,
        # since incremental runs trust the files' digest. The check is one stat per file.
        auto_reload=True,
    )
    env.filters.update(NORWEGIAN_FILTERS)
    return env


def words(lang: str, dirs: Sequence[Path] = (TEMPLATES_DIR,)) -> Any:
    """The plain words of ``<lang>/_words.html`` (its top-level sets), for the few texts that
    Python puts together before a template runs (a signer's default title, the unit of amounts
    in scheme texts). Jinja keeps the module until the file changes on disk."""
    env = get_environment(tuple(dirs))
    try:
        return env.get_template(f"{lang}/_words.html").module
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template not found: {exc.name}") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or lang}:{exc.lineno}: {exc.message}") from exc


def render_template(name: str, context: dict[str, Any], dirs: Sequence[Path]) -> str:
    """Render ``name`` with ``context``; a missing variable is an error, never a blank."""
    env = get_environment(tuple(dirs))
    try:
        return env.get_template(name).render(context)
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"template {name}: {exc.message}") from exc
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template not found: {exc.name}") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or name}:{exc.lineno}: {exc.message}") from exc
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateError(f"template {name}: not allowed: {exc}") from exc
