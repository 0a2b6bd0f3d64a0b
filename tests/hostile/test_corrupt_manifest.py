"""#9 and #16: a torn journal line or a corrupt manifest row is skipped with a warning, and
the manifest is rebuilt (it reads again, and the next run has nothing to warn about)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.hostile._out import grantdocs, manifest_json, sample_cases, write_cases

JOURNAL = ".grantdocs-journal.jsonl"


def _run(source: Path, out: Path) -> str:
    done = grantdocs("letters", source, "--out", out, "--format", "html", "-j1")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stderr


def _healthy(out: Path, count: int) -> None:
    rows = manifest_json(out)
    assert len(rows) == count
    for row in rows:
        assert isinstance(row["path"], str) and (out / row["path"]).is_file()


def test_a_journal_line_cut_inside_a_utf8_character_is_skipped(tmp_path: Path) -> None:
    """#9: a power cut tore the journal's last line in the middle of "á"."""
    source = write_cases(tmp_path / "in.json", sample_cases(2))
    out = tmp_path / "out"
    _run(source, out)
    rows = manifest_json(out)
    lines = [json.dumps(row, ensure_ascii=False).encode("utf-8") for row in rows]
    torn = next(line for line in lines if "á".encode() in line)
    cut = torn.index("á".encode()) + 1  # between the two bytes of "á"
    (out / JOURNAL).write_bytes(b"\n".join(lines) + b"\n" + torn[:cut])
    warned = _run(source, out)
    assert JOURNAL in warned and "skipped" in warned
    _healthy(out, 2)
    assert not (out / JOURNAL).exists()
    assert "(0 errors, 0 warnings)" in _run(source, out)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two letters written once; each test corrupts a copy of the folder."""
    base = tmp_path_factory.mktemp("written")
    source = write_cases(base / "in.json", sample_cases(2))
    _run(source, base / "out")
    return source, base / "out"


@pytest.mark.parametrize("corrupt", ["int-path", "list-path", "long-path", "deep"])
def test_a_corrupt_manifest_row_is_skipped(tmp_path: Path, written: tuple[Path, Path],
                                           corrupt: str) -> None:
    """#16: a path that is an int, a list or 5,000 characters, or rows nested 100,000 deep."""
    source, first = written
    out = tmp_path / "out"
    shutil.copytree(first, out)
    manifest = out / "manifest.json"
    data = json.loads(manifest.read_text("utf-8"))
    if corrupt == "deep":
        text = '{"outputs": ' + "[" * 100_000 + "]" * 100_000 + "}"
    else:
        data["outputs"][0]["path"] = {"int-path": 5, "list-path": ["a"],
                                      "long-path": "x" * 5000}[corrupt]
        text = json.dumps(data)
    manifest.write_text(text, "utf-8")
    warned = _run(source, out)
    assert "manifest.json" in warned and ("skipped" in warned or "cannot be read" in warned)
    _healthy(out, 2)
    assert "(0 errors, 0 warnings)" in _run(source, out)
