"""The gettext catalogs of grantdocs' messages: extract, update, compile, document.

``python tools/catalogs.py`` after adding or changing a message in
``src/grantdocs/messages.py``:

1. extracts every catalog string (Babel, with ``babel.cfg``) into
   ``src/grantdocs/locale/grantdocs.pot``;
2. updates ``locale/nb`` and ``locale/nn`` (``LC_MESSAGES/grantdocs.po``): new
   strings come in untranslated, strings no longer used go;
3. compiles each ``.po`` into the ``.mo`` the package ships;
4. writes ``docs/messages.md``, every code with its English text.

Then translate the new entries (Bokmål and Nynorsk, each written as a native
writer would) and run it again to compile them. The tests check that all of it
is in sync (tests/i18n/test_catalogs.py).
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src"
LOCALE = ROOT / "src" / "grantdocs" / "locale"
POT = LOCALE / "grantdocs.pot"
DOC = ROOT / "docs" / "messages.md"
LANGUAGES = ("nb", "nn")
FIXED = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)  # no dates that change with every run
HEADER = ("# The messages of grantdocs' command line (src/grantdocs/messages.py).\n"
          "# Updated by tools/catalogs.py; translate the entries with an empty msgstr.")


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "grantdocs.po"


def mo_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "grantdocs.mo"


def _new_catalog(locale: str | None = None) -> Catalog:
    return Catalog(locale=locale, domain="grantdocs", project="grantdocs", version="",
                   creation_date=FIXED, revision_date=FIXED, fuzzy=False,
                   msgid_bugs_address="", copyright_holder="",
                   language_team="grantdocs" if locale else None,
                   last_translator="grantdocs", header_comment=HEADER)


def extract() -> Catalog:
    """Every catalog string in the source, as Babel finds it with babel.cfg."""
    catalog = _new_catalog()
    method_map = [("grantdocs/**.py", "python")]
    for filename, _lineno, message, comments, context in extract_from_dir(
            str(SOURCE), method_map=method_map, comment_tags=("TRANSLATORS:",)):
        catalog.add(message, None, [(f"src/{filename}", None)], auto_comments=comments,
                    context=context)
    return catalog


def serialise_po(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_output=True, include_lineno=False,
             ignore_obsolete=True)
    return out.getvalue()


def compile_mo(po: bytes) -> bytes:
    """The ``.mo`` of a ``.po`` (fuzzy entries left out)."""
    catalog = read_po(io.BytesIO(po))
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def read(lang: str) -> Catalog:
    with po_path(lang).open("rb") as stream:
        return read_po(stream, locale=lang)


def updated(lang: str, template: Catalog) -> Catalog:
    """The catalog of ``lang`` with the template's strings (no fuzzy guesses)."""
    path = po_path(lang)
    catalog = read(lang) if path.exists() else _new_catalog(lang)
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
    catalog.revision_date = FIXED
    catalog.creation_date = FIXED
    catalog.header_comment = HEADER
    catalog.last_translator = "grantdocs"
    catalog.project, catalog.version, catalog.msgid_bugs_address = "grantdocs", "", ""
    return catalog


def messages_doc() -> str:
    """docs/messages.md: every code with its English text and hint."""
    sys.path.insert(0, str(SOURCE))
    from grantdocs.messages import RETIRED, registry

    kinds = {"E": "Errors", "W": "Warnings", "I": "Summaries"}
    lines = [
        "# Messages and their codes",
        "",
        "Every error, warning and summary grantdocs prints has a stable code, printed with",
        "the message (`[GD-E041]` at the end of the line) and in the `code` field of",
        "`grantdocs validate --json`. The text is shown in Bokmål, Nynorsk or English",
        "(`GRANTDOCS_LANG`, else `LC_ALL`, `LC_MESSAGES`, `LANG`); the code is the same in",
        "every language. The letter in the code is the message's usual kind: statistics",
        "report a broken scheme rule (an `E` code) as a warning. `{name}` is a value put",
        "into the text. A code is never reused for another message.",
        "",
        "Generated from `src/grantdocs/messages.py` by `python tools/catalogs.py`; do not edit.",
    ]
    found = registry()
    for letter, title in kinds.items():
        lines += ["", f"## {title}", "", "| code | message | hint |", "|---|---|---|"]
        for code, message in found.items():
            if code.startswith(f"GD-{letter}"):
                cells = [message.text, message.hint or ""]
                cells = [c.replace("|", "\\|") for c in cells]
                lines.append(f"| `{code}` | {cells[0]} | {cells[1]} |")
    lines += ["", "## Retired codes", ""]
    lines += [f"* `{code}`" for code in sorted(RETIRED)] or ["None yet."]
    return "\n".join(lines) + "\n"


def main() -> None:
    template = extract()
    POT.parent.mkdir(parents=True, exist_ok=True)
    POT.write_bytes(serialise_po(template))
    for lang in LANGUAGES:
        catalog = updated(lang, template)
        po = serialise_po(catalog)
        po_path(lang).parent.mkdir(parents=True, exist_ok=True)
        po_path(lang).write_bytes(po)
        mo_path(lang).write_bytes(compile_mo(po))
        missing = [m.id for m in catalog if m.id and not m.string]
        if missing:
            print(f"{lang}: {len(missing)} untranslated", file=sys.stderr)
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(messages_doc(), encoding="utf-8")


if __name__ == "__main__":
    main()
