"""grantdocs: Norwegian grant administration documents in Bokmål and Nynorsk."""

from __future__ import annotations

__version__ = "0.1.0"
