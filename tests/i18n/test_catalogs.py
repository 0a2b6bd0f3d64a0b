"""The catalogs are complete, compiled, in their written forms, and documented.

Every catalog string Babel extracts from the source has a Bokmål and a Nynorsk
translation; the shipped ``.mo`` files are what the ``.po`` files compile to;
translations use only the values their English string has; the translations
pass hunspell's dictionary of their own written form; docs/messages.md lists
every code. ``python tools/catalogs.py`` brings all of it back in sync.
"""

from __future__ import annotations

import re

import pytest
from babel.messages.catalog import Catalog
from tools import catalogs

from grantdocs import messages as M
from grantdocs.i18n import LOCALE_DIR
from tests.helpers import ROOT, unknown_words

LANGS = catalogs.LANGUAGES
HINT = "run python tools/catalogs.py, then translate the new entries"


@pytest.fixture(scope="module")
def template() -> Catalog:
    """What Babel extracts from the source, extracted once for the module's tests (it
    tokenizes every module of src/, about 0.5 CPU-seconds); the tests only read it."""
    return catalogs.extract()


@pytest.fixture(scope="module")
def extracted(template: Catalog) -> dict[str, object]:
    return {m.id: m for m in template if m.id}


def test_the_tool_and_the_package_share_the_locale_folder() -> None:
    assert catalogs.LOCALE == LOCALE_DIR


def test_extraction_finds_the_registry(extracted: dict[str, object]) -> None:
    """Not vacuous: every coded message and its hint is a catalog string."""
    texts = {t for m in M.registry().values() for t in (m.text, m.hint) if t}
    assert len(texts) > 80
    assert texts <= extracted.keys()


@pytest.mark.parametrize("lang", LANGS)
def test_every_extracted_string_is_translated(lang: str, extracted: dict[str, object]) -> None:
    catalog = catalogs.read(lang)
    translated = {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}
    missing = sorted(set(extracted) - translated.keys())
    assert missing == [], f"{lang}: untranslated {missing}; {HINT}"


def test_the_template_is_what_extraction_finds(template: Catalog) -> None:
    assert catalogs.POT.read_bytes() == catalogs.serialise_po(template), HINT


@pytest.mark.parametrize("lang", LANGS)
def test_shipped_mo_is_the_compiled_po(lang: str) -> None:
    compiled = catalogs.compile_mo(catalogs.po_path(lang).read_bytes())
    assert catalogs.mo_path(lang).read_bytes() == compiled, HINT


@pytest.mark.parametrize("lang", LANGS)
def test_translations_use_only_their_strings_values(lang: str) -> None:
    for message in catalogs.read(lang):
        if message.id and message.string:
            extra = M.fields(message.string) - M.fields(message.id)
            assert not extra, (lang, message.id, extra)
            message.string.format_map({name: "x" for name in M.fields(message.id)})


@pytest.mark.parametrize("lang", LANGS)
def test_translations_are_in_their_written_form(lang: str) -> None:
    allowed = set((ROOT / "tests" / "i18n" / "spelling" / f"{lang}.txt")
                  .read_text("utf-8").split())
    strings = [re.sub(r"\{\w+\}", " ", m.string) for m in catalogs.read(lang) if m.id]
    assert len(strings) > 80
    assert unknown_words("\n".join(strings), lang) - allowed == set()


def test_nynorsk_is_not_bokmal() -> None:
    """Written separately: no Nynorsk string that has a Bokmål-only word in it."""
    bokmal_only = {"ikke", "hvis", "bare", "mer", "fra", "blir", "noe", "hvert", "være"}
    for message in catalogs.read("nn"):
        words = set(re.findall(r"\w+", message.string))
        assert not words & bokmal_only, (message.id, words & bokmal_only)


def test_messages_doc_is_generated_from_the_registry() -> None:
    doc = (ROOT / "docs" / "messages.md").read_text("utf-8")
    assert doc == catalogs.messages_doc(), HINT
    for code in M.registry():
        assert f"`{code}`" in doc


def test_codes_are_well_formed_unique_and_never_retired() -> None:
    codes = M.registry()
    assert all(re.fullmatch(r"GD-[EWI]\d{3}", code) for code in codes)
    assert not set(codes) & M.RETIRED
    texts = [(m.text, m.hint) for m in codes.values()]
    assert len(set(texts)) == len(texts)
