"""The Jinja2 environment: autoescape, StrictUndefined, Norwegian filters, theme overrides.

Templates are looked up as ``<lang>/<name>`` (``nb/letter-granted.html``) first in
the caller's templates folder, if any, then in the package's own: a file in the
override folder replaces the file of the same name, like an MkDocs ``custom_dir``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from grantdocs import formatting
from grantdocs.errors import TemplateError
from grantdocs.resources import TEMPLATES_DIR


def template_dirs(override: Path | str | None = None) -> tuple[Path, ...]:
    """The search path: the override folder first, then the package's templates."""
    if override is None:
        return (TEMPLATES_DIR,)
    folder = Path(override).resolve()
    if not folder.is_dir():
        raise TemplateError(f"templates folder not found: {override}")
    return (folder, TEMPLATES_DIR)


def _date_long(value: Any, lang: str) -> str:
    return formatting.format_date_long(value, lang)


@lru_cache(maxsize=8)
def get_environment(dirs: Sequence[Path] = (TEMPLATES_DIR,)) -> jinja2.Environment:
    """One environment per search path, cached: templates are compiled once per process."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
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
    env.filters.update(
        kr=formatting.format_amount,
        amount=lambda v: formatting.format_amount(v, "suffix"),
        number=formatting.format_number,
        percent=formatting.format_percent,
        date_short=formatting.format_date_short,
        date_long=_date_long,
        weekday_date=formatting.format_weekday_date,
        orgnr=formatting.format_orgnr,
        account=formatting.format_account,
        sort_no=formatting.sorted_norwegian,
    )
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
