"""#12: a template whose resource fetch is refused fails its records, in this process
(``-j1``) and in worker processes (``-j2``: the error is picklable), never the batch."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile._out import SAMPLES, csv_rows, grantdocs, sample_cases, write_cases

TEMPLATES = SAMPLES.parent / "templates"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_refused_fetch_is_a_failed_row(tmp_path: Path, jobs: str) -> None:
    """#12: ``<img src=file:///etc/passwd>`` in an included template."""
    templates = tmp_path / "templates"
    templates.mkdir()
    appeal = (TEMPLATES / "_appeal.html").read_text("utf-8")
    (templates / "_appeal.html").write_text(
        appeal + '\n<img src="file:///etc/passwd" alt="">\n', "utf-8")
    source = write_cases(tmp_path / "in.json", sample_cases(3))
    out = tmp_path / "out"
    done = grantdocs("letters", source, "--templates", templates, "--out", out,
                     "--format", "pdf", "-j", jobs, "-q")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    rows = csv_rows(out / "manifest.csv")
    assert len(rows) == 3
    for row in rows:
        assert row["status"] == "failed"
        assert "refused to read '/etc/passwd'" in row["error"], row["error"]
        assert "pickle" not in row["error"]
    assert not list(out.glob("*.pdf"))
