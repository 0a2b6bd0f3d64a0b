"""#15 and #18: output names never collide across document kinds, are never a name Windows
reserves, and the folder's other ``.*.part`` files are left alone; --zip is made under the
folder lock."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.hostile._out import grantdocs, manifest_json, sample_cases, write_cases

RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{d}{n}" for d in ("COM", "LPT") for n in range(10)}


def _granted(count: int) -> list[dict[str, object]]:
    return [c for c in sample_cases(24) if c["decision"]["kind"] == "granted"][:count]


def test_a_letter_and_a_report_template_never_share_a_file(tmp_path: Path) -> None:
    """#15: an organisation that sanitises to nothing, and one named "arsrapport"."""
    first, second = _granted(2)
    first["decision"]["case_number"] = "22/00500-1"
    first["organisation"]["name"] = "Українська громада"
    second["decision"]["case_number"] = "22-00500-1"
    second["organisation"]["name"] = "arsrapport"
    source = write_cases(tmp_path / "in.json", [first, second])
    out = tmp_path / "shared"
    for command in ("letters", "report-templates", "letters", "report-templates"):
        done = grantdocs(command, source, "--out", out, "--format", "docx", "-j1", "-q")
        assert done.returncode == 0, (command, done.stderr)
    rows = [r for r in manifest_json(out) if r["path"]]
    paths = [r["path"] for r in rows]
    assert len(paths) == 4 and len(set(paths)) == 4, paths
    assert {r["document"] for r in rows} == {"letters", "report-templates"}
    assert all(r["status"] == "kept" for r in rows if r["document"] == "report-templates")
    assert sorted(p.name for p in out.glob("*.docx")) == sorted(paths)


def test_no_output_is_named_as_windows_reserves(tmp_path: Path) -> None:
    """#18: a reference that sanitises to nothing and an organisation called NUL or COM1."""
    cases = _granted(3)
    for case, (reference, name) in zip(cases, (("-", "NUL"), ("..", "COM1"), ("/", "con")),
                                       strict=True):
        case["decision"]["case_number"] = reference
        case["organisation"]["name"] = name
    source = write_cases(tmp_path / "in.json", cases)
    out = tmp_path / "out"
    done = grantdocs("letters", source, "--out", out, "--format", "html", "-j1", "-q")
    assert done.returncode == 0, done.stderr
    names = [p.name for p in out.glob("*.html")]
    assert len(names) == 3
    for name in names:
        assert name.split(".")[0].upper() not in RESERVED, name


def test_part_files_grantdocs_did_not_make_are_left_alone(tmp_path: Path) -> None:
    """#18: only the temporary files of a killed grantdocs run are cleared."""
    source = write_cases(tmp_path / "in.json", _granted(1))
    out = tmp_path / "out"
    out.mkdir()
    theirs = [out / ".download.part", out / ".report.pdf.a1b2c3d4.part"]
    for file in theirs:
        file.write_bytes(b"someone else's")
    ours = out / ".22-00087-3_x.html.gd-a1b2c3d4.part"  # what atomic_open names a temp file
    ours.write_bytes(b"half a letter")
    done = grantdocs("letters", source, "--out", out, "--format", "html", "-j1", "-q")
    assert done.returncode == 0, done.stderr
    for file in theirs:
        assert file.read_bytes() == b"someone else's"
    assert not ours.exists()


def test_the_zip_is_made_under_the_folder_lock(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """#18: while --zip packs the folder, a second run into it is refused."""
    import grantdocs.bundle
    from grantdocs.cli import cli
    from grantdocs.errors import FolderBusy
    from grantdocs.files import folder_lock

    zip_outputs = grantdocs.bundle.zip_outputs
    seen: list[str] = []

    def zip_while_checking_the_lock(out_dir: Path, *args: object) -> int:
        with pytest.raises(FolderBusy), folder_lock(Path(out_dir)):
            pass
        seen.append("locked")
        return zip_outputs(out_dir, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(grantdocs.bundle, "zip_outputs", zip_while_checking_the_lock)
    source = write_cases(tmp_path / "in.json", _granted(1))
    bundle = tmp_path / "letters.zip"
    done = CliRunner().invoke(cli, ["letters", str(source), "--out", str(tmp_path / "out"),
                                    "--format", "html", "-j1", "-q", "--zip", str(bundle)])
    assert done.exit_code == 0, done.output
    assert seen == ["locked"] and bundle.is_file()
