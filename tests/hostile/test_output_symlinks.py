"""#11: grantdocs never follows a symlink it finds in --out for its own files.

The journal, the manifest and the outputs are ours: a link left under one of
their names is replaced, never written through, and never trusted as a kept
output (nor zipped).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.hostile._out import grantdocs, manifest_json, sample_cases, write_cases

JOURNAL = ".grantdocs-journal.jsonl"


def _letters(source: Path, out: Path, *extra: str | Path) -> None:
    done = grantdocs("letters", source, "--out", out, "--format", "html", "-j1", "-q", *extra)
    assert done.returncode == 0, done.stderr


def test_a_dangling_journal_link_is_not_followed(tmp_path: Path) -> None:
    """#11: the dangling link's target outside --out is never created."""
    source = write_cases(tmp_path / "in.json", sample_cases(2))
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "outside" / "victim.jsonl"
    victim.parent.mkdir()
    (out / JOURNAL).symlink_to(victim)
    _letters(source, out)
    assert not victim.exists()
    assert not (out / JOURNAL).is_symlink()
    assert len(manifest_json(out)) == 2


def test_manifest_and_journal_links_are_replaced_not_written_through(tmp_path: Path) -> None:
    """#11: links named manifest.json, manifest.csv and the journal leave their targets alone."""
    source = write_cases(tmp_path / "in.json", sample_cases(2))
    out = tmp_path / "out"
    out.mkdir()
    targets = {}
    for name in ("manifest.json", "manifest.csv", JOURNAL):
        target = tmp_path / f"victim-{name.strip('.')}"
        target.write_text("not yours\n", "utf-8")
        (out / name).symlink_to(target)
        targets[name] = target
    _letters(source, out)
    for name, target in targets.items():
        assert target.read_text("utf-8") == "not yours\n", name
        assert not (out / name).is_symlink(), name
    assert len(manifest_json(out)) == 2


def test_an_output_replaced_by_a_link_is_rendered_again_and_not_zipped(tmp_path: Path) -> None:
    """#11: a link with the very bytes the manifest records is not a kept output."""
    source = write_cases(tmp_path / "in.json", sample_cases(2))
    out = tmp_path / "out"
    _letters(source, out)
    name = manifest_json(out)[0]["path"]
    outside = tmp_path / "outside.html"
    outside.write_bytes((out / name).read_bytes())  # same size and SHA-256
    (out / name).unlink()
    (out / name).symlink_to(outside)
    bundle = tmp_path / "letters.zip"
    _letters(source, out, "--zip", bundle)
    row = next(r for r in manifest_json(out) if r["path"] == name)
    assert row["status"] == "written"
    assert not (out / name).is_symlink() and (out / name).is_file()
    with zipfile.ZipFile(bundle) as zf:
        assert name in zf.namelist()
        info = zf.getinfo(name)
        assert info.external_attr >> 28 != 0o12  # not stored as a link
    assert outside.read_bytes() == (out / name).read_bytes()  # untouched, equal by content
