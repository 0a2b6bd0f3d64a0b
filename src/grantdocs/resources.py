"""Where the package's own files are: data, fonts and templates.

In a wheel the templates sit inside the package (``grantdocs/templates``); in a
source checkout they sit at the top of the repository (``templates/``), which is
what an editable install sees.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
FONTS_DIR = PACKAGE_DIR / "fonts"


def _find(name: str, marker: str) -> Path:
    for candidate in (PACKAGE_DIR / name, PACKAGE_DIR.parent.parent / name):
        if (candidate / marker).exists():
            return candidate
    raise RuntimeError(f"grantdocs {name} not found beside {PACKAGE_DIR}")


TEMPLATES_DIR = _find("templates", "nb")


def samples_dir() -> Path:
    """The bundled samples (looked up on demand: only the demo needs them)."""
    return _find("samples", "decisions.json")
