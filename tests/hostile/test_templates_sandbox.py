"""#14: templates run sandboxed, read only their own folder's files; the issuer's logo is an
image file inside the profile's folder, the one file the PDF fetcher may add."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from grantdocs.errors import ConfigError
from grantdocs.scheme import DEFAULT_ISSUER, load_issuer
from tests.hostile._inputs import grantdocs, sample_cases

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7"
       b"\x9a\xa0\xa0\x00\x00\x00\x00IEND\xaeB`\x82")


def one_granted(tmp_path: Path) -> Path:
    case = sample_cases()[0]
    assert case["decision"]["kind"] == "granted"
    source = tmp_path / "one.json"
    source.write_text(json.dumps({"schema_version": "1", "cases": [case]}), "utf-8")
    return source


def letters(tmp_path: Path, *args: str | Path) -> tuple[int, str, str]:
    out = tmp_path / "out"
    run = grantdocs("letters", one_granted(tmp_path), "--out", out, "--format", "html",
                    "-j", "1", "-q", *args)
    html = "".join(p.read_text("utf-8") for p in out.glob("*.html")) if out.exists() else ""
    return run.returncode, run.stderr, html


def test_template_cannot_reach_python_internals(tmp_path: Path) -> None:
    """#14: `{{ ''.__class__.__mro__ }}` and `lipsum.__globals__` in a --templates file fail
    the record (SandboxedEnvironment) instead of printing Python's internals."""
    folder = tmp_path / "t3"
    (folder / "nb").mkdir(parents=True)
    (folder / "nb" / "letter-granted.html").write_text(
        "<p>{{ ''.__class__.__mro__ }} {{ lipsum.__globals__['os'].getcwd() }}</p>", "utf-8")
    code, stderr, html = letters(tmp_path, "--templates", folder)
    assert code == 1, stderr
    assert "unsafe" in stderr and "__class__" in stderr
    assert "<class" not in html and html == ""


def test_template_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    """#14: `nb/letter-granted.html -> a file outside` stops the run (exit 2) and the outside
    file's text is in no letter."""
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0 SECRET-LINE", "utf-8")
    folder = tmp_path / "t1"
    (folder / "nb").mkdir(parents=True)
    (folder / "nb" / "letter-granted.html").symlink_to(secret)
    code, stderr, html = letters(tmp_path, "--templates", folder)
    assert code == 2, stderr
    assert "leads out of the templates folder" in stderr and "Traceback" not in stderr
    assert "SECRET-LINE" not in html + stderr


def test_template_folder_with_a_pipe_is_refused(tmp_path: Path) -> None:
    """#14/#18: a FIFO in --templates is refused at once (exit 2), never opened."""
    folder = tmp_path / "t7"
    (folder / "nb").mkdir(parents=True)
    os.mkfifo(folder / "nb" / "letter-granted.html")
    code, stderr, _ = letters(tmp_path, "--templates", folder)
    assert code == 2 and "not a regular file" in stderr, stderr


def test_link_inside_the_folder_is_kept(tmp_path: Path) -> None:
    """A link to another file of the same folder is still a template of that folder."""
    folder = tmp_path / "t8"
    (folder / "nb").mkdir(parents=True)
    (folder / "nb" / "mine.html").write_text("<p>MY LETTER {{ lang }}</p>", "utf-8")
    (folder / "nb" / "letter-granted.html").symlink_to(folder / "nb" / "mine.html")
    code, stderr, html = letters(tmp_path, "--templates", folder)
    assert code == 0, stderr
    assert "MY LETTER" in html


def issuer_with(tmp_path: Path, logo: str) -> Path:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    file = profile / "issuer.toml"
    file.write_text(DEFAULT_ISSUER.read_text("utf-8").replace(
        'default_language = "nb"', f'default_language = "nb"\nlogo = {json.dumps(logo)}'),
        "utf-8")
    return file


def test_logo_root_is_refused_on_the_command_line(tmp_path: Path) -> None:
    """#14: `logo = "/"` stopped nothing and let the fetcher read the whole disk; now the
    profile is refused at load (exit 2)."""
    code, stderr, html = letters(tmp_path, "--issuer", issuer_with(tmp_path, "/"))
    assert code == 2, stderr
    assert "logo" in stderr and "inside the profile's folder" in stderr and html == ""


@pytest.mark.parametrize("logo, message", [
    ("/", "inside the profile's folder"),
    ("../outside.png", "inside the profile's folder"),
    (".", "inside the profile's folder"),
    ("link.png", "inside the profile's folder"),  # a link to a PNG outside
    ("notes.txt", "must be a PNG or JPEG file"),
    ("fake.png", "not a PNG or JPEG image"),
    ("missing.png", "no such file"),
])
def test_logo_must_be_an_image_inside_the_profile(tmp_path: Path, logo: str,
                                                   message: str) -> None:
    """#14: every logo that is not an image file of the profile's own folder is a
    ConfigError naming the file and the setting."""
    (tmp_path / "outside.png").write_bytes(PNG)
    file = issuer_with(tmp_path, logo)
    (file.parent / "link.png").symlink_to(tmp_path / "outside.png")
    (file.parent / "notes.txt").write_text("x", "utf-8")
    (file.parent / "fake.png").write_text("root:x:0:0", "utf-8")
    with pytest.raises(ConfigError, match=message) as raised:
        load_issuer(file)
    assert str(file) in str(raised.value) and "logo" in str(raised.value)


def test_logo_image_is_the_only_file_allowed(tmp_path: Path) -> None:
    """#14: an image inside the profile's folder is the logo, and the fetcher's allow-list
    gets that file, not its folder."""
    file = issuer_with(tmp_path, "img/logo.png")
    (file.parent / "img").mkdir()
    (file.parent / "img" / "logo.png").write_bytes(PNG)
    issuer = load_issuer(file)
    assert issuer.logo_path() == (file.parent / "img" / "logo.png").resolve()
    assert issuer.logo_path() is not None and issuer.logo_path().is_file()  # type: ignore[union-attr]
