"""The root package's public API: small, typed, and lazy."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys

import grantdocs
from tests.helpers import ROOT


def _type_checking_names() -> set[str]:
    tree = ast.parse((ROOT / "src" / "grantdocs" / "__init__.py").read_text("utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If)
                 and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
    return {alias.asname or alias.name for node in block.body
            if isinstance(node, ast.ImportFrom) for alias in node.names}


def test_every_public_name_is_typed_and_found() -> None:
    public = set(grantdocs._PUBLIC)
    assert _type_checking_names() == public  # mypy sees exactly what __getattr__ serves
    assert set(grantdocs.__all__) == public | {"__version__"}
    for name, module in grantdocs._PUBLIC.items():
        assert getattr(grantdocs, name) is getattr(
            importlib.import_module(f"grantdocs.{module}"), name)


def test_the_command_line_starts_without_the_heavy_libraries() -> None:
    code = ("import sys, grantdocs.cli; "
            "print(sorted({m.split('.')[0] for m in sys.modules} "
            "& {'weasyprint', 'openpyxl', 'docx', 'pydantic'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    assert out.strip() == "[]"
