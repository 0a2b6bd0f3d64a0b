"""The caseworker pages' words: each written form in its own (hunspell nb_NO / nn_NO), and
every page renders in both, every blank filled (the pages are in the issuer's written
form, so a Nynorsk issuer's caseworkers read the nn table)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from grantdocs.service.web.app_drafts import Draft
from grantdocs.service.web.app_views import BatchView, when
from grantdocs.service.web.pages import Lang, render_text, words
from tests.helpers import unknown_words

# Names and correct compounds the dictionaries do not list (nb_NO lacks "noe" and "noen").
KNOWN = {
    "nb": {"CSV", "Excel", "JSON", "PDF", "XLSX", "csv", "json", "xlsx", "zip", "gd", "kl",
           "grantdocs", "token", "create", "validate", "Noe", "noe", "noen", "kommandoen",
           "Vedtaksark", "vedtaksark", "Vedtaksbrev", "regnskapsskjemaet"},
    "nn": {"CSV", "Excel", "JSON", "PDF", "XLSX", "csv", "json", "xlsx", "zip", "gd",
           "grantdocs", "token", "create", "validate", "kommandoen", "Vedtaksark",
           "vedtaksark", "Vedtaksbrev", "Sakshandsamarmeny", "Tilgangsnøkkel",
           "Tilgangsnøkkelen", "tilgangsnøkkelen", "rekneskapsskjemaet", "tilskotsmottakar",
           "tilskotsmottakarane"},
}
# Bokmål forms that must not be in the Nynorsk table, and the other way round.
OTHER_FORM = {"nn": {"ikke", "tilskudd", "hilsen", "fra", "lenken", "filen", "jobber"},
              "nb": {"ikkje", "tilskot", "helsing", "frå", "lenkja", "fila", "noko"}}


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_the_app_words_are_in_their_written_form(lang: Lang) -> None:
    table: Any = words(lang)["app"]
    text = re.sub(r"\{\w+\}", " ", "\n".join(str(v) for v in table.values()))
    assert unknown_words(text, lang) - KNOWN[lang] == set()
    found = set(re.findall(r"\w+", text.lower()))
    assert not found & OTHER_FORM[lang]


def _views(lang: Lang) -> dict[str, Any]:
    moment = dt.datetime(2026, 12, 1, 15, 40, tzinfo=dt.UTC)
    batch = BatchView("0" * 32, "vedtak.csv", "done", when(moment, lang), 4, 2, 2, None)
    draft = Draft(id="1" * 32, token_id=1, name="vedtak.csv", created="", total=4, valid=2,
                  issues=[{"row": 4, "column": "Organisasjonsnummer", "code": "error",
                           "message": "…", "message_code": "GD-E041"},
                          {"row": 6, "column": "Godkjent av", "code": "warning",
                           "message": "…", "message_code": "GD-W008"}])
    link = {"id": "L" * 22, "url": "https://tilskudd.example/g/x.y", "state": "active",
            "expires": when(moment, lang), "email": "…"}
    upload = {"filename": "regnskap.xlsx", "received": when(moment, lang),
              "outcome": {"status": "read", "unspent": "kr 5 000", "missing": [],
                          "explain": []}}
    grant = {"reference": "22/00087-3", "organisation": "Frivillig Mangfold Norge",
             "kind": "partial", "granted": "kr 75 000", "link": link, "accounts": upload,
             "report": upload}
    return {"batch": batch, "draft": draft, "grant": grant}


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_every_page_renders_in_both_written_forms_with_every_blank_filled(lang: Lang) -> None:
    v = _views(lang)
    common = {"csrf": "token", "csrf_field": "csrf", "request": None}
    pages = {
        "app_sign_in.html": {"error": True},
        "app_dashboard.html": {"batches": [v["batch"]], "upload_error": "wrong_type",
                               "suffixes": ".csv"},
        "app_upload.html": {"draft": v["draft"], "error": "queue_full"},
        "app_batch.html": {"batch": v["batch"], "progress": "2 / 4"},
        "app_grants.html": {"batch": v["batch"], "grants": [v["grant"]],
                            "missing_links": True},
    }
    table: Any = words(lang)["app"]
    for template, context in pages.items():
        page = render_text(template, lang, **common, **context)
        assert f'<html lang="{lang}">' in page, template
        assert not re.search(r"\{\w+\}", page), template
        assert table["nav_home"] in page or template == "app_sign_in.html"
    grants = render_text("app_grants.html", lang, **common, **pages["app_grants.html"])
    assert table["kind_partial"] in grants and "kr 5 000" in grants
