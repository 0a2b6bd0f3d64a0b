"""`grantdocs schema`: one JSON Schema that says what validation enforces."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from grantdocs.cli import cli
from grantdocs.model import Case
from tests.helpers import SAMPLES


def _schema(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["schema", *args])
    assert result.exit_code == 0, result.output
    schema: dict[str, Any] = json.loads(result.stdout)
    return schema


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return _schema()


@pytest.fixture(scope="module")
def sample() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SAMPLES / "decisions.json").read_text(encoding="utf-8"))
    return data


def test_one_valid_2020_12_schema(schema: dict[str, Any]) -> None:
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].startswith("urn:grantdocs:")
    assert {"Round", "Case", "Organisation", "Application", "Decision"} <= set(schema["$defs"])
    assert "case" not in schema and "round" not in schema  # not a dict of schemas
    for name in ("case", "round"):
        part = _schema(name)
        Draft202012Validator.check_schema(part)
        assert part["$schema"] == schema["$schema"] and part["$id"] != schema["$id"]


def test_the_samples_validate(schema: dict[str, Any], sample: dict[str, Any]) -> None:
    validator = Draft202012Validator(schema)
    assert list(validator.iter_errors(sample)) == []
    assert list(validator.iter_errors(sample["cases"])) == []  # a bare list of cases
    case_validator = Draft202012Validator(_schema("case"))
    for case in sample["cases"]:
        assert list(case_validator.iter_errors(case)) == []
        Case.model_validate(case)


def _changed(sample: dict[str, Any], section: str, name: str, value: object) -> dict[str, Any]:
    changed = copy.deepcopy(sample)
    changed["cases"][0][section][name] = value
    return changed


@pytest.mark.parametrize(("section", "name", "value"), [
    ("organisation", "org_number", "123"),
    ("organisation", "org_number", "97476067x"),
    ("organisation", "bank_account", "1234"),
    ("organisation", "postcode", "123"),
    ("organisation", "email", "ikke en adresse"),
    ("application", "amount_requested", "abc"),
    ("application", "amount_requested", -5),
    ("application", "amount_requested", "10.505"),
    ("decision", "amount_granted", "-1"),
    ("decision", "kind", "innvilget"),
    ("organisation", "language", "bokmål"),
])
def test_what_validation_refuses_the_schema_refuses(
        schema: dict[str, Any], sample: dict[str, Any], section: str, name: str,
        value: object) -> None:
    changed = _changed(sample, section, name, value)
    assert not Draft202012Validator(schema).is_valid(changed)
    with pytest.raises(ValueError):
        Case.model_validate(changed["cases"][0])


@pytest.mark.parametrize(("section", "name", "value"), [
    ("organisation", "org_number", "974 760 673"),
    ("organisation", "org_number", 974760673),
    ("organisation", "postcode", "0182"),
    ("application", "amount_requested", "450000.50"),
    ("application", "amount_requested", 450000),
])
def test_what_grantdocs_reads_the_schema_accepts(
        schema: dict[str, Any], sample: dict[str, Any], section: str, name: str,
        value: object) -> None:
    assert Draft202012Validator(schema).is_valid(_changed(sample, section, name, value))


def test_enumerations_and_minimums(schema: dict[str, Any]) -> None:
    defs = schema["$defs"]
    assert set(defs["DecisionKind"]["enum"]) == {"granted", "partial", "rejected"}
    assert set(defs["Language"]["enum"]) == {"nb", "nn"}
    granted = defs["Decision"]["properties"]["amount_granted"]
    assert granted["default"] == 0
    assert {"type": "number", "minimum": 0, "maximum": 999_999_999_999.99} in granted["anyOf"]
    assert defs["Round"]["properties"]["schema_version"]["enum"] == ["1", 1]
