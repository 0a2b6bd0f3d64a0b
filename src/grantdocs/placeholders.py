"""The placeholders a scheme's texts may use ({issuer}, {audit_threshold} ...), checked when a
scheme file is loaded, so a typo in a municipality's copy stops the run with the setting's
name instead of failing at the first letter. ``scheme.scheme_values`` fills them in."""

from __future__ import annotations

import string
from typing import Any

from grantdocs import messages_issuer as I
from grantdocs.catalog import Text

PLACEHOLDERS = ("issuer", "scheme", "year", "chapter", "post", "measure_min", "project_budget_max",
                "audit_threshold", "deviation_explain_pct", "application_deadline")
# the parts of a scheme whose texts are filled in
FILLED = {"rules", "reasons", "reporting", "control", "breach", "use_of_funds", "unspent"}


def _texts(data: Any, where: str = "") -> list[tuple[str, str]]:
    """(setting, text) of every string in ``data``, a dumped part of a scheme."""
    if isinstance(data, str):
        return [(where, data)]
    items = data.items() if isinstance(data, dict) else enumerate(data or ())
    return [t for k, v in items if not isinstance(v, (int, bool))
            for t in _texts(v, f"{where}.{k}".lstrip("."))]


def unknown_placeholders(data: Any, known: set[str]) -> Text | None:
    """Why a text in ``data`` cannot be filled in (an unknown placeholder), or None."""
    for where, text in _texts(data):
        try:
            used = {field for _, field, _, _ in string.Formatter().parse(text) if field}
        except ValueError as exc:  # a lone "{" or "}"
            return I.LONE_BRACE(setting=where, reason=str(exc))
        if used - known:
            return I.PLACEHOLDER_UNKNOWN(setting=where,
                                         used="{" + ", ".join(sorted(used - known)) + "}",
                                         known="{" + "}, {".join(sorted(known)) + "}")
    return None
