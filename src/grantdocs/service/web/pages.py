"""The pages' Jinja2 environment, their words, and :func:`render_page`.

Layout and markup live in ``templates/web/*.html`` (no words in them); the words, once
per written form, in ``templates/<lang>/web.toml``, one table per part of the site
(``[common]``, ``[errors]``, ``[grantee]``, ``[app]``). A template reaches them as
``w.<table>.<key>``; a text with a blank to fill, such as ``"Vent {seconds} sekunder"``,
goes through the ``fill`` filter: ``{{ w.errors["429"].text | fill(seconds=30) }}``.

The environment always escapes (``autoescape=True``, whatever the file's name) and makes
a missing variable an error (``StrictUndefined``), and it is sandboxed like the
documents' one. What a user typed is data in the context, never part of a template.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import jinja2
import jinja2.sandbox
from fastapi import Request
from fastapi.responses import HTMLResponse

from grantdocs.render.environment import NORWEGIAN_FILTERS
from grantdocs.resources import TEMPLATES_DIR

Lang = Literal["nb", "nn"]
LANGS: tuple[Lang, ...] = ("nb", "nn")
WEB_TEMPLATES = TEMPLATES_DIR / "web"


def words_file(lang: Lang) -> Path:
    return TEMPLATES_DIR / lang / "web.toml"


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({k: _frozen(v) for k, v in value.items()})
    return value


@lru_cache(maxsize=len(LANGS))
def words(lang: Lang) -> Mapping[str, Any]:
    """The parsed ``templates/<lang>/web.toml``, read once per process (read-only)."""
    if lang not in LANGS:
        raise ValueError(f"no web pages in {lang!r}: expected one of {LANGS}")
    with words_file(lang).open("rb") as fh:
        parsed: Mapping[str, Any] = _frozen(tomllib.load(fh))
    return parsed


def fill(text: str, **values: object) -> str:
    """``text`` with each ``{name}`` replaced by its value (nothing else is interpreted)."""
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(value))
    return text


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The one environment of the pages (templates are compiled once per process)."""
    env = jinja2.sandbox.SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(WEB_TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(NORWEGIAN_FILTERS, fill=fill)
    return env


def render_text(template: str, lang: Lang, **context: Any) -> str:
    """The HTML of ``template`` with ``lang`` and ``w`` in its context (no request)."""
    return environment().get_template(template).render(lang=lang, w=words(lang), **context)


def render_page(request: Request, template: str, lang: Lang, *, status: int = 200,
                **context: Any) -> HTMLResponse:
    """The page ``templates/web/<template>`` as the answer to ``request``.

    The context has ``lang``, ``w`` (the words of ``lang``), ``csrf`` (this request's
    form token: ``{% include "_csrf.html" %}`` in a form), ``request`` and ``context``.
    The CSRF cookie is set on the answer when the request did not bring one.
    """
    from grantdocs.service.web import security

    token = security.csrf_token(request)
    html = render_text(template, lang, csrf=token, csrf_field=security.CSRF_FIELD,
                       request=request, **context)
    response = HTMLResponse(html, status_code=status)
    security.set_csrf_cookie(response, request)
    return response
