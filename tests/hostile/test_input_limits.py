"""Limits on every caseworker input (issue 9): each at its limit (read) and one past it
(refused, naming the limit and how to raise it). Defect numbers are the security review's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from grantdocs.errors import ConfigError, InputError
from grantdocs.limits import MB, Limits
from grantdocs.readers import ReadRecord, read_cases
from tests.hostile._inputs import csv_bytes, grantdocs, sample_cases, sample_rows, write_csv

CASES = 24  # rows of samples/decisions.csv and cases of samples/decisions.json


def read_all(path: Path) -> list[ReadRecord]:
    return list(read_cases(path))


def errors_of(records: list[ReadRecord]) -> list[str]:
    return [str(issue) for record in records for issue in record.errors]


def write_json(path: Path, cases: list[dict[str, Any]], size: int | None = None) -> Path:
    """The cases as JSON, padded with trailing blanks to exactly ``size`` bytes."""
    data = json.dumps({"schema_version": "1", "cases": cases}, ensure_ascii=False).encode()
    if size is not None:
        assert len(data) <= size
        data += b" " * (size - len(data))
    path.write_bytes(data)
    return path


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


# --- file size ----------------------------------------------------------------

LIMIT_MB = 0.0625  # 64 KiB, a whole number of bytes


@pytest.mark.parametrize("extra, refused", [(0, False), (1, True)])
def test_csv_file_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: int,
                       refused: bool) -> None:
    """#2/#18 (caseworker input): a file at GRANTDOCS_MAX_FILE_MB is read; one byte more is
    refused before it is parsed, with the size, the limit and the variable."""
    monkeypatch.setenv("GRANTDOCS_MAX_FILE_MB", str(LIMIT_MB))
    data = csv_bytes(sample_rows())
    size = int(LIMIT_MB * MB) + extra
    source = tmp_path / "in.csv"
    source.write_bytes(data + b"\r\n" * ((size - len(data)) // 2) + b" " * ((size - len(data)) % 2))
    assert source.stat().st_size == size
    if refused:
        with pytest.raises(InputError,
                           match=r"over the limit of 0\.0625 MB.*GRANTDOCS_MAX_FILE_MB"):
            read_cases(source)
    else:
        assert len(read_all(source)) == CASES


@pytest.mark.parametrize("extra, refused", [(0, False), (1, True)])
def test_json_file_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: int,
                        refused: bool) -> None:
    """#18 (JSON size): JSON is parsed whole, so it has its own, lower, limit:
    GRANTDOCS_MAX_JSON_MB."""
    monkeypatch.setenv("GRANTDOCS_MAX_JSON_MB", str(LIMIT_MB))
    source = write_json(tmp_path / "in.json", sample_cases(), int(LIMIT_MB * MB) + extra)
    if refused:
        with pytest.raises(InputError, match=r"for JSON.*GRANTDOCS_MAX_JSON_MB"):
            read_cases(source)
    else:
        assert len(read_all(source)) == CASES


def test_json_default_limit_is_lower_than_the_sheets() -> None:
    """#18: 5 MB of memory per MB of JSON; the default keeps that near 250 MB."""
    limits = Limits()
    assert limits.max_json_mb * 5 <= 300 and limits.max_json_mb < limits.max_file_mb


def test_refused_file_is_one_message_and_exit_2(tmp_path: Path) -> None:
    """#2/#18: the command line says it once, with how to raise it, and exits 2."""
    source = write_csv(tmp_path / "in.csv", sample_rows())
    run = grantdocs("validate", source, env={"GRANTDOCS_MAX_FILE_MB": "0.001"})
    assert run.returncode == 2, run.stderr
    assert run.stderr.count("error:") == 1 and "Traceback" not in run.stderr
    assert "GRANTDOCS_MAX_FILE_MB" in run.stderr and "in.csv" in run.stderr


# --- rows -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "xlsx", "json"])
@pytest.mark.parametrize("limit, refused", [(CASES, False), (CASES - 1, True)])
def test_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, limit: int,
              refused: bool) -> None:
    """A file of GRANTDOCS_MAX_ROWS rows (or JSON cases) is read; one row more is refused."""
    monkeypatch.setenv("GRANTDOCS_MAX_ROWS", str(limit))
    if kind == "csv":
        source = write_csv(tmp_path / "in.csv", sample_rows())
    elif kind == "xlsx":
        source = write_xlsx(tmp_path / "in.xlsx", sample_rows())
    else:
        source = write_json(tmp_path / "in.json", sample_cases())
    if refused:
        with pytest.raises(InputError, match=rf"more than {limit} rows.*GRANTDOCS_MAX_ROWS"):
            read_all(source)
    else:
        assert len(read_all(source)) == CASES


# --- columns --------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("extra, refused", [(0, False), (1, True)])
def test_columns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, extra: int,
                 refused: bool) -> None:
    """A row with values in GRANTDOCS_MAX_COLUMNS columns is read; one more is refused."""
    rows = sample_rows()
    limit = len(rows[0]) + 5
    monkeypatch.setenv("GRANTDOCS_MAX_COLUMNS", str(limit))
    rows[7] += ["x"] * (limit - len(rows[7]) + extra)  # row 8, without headers
    source = (write_csv(tmp_path / "in.csv", rows) if kind == "csv"
              else write_xlsx(tmp_path / "in.xlsx", rows))
    if refused:
        with pytest.raises(InputError, match=rf"row 8 has a value in column {limit + 1}, "
                           rf"past the limit of {limit} columns.*GRANTDOCS_MAX_COLUMNS"):
            read_all(source)
    else:
        records = read_all(source)
        assert len(records) == CASES and not errors_of(records)


def test_header_row_columns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A header row wider than the limit refuses the file too."""
    rows = sample_rows()
    monkeypatch.setenv("GRANTDOCS_MAX_COLUMNS", str(len(rows[0])))
    rows[0].append("Notat")
    with pytest.raises(InputError, match=r"row 1 has a value in column .*GRANTDOCS_MAX_COLUMNS"):
        read_all(write_csv(tmp_path / "in.csv", rows))


# --- characters per cell ----------------------------------------------------------


def _with_note(rows: list[list[str]], note: str) -> list[list[str]]:
    rows[0].append("Notat")  # a column grantdocs does not read: only the limit applies
    for row in rows[1:]:
        row.append("")
    rows[4][-1] = note  # row 5
    return rows


@pytest.mark.parametrize("kind, limit", [("csv", None), ("xlsx", 300)])
@pytest.mark.parametrize("extra, refused", [(0, False), (1, True)])
def test_cell_chars(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str,
                    limit: int | None, extra: int, refused: bool) -> None:
    """#8: a cell of 32,767 characters (Excel's limit, the default) is read; 32,768 fail that
    row alone. (openpyxl cuts longer XLSX cells to 32,767, so XLSX is tested at a lower
    GRANTDOCS_MAX_CELL_CHARS.)"""
    if limit is not None:
        monkeypatch.setenv("GRANTDOCS_MAX_CELL_CHARS", str(limit))
    at = limit or 32_767
    rows = _with_note(sample_rows(), "n" * (at + extra))
    source = (write_csv(tmp_path / "in.csv", rows) if kind == "csv"
              else write_xlsx(tmp_path / "in.xlsx", rows))
    records = read_all(source)
    assert len(records) == CASES
    failed = [r.location.row for r in records if not r.ok]
    if refused:
        assert failed == [5]
        assert errors_of(records) == [
            f"{source}, row 5, column AH: error: column AH: {at + 1:,} characters, over the "
            f"limit of {at:,} per cell; shorten it, or raise the limit: set the environment "
            "variable GRANTDOCS_MAX_CELL_CHARS"
        ]
    else:
        assert failed == []


@pytest.mark.parametrize("extra, refused", [(0, False), (1, True)])
def test_json_string_chars(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: int,
                           refused: bool) -> None:
    """A JSON string over GRANTDOCS_MAX_CELL_CHARS fails its case alone."""
    monkeypatch.setenv("GRANTDOCS_MAX_CELL_CHARS", "300")
    cases = sample_cases()
    cases[2]["application"]["title"] = "t" * (300 + extra)
    records = read_all(write_json(tmp_path / "in.json", cases))
    assert [r.location.row for r in records if not r.ok] == ([3] if refused else [])
    if refused:
        assert errors_of(records)[0].endswith(
            "application.title: error: application.title: 301 characters, over the limit "
            "of 300 per cell; shorten it, or raise the limit: set the environment variable "
            "GRANTDOCS_MAX_CELL_CHARS")


# --- items per list ---------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "json"])
@pytest.mark.parametrize("extra, refused", [(0, False), (1, True)])
def test_list_items(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, extra: int,
                    refused: bool) -> None:
    """#13 (lists that reach rendering): GRANTDOCS_MAX_LIST_ITEMS conditions are read; one
    more fails that case alone."""
    monkeypatch.setenv("GRANTDOCS_MAX_LIST_ITEMS", "4")
    conditions = [f"Vilkår nummer {n}." for n in range(1, 5 + extra)]
    if kind == "csv":
        rows = sample_rows()
        rows[1][rows[0].index("Vilkår")] = "\n".join(conditions)
        source = write_csv(tmp_path / "in.csv", rows)
        where = "Vilkår"
    else:
        cases = sample_cases()
        cases[0]["decision"]["conditions"] = conditions
        source = write_json(tmp_path / "in.json", cases)
        where = "decision.conditions"
    records = read_all(source)
    assert len(records) == CASES
    bad = [r for r in records if not r.ok]
    if refused:
        assert [r.location.row for r in bad] == [2 if kind == "csv" else 1]
        assert [i.message for i in bad[0].errors] == [
            f"{where}: 5 items, over the limit of 4 per list; raise the limit: set the "
            "environment variable GRANTDOCS_MAX_LIST_ITEMS"]
    else:
        assert bad == []
        assert records[0].case is not None
        assert len(records[0].case.decision.conditions) == 4


# --- the settings ------------------------------------------------------------------


def test_limits_from_environment() -> None:
    limits = Limits.from_env({"GRANTDOCS_MAX_ROWS": "1_000", "GRANTDOCS_MAX_FILE_MB": "2.5"})
    assert (limits.max_rows, limits.max_file_mb) == (1000, 2.5)
    assert limits.max_cell_chars == 32_767  # the others keep their defaults
    assert dict(Limits().items())["GRANTDOCS_MAX_LIST_ITEMS"] == 200


@pytest.mark.parametrize("value", ["0", "-1", "many", "nan", "1.5"])
def test_bad_limit_setting_is_a_config_error(value: str) -> None:
    with pytest.raises(ConfigError, match="GRANTDOCS_MAX_ROWS"):
        Limits.from_env({"GRANTDOCS_MAX_ROWS": value})


def test_bad_limit_setting_exits_2(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", sample_rows())
    run = grantdocs("validate", source, env={"GRANTDOCS_MAX_CELL_CHARS": "lots"})
    assert run.returncode == 2 and "GRANTDOCS_MAX_CELL_CHARS='lots'" in run.stderr
    assert "Traceback" not in run.stderr


def test_readme_lists_every_limit() -> None:
    """Each limit is documented once, in the README's "Limits" table, with how to raise it."""
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text("utf-8")
    table = readme.split("### Limits", 1)[1].split("\n### ", 1)[0]
    for variable, _ in Limits().items():
        assert table.count(f"`{variable}`") == 1, variable
