"""Wording lives in templates/<lang>/, not in Python; the letter context holds what templates read.

* No string literal in ``src/grantdocs`` holds a Norwegian word that documents use. Docstrings,
  field descriptions and help texts are documentation; ``VOCABULARY`` lists the modules whose
  Norwegian strings are vocabulary (what the caseworker types, a standard's element names), not
  wording; ``SHAPES`` lists the few strings that are the same in both written forms (currency
  sign, number formats, file names, legal references, format names), each with its reason.
* Every key :func:`build_letter_context` returns is read by some letter template, so the context
  does not grow keys nobody uses.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest
from jinja2 import meta

import grantdocs
from grantdocs.render.context import build_letter_context
from grantdocs.render.environment import get_environment
from grantdocs.resources import TEMPLATES_DIR
from grantdocs.scheme import load_issuer, load_scheme
from tests.helpers import make_case

SRC = Path(grantdocs.__file__).parent

# Words of the documents, in both written forms (lower case).
NORWEGIAN = frozenset({
    "kroner", "saksbehandler", "sakshandsamar", "saksbehandleren", "sakshandsamaren", "side",
    "av", "og", "vedtak", "vedtaket", "tilskudd", "tilskot", "tilskuddet", "tilskotet", "søknad",
    "søknaden", "dato", "frist", "referanse", "hilsen", "helsing", "beløp", "beløpet", "mottaker",
    "mottakar", "ikke", "ikkje", "klage", "klagerett", "begrunnelse", "grunngjeving", "innvilget",
    "innvilga", "avslag", "avslått", "tildelt", "omsøkt", "delmål", "målgrupper", "fylke",
    "kommune", "merknad", "merknader", "revisor", "akseptskjema", "vilkår", "vilkårene",
    "vilkåra", "utbetaling", "årsrapport", "regnskap", "rekneskap", "rekneskapen", "regnskapet",
    "ubrukt", "tilbakebetaling", "prosjekt", "prosjektet", "tiltak", "tiltaket", "telefon",
    "underskrift", "kontonummer", "organisasjonsnummer",
})

# Modules whose Norwegian strings are vocabulary, not wording: what the caseworker types
# (readers/: column synonyms, sheet names, values; model.py: the input schema; rules.py: checks
# that quote input columns; messages.py: the English catalog strings of CLI messages, which quote
# what the caseworker types, their Norwegian forms being in locale/) and the element names of the
# Noark 5 arkivmelding schema.
VOCABULARY = ("readers/", "model.py", "rules.py", "messages.py", "messages_readers.py",
              "writers/arkivmelding.py")

SHAPES = [
    # the currency sign of amounts ("kr 450 000", "450 000 kr"): formatting.py
    re.compile(r"kr"),
    # spreadsheet number formats with the currency sign
    re.compile(r".*#,##0.*"),
    # output file names, the same for both written forms ("..._regnskap.xlsx")
    re.compile(r"_[a-z]+\.?"),
    # default legal references of a scheme ("§§ 18 og 19"), the same in both written forms
    re.compile(r"§§? \d+ og \d+"),
    # the open-data export named after tilskudd.no (a format and its labels' table)
    re.compile(r"tilskudd"),
]


def _documenting(node: ast.AST) -> ast.AST | None:
    """The part of ``node`` that documents: a docstring, a description= or help= text, __all__."""
    if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
        first = node.body[0] if node.body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            return first.value
    if isinstance(node, ast.keyword) and node.arg in ("description", "help"):
        return node.value
    if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
        return node.value
    return None


def _documentation(tree: ast.AST) -> set[int]:
    """ids of the string nodes that document rather than say."""
    parts = (_documenting(node) for node in ast.walk(tree))
    return {id(n) for part in parts if part is not None for n in ast.walk(part)}


def norwegian_literals(source: str) -> Iterator[tuple[int, str]]:
    """(line, text) of each string literal in ``source`` that holds a Norwegian word."""
    tree = ast.parse(source)
    skip = _documentation(tree)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and id(node) not in skip
                and not any(shape.fullmatch(node.value) for shape in SHAPES)
                and NORWEGIAN & set(re.findall(r"[^\W\d_]+", node.value.lower()))):
            yield node.lineno, node.value


def test_no_norwegian_wording_in_python() -> None:
    found = [
        f"{path.relative_to(SRC)}:{line}: {text!r}"
        for path in sorted(SRC.rglob("*.py"))
        if not path.relative_to(SRC).as_posix().startswith(VOCABULARY)
        for line, text in norwegian_literals(path.read_text("utf-8"))
    ]
    assert found == []


@pytest.mark.parametrize("source", [
    'TITLE = "saksbehandler"',
    'x = f"{amount}\\u00a0kroner"',
    'print("Side", 1, "av", 2)',
])
def test_the_scan_finds_wording(source: str) -> None:
    """The scan is not vacuous: it sees plain strings and the parts of f-strings."""
    assert list(norwegian_literals(source))


def test_the_scan_passes_documentation() -> None:
    source = ('"""Vedtak og tilskudd."""\n'
              'def f() -> None:\n    """Saksbehandler."""\n'
              'x = Field(description="Søkt beløp, kroner.")\n'
              '__all__ = ["kroner"]\n')
    assert list(norwegian_literals(source)) == []


def _letter_templates() -> dict[str, jinja2.nodes.Template]:
    """Every template a letter, claim or report template reads, parsed, by name."""
    env = get_environment()
    todo = [f"{lang}/{name}" for lang in ("nb", "nn") for name in (
        "letter-granted.html", "letter-partial.html", "letter-rejected.html",
        "repayment-claim.html", "report-template.html")]
    parsed: dict[str, jinja2.nodes.Template] = {}
    while todo:
        name = todo.pop()
        if name in parsed:
            continue
        parsed[name] = env.parse((TEMPLATES_DIR / name).read_text("utf-8"))
        refs = list(meta.find_referenced_templates(parsed[name]))
        assert None not in refs, f"{name} names a template Jinja cannot resolve statically"
        todo += [r for r in refs if r is not None]
    return parsed


def test_every_letter_context_key_is_read_by_a_template() -> None:
    read = set().union(*(meta.find_undeclared_variables(t) for t in _letter_templates().values()))
    for kind in ("granted", "partial", "rejected"):
        context = build_letter_context(make_case(kind, "nb"), load_scheme(), load_issuer())
        assert set(context) - read == set()


def test_the_key_scan_sees_variables_inside_macros() -> None:
    """Words are macros that read the context (nb/_words.html); the scan must see into them."""
    read = set().union(*(meta.find_undeclared_variables(t) for t in _letter_templates().values()))
    assert {"appeal", "report_deadline", "is_project", "amount_refused", "repayment"} <= read
