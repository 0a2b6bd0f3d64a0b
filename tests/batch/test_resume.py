"""Reruns: what is unchanged is kept, one changed record is made again, an interrupted run
keeps what it did, and a template edited between runs is seen."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grantdocs import run_batch as run_letters
from grantdocs.batch import Settings, run_batch
from tests.batch.stub import assert_folder_true, reference, stub, write_cases
from tests.helpers import SAMPLES


def test_a_rerun_keeps_everything_and_one_changed_row_is_made_again(tmp_path: Path) -> None:
    source = write_cases(tmp_path / "cases.json", 10)
    out = tmp_path / "out"
    first = run_batch([source], out, ("txt",), kind=stub(), jobs=2)
    assert first.count("written") == 10
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.glob("*.txt")}
    again = run_batch([source], out, ("txt",), kind=stub(), jobs=2)
    assert (again.count("kept"), again.count("written")) == (10, 0)
    write_cases(source, 10, changed=6)
    changed = run_batch([source], out, ("txt",), kind=stub(), jobs=2)
    assert (changed.count("kept"), changed.count("written")) == (9, 1)
    assert [o.reference for o in changed.outputs if o.status == "written"] == [reference(6)]
    for p in out.glob("*.txt"):
        if reference(6).replace("/", "-") not in p.name:
            assert (p.stat().st_ino, p.stat().st_mtime_ns) == before[p.name]  # not rewritten
    assert len(assert_folder_true(out)) == 10


def test_an_interrupted_run_keeps_what_it_did_and_the_rerun_finishes(tmp_path: Path) -> None:
    source = write_cases(tmp_path / "cases.json", 12)
    out = tmp_path / "out"

    def stop(done: int, total: int | None) -> None:
        if total is not None and done >= 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch([source], out, ("txt",), kind=stub(), jobs=1, on_progress=stop)
    assert len(assert_folder_true(out)) == 5
    rerun = run_batch([source], out, ("txt",), kind=stub(), jobs=2)
    assert (rerun.count("kept"), rerun.count("written")) == (5, 7)
    assert len(assert_folder_true(out)) == 12


def test_force_interrupted_keeps_what_it_did_not_reach(tmp_path: Path) -> None:
    source = write_cases(tmp_path / "cases.json", 10)
    out = tmp_path / "out"
    assert run_batch([source], out, ("txt",), kind=stub(), jobs=1).count("written") == 10

    def stop(done: int, total: int | None) -> None:
        if total is not None and done >= 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch([source], out, ("txt",), kind=stub(), jobs=1, force=True, on_progress=stop)
    assert len(assert_folder_true(out)) == 10


def test_a_template_edited_between_runs_in_one_process_is_used(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    (theme / "nb").mkdir(parents=True)
    letter = (SAMPLES.parent / "templates" / "nb" / "_words.html").read_text("utf-8")
    target = theme / "nb" / "_words.html"
    target.write_text(letter.replace("Med vennlig hilsen", "MARKER-ONE"), "utf-8")
    settings = Settings(templates=theme)
    out = tmp_path / "out"
    # four of the sample decisions (two grants, a partial grant, a rejection): what the rerun
    # must see is the edit, not how many letters it makes
    sample = json.loads((SAMPLES / "decisions.json").read_text("utf-8"))
    decisions = tmp_path / "decisions.json"
    decisions.write_text(json.dumps({**sample, "cases": sample["cases"][:4]}), "utf-8")
    run_letters([decisions], out, ("html",), settings=settings, jobs=1)
    target.write_text(letter.replace("Med vennlig hilsen", "MARKER-TWO"), "utf-8")
    again = run_letters([decisions], out, ("html",), settings=settings, jobs=1)
    nb = [o for o in again.outputs if o.language == "nb"]
    assert nb and all(o.status == "written" for o in nb)
    for o in nb:
        text = (out / str(o.path)).read_text("utf-8")
        assert "MARKER-TWO" in text and "MARKER-ONE" not in text
