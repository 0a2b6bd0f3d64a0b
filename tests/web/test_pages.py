"""The pages' environment and error pages: the written form, StrictUndefined, escaping,
and the words files of both written forms."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from typing import Any

import jinja2
import pytest
from fastapi.testclient import TestClient

from grantdocs.service.web.pages import environment, render_text, words, words_file
from tests.helpers import unknown_words


def _keys(table: Mapping[str, Any], prefix: str = "") -> set[str]:
    found: set[str] = set()
    for key, value in table.items():
        found.add(prefix + key)
        if isinstance(value, Mapping):
            found |= _keys(value, prefix + key + ".")
    return found


def _texts(table: Mapping[str, Any]) -> list[str]:
    return [t for v in table.values()
            for t in (_texts(v) if isinstance(v, Mapping) else [v]) if isinstance(t, str)]


def test_both_written_forms_have_the_same_keys() -> None:
    nb, nn = (tomllib.loads(words_file(lang).read_text("utf-8")) for lang in ("nb", "nn"))
    assert _keys(nb) == _keys(nn)
    # w.<table>.<key> in a template finds a mapping's method before a key of that name
    methods = set(dir(Mapping))
    assert not {k.rsplit(".", 1)[-1] for k in _keys(nb)} & methods


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_the_common_and_error_words_are_in_their_written_form(lang: str) -> None:
    text = "\n".join(_texts(words(lang)["common"]) + _texts(words(lang)["errors"]))
    text = re.sub(r"\{\w+\}", " ", text)
    assert "Lenk" in text
    assert unknown_words(text, lang) == set()


@pytest.mark.parametrize(("query", "lang", "title"), [
    ("", "nb", "Lenken er ikke gyldig lenger"),
    ("?lang=nn", "nn", "Lenkja er ikkje gyldig lenger"),
    ("?state_lang=nn", "nn", "Lenkja er ikkje gyldig lenger"),
    ("?state_lang=en", "nb", "Lenken er ikke gyldig lenger"),
])
def test_the_error_page_is_in_the_links_written_form(client: TestClient, query: str,
                                                     lang: str, title: str) -> None:
    page = client.get("/g/test/gone" + query)
    assert page.status_code == 410
    assert f'<html lang="{lang}">' in page.text
    assert f"<h1>{title}</h1>" in page.text and f"<title>{title} – " in page.text
    assert 'href="#main"' in page.text and '<main id="main"' in page.text
    assert '<link rel="stylesheet" href="/static/site.css">' in page.text


@pytest.mark.parametrize(("path", "status", "title"), [
    ("/g/abc.def", 403, "Lenken er ikke gyldig"),  # a link whose signature fails (grantee.py)
    ("/app/no-such-page", 404, "Fant ikke siden"),
    ("/app/test/needs", 400, "Forespørselen kunne ikke leses"),
])
def test_web_errors_are_pages(client: TestClient, path: str, status: int, title: str) -> None:
    page = client.get(path)
    assert page.status_code == status and page.headers["content-type"].startswith("text/html")
    assert f"<h1>{title}</h1>" in page.text
    assert ('href="/app/"' in page.text) == path.startswith("/app/")


def test_an_unexpected_error_is_the_500_page_with_user_text_kept_literal(
        client: TestClient) -> None:
    hostile = "<script>alert(1)</script>{{ 7*7 }}"
    page = client.get("/app/test/boom", headers={"X-Request-ID": hostile})
    assert page.status_code == 500 and "Det har skjedd en feil" in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{ 7*7 }}" in page.text
    assert "<script>" not in page.text and "49" not in page.text
    assert "RuntimeError" not in page.text and "a bug" not in page.text


def test_a_missing_variable_is_an_error() -> None:
    with pytest.raises(jinja2.UndefinedError):
        environment().from_string("{{ nobody_set_this }}").render()
    with pytest.raises(jinja2.UndefinedError):
        render_text("error.html", "nb", code=404, retry_after="", request_id="", home="")
    with pytest.raises(jinja2.UndefinedError):
        environment().from_string("{{ w.common.no_such_word }}").render(w=words("nb"))


def test_user_text_is_data_not_a_template() -> None:
    text = "<script>alert('x')</script> {{ 7*7 }} {% if 1 %}yes{% endif %}"
    html = environment().from_string("<p>{{ text }}</p>").render(text=text)
    assert html == ("<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; {{ 7*7 }} "
                    "{% if 1 %}yes{% endif %}</p>")


def test_filters_format_in_norwegian() -> None:
    import datetime as dt

    html = environment().from_string(
        "{{ a | kr }}|{{ d | date_long('nn') }}|{{ w.errors.retry | fill(seconds=5) }}"
    ).render(a=450000, d=dt.date(2022, 3, 15), w=words("nn"))
    assert html == "kr\u00a0450\u00a0000|15. mars 2022|Vent 5 sekund, og prøv igjen."


def test_the_readmes_screenshots_are_there() -> None:
    """The README's "Web pages" pictures are files the browser tests write."""
    from tests.helpers import ROOT

    readme = (ROOT / "README.md").read_text("utf-8")
    shown = re.findall(r"\]\((docs/screenshots/[\w.-]+\.png)\)", readme)
    assert len(shown) >= 8
    written = (ROOT / "tests" / "browser").glob("test_*.py")
    named = {m for path in written  # the names the tests give screenshot(), directly or not
             for m in re.findall(r'"((?:app|grantee|error)-[\w{}-]+)"', path.read_text("utf-8"))}
    for picture in shown:
        assert (ROOT / picture).is_file(), picture
        stem = picture.rsplit("/", 1)[1].removesuffix(".png")
        assert stem in named or re.sub(r"^error-\d+-", "error-{status}-", stem) in named, stem
