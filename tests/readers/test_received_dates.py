"""The --received-list CSV: reference and date received, one return per line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from grantdocs.errors import InputError
from grantdocs.readers.received_dates import read_received_dates


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    file = tmp_path / "mottatt.csv"
    file.write_bytes(text.encode(encoding))
    return file


def test_semicolons_with_a_header_and_a_bom(tmp_path: Path) -> None:
    file = write(tmp_path, "\ufeffSaksnummer;Mottatt\n22/00133-5;20.02.2023\n\n"
                           "22/00140-2;2023-03-01\n")
    assert read_received_dates(file) == {"22/00133-5": dt.date(2023, 2, 20),
                                         "22/00140-2": dt.date(2023, 3, 1)}


def test_commas_without_a_header(tmp_path: Path) -> None:
    file = write(tmp_path, " 22/00133-5 , 20.02.2023\n")
    assert read_received_dates(str(file)) == {"22/00133-5": dt.date(2023, 2, 20)}


@pytest.mark.parametrize(("text", "expected"), [
    ("ref;dato\n22/00133-5;31.02.2023\n", "line 2: '31.02.2023'"),
    ("ref;dato\n22/00133-5\n", "line 2: give a reference and a date"),
])
def test_a_bad_line_is_named(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(InputError, match=expected) as caught:
        read_received_dates(write(tmp_path, text))
    assert "mottatt.csv" in str(caught.value)


def test_not_utf8(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not UTF-8"):
        read_received_dates(write(tmp_path, "ref;dato\n22/00133-5;20.02.2023 – å\n", "utf-16"))
