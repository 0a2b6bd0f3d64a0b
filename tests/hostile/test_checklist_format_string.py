"""#3: a cost line's name is the grantee's text, never a format string (the checklist)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.hostile._returns import checklist, edited_return

# "Aktiviteter og materiell" (row 17) is 30 % over budget, so its name reaches the budget check.
NAMES = ["Kost {x}", "{issuer.__class__.__mro__}", "{pct:>300000000}", "Kurs {{ 7*7 }}"]


@pytest.mark.parametrize("name", NAMES)
def test_line_name_is_printed_as_typed(tmp_path: Path, name: str) -> None:
    """#3: "{x}" used to fail the record, "{issuer.__class__.__mro__}" printed Python
    internals and "{pct:>300000000}" built a 300 MB string; now each is shown literally."""
    returned = edited_return(tmp_path / "return.xlsx", {("Regnskap", "A17"): name})
    out = tmp_path / "out"
    result = checklist(returned, out, "--format", "xlsx", timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    written = sorted(out.glob("*.xlsx"))
    assert len(written) == 1
    ws = load_workbook(written[0]).active
    texts = [str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.endswith(name) for t in texts), texts  # "Forklaring av avvik: <name>"
    assert not any("class 'object'" in t for t in texts)
    assert all(len(t) < 10_000 for t in texts)
