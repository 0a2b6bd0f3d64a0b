"""The package keeps its shape: short modules, no import cycles, heavy libraries in their stage.

1. No module under ``src/grantdocs/`` is over 400 lines.
2. No import cycle between modules, counting imports inside functions (lazy
   imports) as well as top-level ones. Imports under ``if TYPE_CHECKING:`` are
   left out: they never run.
3. WeasyPrint and python-docx are imported only under ``writers/``; openpyxl only
   under ``writers/`` and ``readers/``; FastAPI, Starlette and uvicorn only under
   ``service/`` and in ``cli/serve.py``.
4. The HTTP service is the top layer: nothing but ``cli/`` imports ``service/``.

The import graph is built from the source with :mod:`ast`, so nothing is
imported to check it. ``from grantdocs.x import y`` is an edge to
``grantdocs.x.y`` when ``y`` is a submodule, else to ``grantdocs.x``; relative
imports are resolved against the importing module's package.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import ROOT

PACKAGE = ROOT / "src" / "grantdocs"
MAX_LINES = 400
# top-level import name -> the folders (relative to the package) allowed to import it
CONFINED = {
    "weasyprint": ("writers",),
    "docx": ("writers",),
    "openpyxl": ("writers", "readers"),
    "fastapi": ("service", "cli.serve"),
    "starlette": ("service", "cli.serve"),
    "uvicorn": ("service", "cli.serve"),
}
# the package's own layers that only the named folders may import
ON_TOP = {"service": ("service", "cli")}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, dotted
    target: str  # what it imports: a dotted module name (ours or not)
    line: int
    lazy: bool  # inside a function or method
    type_only: bool  # under ``if TYPE_CHECKING:``

    def __str__(self) -> str:
        how = " (lazy)" if self.lazy else ""
        return f"{self.source}:{self.line} -> {self.target}{how}"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(root: Path) -> dict[str, Path]:
    """Every module of the package at ``root``, by dotted name."""
    return {module_name(p, root): p for p in sorted(root.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST, *, lazy: bool, type_only: bool) -> Iterator[tuple[ast.AST, bool, bool]]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for item in child.body:
                yield item, lazy, True
                yield from _walk(item, lazy=lazy, type_only=True)
            for item in child.orelse:
                yield item, lazy, type_only
                yield from _walk(item, lazy=lazy, type_only=type_only)
            continue
        inner = lazy or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        yield child, lazy, type_only
        yield from _walk(child, lazy=inner, type_only=type_only)


def imports(name: str, path: Path, known: set[str]) -> Iterator[Import]:
    """The imports of one module, resolved to dotted names."""
    tree = ast.parse(path.read_text("utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node, lazy, type_only in _walk(tree, lazy=False, type_only=False):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(name, alias.name, node.lineno, lazy, type_only)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                target = candidate if candidate in known else base
                yield Import(name, target, node.lineno, lazy, type_only)


def import_graph(root: Path) -> tuple[dict[str, set[str]], list[Import]]:
    """Edges between the package's own modules (TYPE_CHECKING imports left out), and all imports."""
    found = modules(root)
    known = set(found)
    everything = [i for name, path in found.items() for i in imports(name, path, known)]
    graph: dict[str, set[str]] = {name: set() for name in found}
    for item in everything:
        if item.type_only or item.target not in known or item.target == item.source:
            continue
        graph[item.source].add(item.target)
    return graph, everything


@functools.cache
def package_graph() -> tuple[dict[str, set[str]], list[Import]]:
    """grantdocs' own import graph, parsed once per test process (the tests only read it)."""
    return import_graph(PACKAGE)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def describe(component: list[str], everything: list[Import]) -> str:
    members = set(component)
    edges = sorted({
        str(i) for i in everything
        if not i.type_only and i.source in members and i.target in members
        and i.source != i.target
    })
    return f"cycle {' <-> '.join(component)}:\n    " + "\n    ".join(edges)


# --- the checks on grantdocs ---------------------------------------------------------------


def test_no_module_is_over_400_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): n
        for path in sorted(PACKAGE.rglob("*.py"))
        if (n := len(path.read_text("utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines (split them by concern): {long}"


def test_no_import_cycles() -> None:
    graph, everything = package_graph()
    found = cycles(graph)
    assert not found, "\n".join(describe(c, everything) for c in found)


@pytest.mark.parametrize("library", sorted(CONFINED))
def test_heavy_libraries_stay_in_their_stage(library: str) -> None:
    _, everything = package_graph()
    allowed = tuple(f"grantdocs.{folder}" for folder in CONFINED[library])
    outside = sorted({
        str(i) for i in everything
        if i.target.split(".")[0] == library
        and not any(i.source == a or i.source.startswith(a + ".") for a in allowed)
    })
    assert not outside, (
        f"{library} is imported outside {', '.join(CONFINED[library])}/:\n    "
        + "\n    ".join(outside)
    )


@pytest.mark.parametrize("layer", sorted(ON_TOP))
def test_top_layers_are_imported_only_from_above(layer: str) -> None:
    _, everything = package_graph()
    target = f"grantdocs.{layer}"
    allowed = tuple(f"grantdocs.{folder}" for folder in ON_TOP[layer])
    below = sorted({
        str(i) for i in everything
        if (i.target == target or i.target.startswith(target + "."))
        and not any(i.source == a or i.source.startswith(a + ".") for a in allowed)
    })
    assert not below, f"{layer}/ is imported from below it:\n    " + "\n    ".join(below)


# --- the checker itself, on a package made for it --------------------------------------------


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


def test_checker_sees_lazy_and_relative_imports_and_skips_type_checking(tmp_path: Path) -> None:
    root = _package(tmp_path, {
        "__init__.py": "",
        "a.py": "def f():\n    from pkg import b\n",
        "b.py": "from .sub import c\n",
        "sub/__init__.py": "",
        "sub/c.py": "from ..a import f\n",
        "d.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import e\n",
        "e.py": "import pkg.d\n",
    })
    graph, everything = import_graph(root)
    assert graph["pkg.a"] == {"pkg.b"}
    assert graph["pkg.b"] == {"pkg.sub.c"}
    assert graph["pkg.sub.c"] == {"pkg.a"}
    assert graph["pkg.d"] == set()  # TYPE_CHECKING only
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.sub.c"]]
    lazy = [i for i in everything if i.lazy]
    assert [(i.source, i.target) for i in lazy] == [("pkg.a", "pkg.b")]
    assert "pkg.a:2 -> pkg.b (lazy)" in describe(["pkg.a", "pkg.b", "pkg.sub.c"], everything)


def test_checker_tells_a_submodule_from_a_name(tmp_path: Path) -> None:
    root = _package(tmp_path, {
        "__init__.py": "from pkg.x import helper\n",
        "x/__init__.py": "def helper(): ...\n",
        "x/y.py": "from pkg.x import helper\nfrom pkg import x\n",
        "z.py": "from pkg.x import y\nimport openpyxl.styles\n",
    })
    graph, everything = import_graph(root)
    assert graph["pkg"] == {"pkg.x"}
    assert graph["pkg.x.y"] == {"pkg.x"}
    assert graph["pkg.z"] == {"pkg.x.y"}
    assert cycles(graph) == []
    assert any(i.source == "pkg.z" and i.target == "openpyxl.styles" for i in everything)
