"""#18: bidi override characters in applicants' text do not reach the documents."""

from __future__ import annotations

import json
from pathlib import Path

from grantdocs.readers import read_cases
from tests.hostile._inputs import sample_cases, sample_rows, write_csv

SPOOF = "Evil\u202egnp.exe"  # shows as "Evilexe.png"
ISOLATED = "\u2067\u0645\u0646\u0638\u0645\u0629\u2069 Oslo"  # an Arabic name in an isolate


def test_bidi_controls_are_removed_from_json_text(tmp_path: Path) -> None:
    """#18: names and texts keep their letters (Arabic too) but lose U+202A-E, U+2066-9."""
    cases = sample_cases()[:1]
    cases[0]["organisation"]["name"] = SPOOF
    cases[0]["organisation"]["contact_person"] = ISOLATED
    cases[0]["application"]["title"] = "Prosjekt \u202dX\u202c"
    source = tmp_path / "in.json"
    source.write_text(json.dumps({"schema_version": "1", "cases": cases}), "utf-8")
    [record] = list(read_cases(source))
    assert record.case is not None, record.issues
    assert record.case.organisation.name == "Evilgnp.exe"
    assert record.case.organisation.contact_person == "\u0645\u0646\u0638\u0645\u0629 Oslo"
    assert record.case.application.title == "Prosjekt X"


def test_bidi_controls_are_removed_from_sheet_cells(tmp_path: Path) -> None:
    """#18: the same for a CSV cell."""
    rows = sample_rows()
    rows[1][rows[0].index("Organisasjon")] = SPOOF
    records = list(read_cases(write_csv(tmp_path / "in.csv", rows)))
    assert records[0].case is not None
    assert records[0].case.organisation.name == "Evilgnp.exe"
