"""#17: scheme values are checked when the scheme is loaded (exit 2), not at each letter."""

from __future__ import annotations

from pathlib import Path

import pytest

from grantdocs.errors import ConfigError
from grantdocs.scheme import DEFAULT_SCHEME, load_scheme
from tests.hostile._inputs import grantdocs, sample_rows, write_csv

BAD = [
    ("year = 2022", "year = 9999", "year"),
    ('deadline_month_day = "03-01"', 'deadline_month_day = "02-30"', "deadline_month_day"),
    ('deadline_month_day = "03-01"', 'deadline_month_day = "x"', "deadline_month_day"),
    ('deadline_month_day = "03-01"', 'deadline_month_day = "02-29"', "deadline_month_day"),
    ("deadline_weeks = 3", "deadline_weeks = -3", "deadline_weeks"),
    ("deadline_weeks = 3", "deadline_weeks = 99999999999", "deadline_weeks"),
    ("measure_min = 10000", "measure_min = -1e30", "measure_min"),
    ("audit_threshold = 100000", "audit_threshold = 1e300", "audit_threshold"),
]


def scheme_with(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_SCHEME.read_text("utf-8")
    assert text.count(old) == 1, old
    file = tmp_path / "scheme.toml"
    file.write_text(text.replace(old, new), "utf-8")
    return file


@pytest.mark.parametrize("old, new, setting", BAD)
def test_bad_scheme_value_is_refused_at_load(tmp_path: Path, old: str, new: str,
                                             setting: str) -> None:
    """#17: each value the review found accepted (or failing every record later) is a
    ConfigError that names the file and the setting."""
    file = scheme_with(tmp_path, old, new)
    with pytest.raises(ConfigError) as raised:
        load_scheme(file)
    assert str(file) in str(raised.value) and setting in str(raised.value)


@pytest.mark.parametrize("old, new", [
    ('deadline_month_day = "03-01"', 'deadline_month_day = "12-31"'),
    ("deadline_weeks = 3", "deadline_weeks = 52"),
    ("year = 2022", "year = 2100"),
])
def test_edge_values_are_kept(tmp_path: Path, old: str, new: str) -> None:
    load_scheme(scheme_with(tmp_path, old, new))


@pytest.mark.parametrize("old, new", [BAD[0][:2], BAD[1][:2], BAD[4][:2]])
def test_bad_scheme_stops_the_run_with_exit_2(tmp_path: Path, old: str, new: str) -> None:
    """#17: `validate --scheme` (and every command) stops before the first record."""
    source = write_csv(tmp_path / "in.csv", sample_rows())
    run = grantdocs("validate", source, "--scheme", scheme_with(tmp_path, old, new))
    assert run.returncode == 2, run.stderr
    assert "invalid settings" in run.stderr and "Traceback" not in run.stderr
