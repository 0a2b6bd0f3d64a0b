"""JSON input: a list of cases or a versioned round, numbers where text is expected."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from grantdocs.errors import InputError, Location
from grantdocs.model import Language
from grantdocs.readers import read_cases
from tests.readers.examples import BAD_ORG, GOOD_ORG, json_case, only_case, read


def test_json_list(tmp_path: Path) -> None:
    path = tmp_path / "cases.json"
    path.write_text(json.dumps([json_case(), json_case(case_number="22/2")]), encoding="utf-8")
    records = read(path)
    assert [r.location for r in records] == [Location(str(path), 1), Location(str(path), 2)]
    case = records[0].case
    assert case is not None
    assert case.language is Language.NN
    assert case.application.budget_lines[0].amount == Decimal("200000.50")
    assert case.reference == "22/1" and case.organisation.org_number == GOOD_ORG
    assert records[1].case is not None and records[1].case.reference == "22/2"


def test_json_wrapped_with_errors(tmp_path: Path) -> None:
    bad = json_case()
    bad["organisation"]["org_number"] = BAD_ORG
    bad["decision"]["case_number"] = ""
    data = {"schema_version": "1", "cases": [json_case(), bad, "not a case", json_case()]}
    path = tmp_path / "round.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    records = read(path)
    assert [r.case is not None for r in records] == [True, False, False, True]
    bad_record = records[1]
    fields = {i.location.field: i.message for i in bad_record.issues}
    assert fields["organisation.org_number"].startswith(
        f"organisation.org_number: '{BAD_ORG}' fails the MOD11"
    )
    assert "case number" in fields["decision.case_number"]
    assert all(i.location.row == 2 and i.location.file == str(path) for i in bad_record.issues)
    assert "not an object" in records[2].issues[0].message


def test_json_number_org_and_wrong_version(tmp_path: Path) -> None:
    case = json_case()
    case["organisation"]["org_number"] = int(GOOD_ORG)
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"cases": [case]}), encoding="utf-8")
    assert only_case(read(path)).organisation.org_number == GOOD_ORG
    path.write_text(json.dumps({"schema_version": "9", "cases": []}), encoding="utf-8")
    with pytest.raises(InputError, match="schema_version"):
        read_cases(path)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"a\.json: line 1"):
        read_cases(path)
    path.write_text(json.dumps({"rounds": []}), encoding="utf-8")
    with pytest.raises(InputError, match="cases"):
        read_cases(path)
