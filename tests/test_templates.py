"""The templates' shape: the layout once at templates/ top level, words per written form.

* ``templates/nb/`` and ``templates/nn/`` hold words only: no element but inline emphasis and
  line breaks, and the same files, blocks, words and macros in both written forms.
* The batch digest follows every layout and words file a document reads, and the stylesheets a
  stylesheet imports, so an edit to any of them makes the next run write the documents again.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from jinja2 import nodes

from grantdocs.batch.digest import template_files
from grantdocs.render.environment import get_environment
from grantdocs.resources import TEMPLATES_DIR

LANGS = ("nb", "nn")
INLINE = {"strong", "em", "br"}


def language_files(lang: str) -> list[str]:
    return sorted(p.name for p in (TEMPLATES_DIR / lang).glob("*.html"))


def test_both_written_forms_have_the_same_files() -> None:
    assert language_files("nb") == language_files("nn")
    assert language_files("nb")  # the folder was read


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", language_files("nb"))
def test_language_files_hold_no_layout(lang: str, name: str) -> None:
    """Markup lives in the shared layouts; a language file has words and inline emphasis."""
    text = re.sub(r"\{#.*?#\}", "", (TEMPLATES_DIR / lang / name).read_text("utf-8"), flags=re.S)
    tags = set(re.findall(r"</?([a-zA-Z][a-zA-Z0-9]*)", text))
    assert tags <= INLINE


def _names(lang: str, name: str) -> set[str]:
    """The blocks, top-level words and macros that ``<lang>/<name>`` defines."""
    tree = get_environment().parse((TEMPLATES_DIR / lang / name).read_text("utf-8"))
    found = {f"block {b.name}" for b in tree.find_all(nodes.Block)}
    found |= {f"macro {m.name}" for m in tree.find_all(nodes.Macro)}
    for assign in tree.find_all((nodes.Assign, nodes.AssignBlock)):
        found |= {f"word {n.name}" for n in assign.target.find_all(nodes.Name)}
    return found


@pytest.mark.parametrize("name", language_files("nb"))
def test_nb_and_nn_say_the_same_things(name: str) -> None:
    nb = _names("nb", name)
    assert nb  # the file defines words
    assert nb == _names("nn", name)


def test_the_digest_follows_layouts_and_words() -> None:
    names = {n for n, _ in template_files((TEMPLATES_DIR,), ["nb/letter-*.html", "letter.css"])}
    assert {"nb/letter-granted.html", "_letter-granted.html", "_letter_layout.html",
            "_grant_terms.html", "_appeal.html", "_acceptance.html", "nb/_words.html",
            "letter.css"} <= names
    assert not any(n.startswith("nn/") for n in names)


def test_the_digest_follows_css_imports(tmp_path: Path) -> None:
    """A theme's stylesheet may @import another; an edit to that one counts too."""
    theme = tmp_path / "theme"
    (theme / "css").mkdir(parents=True)
    (theme / "letter.css").write_text(
        '@import "css/fonts.css";\n@import url("extra.css") print;\nbody { margin: 0; }\n')
    (theme / "css" / "fonts.css").write_text("@import url('../deeper.css');\n")
    (theme / "extra.css").write_text("p { margin: 0; }\n")
    (theme / "deeper.css").write_text("h1 { margin: 0; }\n")
    files = dict(template_files((theme, TEMPLATES_DIR), ["letter.css"]))
    assert set(files) == {"letter.css", "css/fonts.css", "extra.css", "deeper.css"}
    assert files["letter.css"] == theme / "letter.css"
