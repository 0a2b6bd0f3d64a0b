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


def _templates_dir() -> Path:
    for candidate in (PACKAGE_DIR / "templates", PACKAGE_DIR.parent.parent / "templates"):
        if (candidate / "nb").is_dir():
            return candidate
    raise RuntimeError(f"grantdocs templates not found beside {PACKAGE_DIR}")


TEMPLATES_DIR = _templates_dir()
