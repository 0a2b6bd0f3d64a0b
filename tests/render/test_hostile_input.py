"""Applicants' text stays inert: no markup, no template code, no formulas, no paths, no fetches."""

from __future__ import annotations

import io
import json
import socket
import urllib.request
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from grantdocs import run_batch
from grantdocs.letters import LetterRenderer
from tests.helpers import ROOT, docx_text, make_case, pdftotext

HOSTILE = "<script>alert(1)</script> {{ 7*7 }} =SUM(A1) ../../etc/passwd"
LONG_TITLE = ("Et svært langt prosjektnavn " * 200)[:4990] + " slutt"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record (and refuse) any attempt to open a URL or a socket."""
    attempts: list[str] = []

    def refuse_open(self: Any, url: Any, *args: Any, **kwargs: Any) -> Any:
        attempts.append(str(getattr(url, "full_url", url)))
        raise OSError("network disabled in tests")

    def refuse_connect(self: Any, address: Any) -> None:
        attempts.append(str(address))
        raise OSError("network disabled in tests")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse_open)
    monkeypatch.setattr(socket.socket, "connect", refuse_connect)
    return attempts


def hostile_case() -> Any:
    return make_case(
        "partial", "nb",
        organisation={"name": HOSTILE, "contact_person": "<b>Ola</b> & {% raw %}",
                      "address": "<img src='http://127.0.0.1:9/x.png'>"},
        application={"title": LONG_TITLE},
        decision={"reason_text": "<link rel=attachment href='file:///etc/passwd'> {{ config }}"},
    )


def test_hostile_text_is_literal_in_every_format(tmp_path: Path, no_network: list[str]) -> None:
    source = tmp_path / "in.json"
    source.write_text(json.dumps([json.loads(hostile_case().model_dump_json())]), "utf-8")
    out = tmp_path / "out"
    result = run_batch([source], out, ("pdf", "docx", "html"), jobs=1)
    assert result.exit_code == 0, [str(i) for i in result.errors]
    files = sorted(p for p in out.iterdir() if not p.name.startswith("manifest"))
    assert len(files) == 3
    for file in files:
        assert file.resolve().parent == out.resolve()
        assert "/" not in file.name and ".." not in file.stem
    pdf = next(f for f in files if f.suffix == ".pdf").read_bytes()
    docx = next(f for f in files if f.suffix == ".docx").read_bytes()
    html = next(f for f in files if f.suffix == ".html").read_text("utf-8")

    pdf_text = " ".join(pdftotext(pdf).split())
    word_text = docx_text(docx)
    for text in (pdf_text, word_text):
        assert HOSTILE in text
        assert "<link rel=attachment href='file:///etc/passwd'> {{ config }}" in text
        assert "slutt" in text  # the 5 000-character title is there in full
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html and "<link rel=attachment" not in html
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        names = doc.Root.get("/Names")
        assert names is None or "/EmbeddedFiles" not in names
        assert not any(str(f.BaseFont).find("Grantdocs") < 0
                       for p in doc.pages for f in p.Resources.Font.values())
    assert no_network == []


@pytest.mark.parametrize("resource", [
    '<link rel="attachment" href="file:///etc/passwd">',
    '<img src="http://127.0.0.1:9/logo.png" alt="x">',
    '<img src="file:///etc/hostname" alt="x">',
    '<link rel="stylesheet" href="https://example.invalid/x.css">',
])
def test_templates_cannot_fetch_outside_the_package(
    tmp_path: Path, resource: str, no_network: list[str]
) -> None:
    """Even a template override cannot make the renderer read files or the network."""
    theme = tmp_path / "theme"
    theme.mkdir(parents=True)
    original = (ROOT / "templates" / "_letter_layout.html").read_text()
    start = original.index("<div class=\"letterhead\">")
    (theme / "_letter_layout.html").write_text(original[:start] + resource + original[start:])
    renderer = LetterRenderer(templates=tmp_path / "theme")
    with pytest.raises(BaseException, match="refused"):
        renderer.render(make_case("granted", "nb"), "pdf")
    assert no_network == []


def test_missing_template_variable_is_an_error(tmp_path: Path) -> None:
    from grantdocs.errors import TemplateError

    theme = tmp_path / "theme" / "nb"
    theme.mkdir(parents=True)
    (theme / "letter-granted.html").write_text(
        '{% extends "_letter_layout.html" %}{% import "nb/_words.html" as words with context %}'
        '{% block title %}T{% endblock %}'
        "{% block body %}<p>{{ decision.no_such_field }}</p>{% endblock %}")
    with pytest.raises(TemplateError, match="no_such_field"):
        LetterRenderer(templates=tmp_path / "theme").render(make_case("granted", "nb"), "html")


def test_theme_override_replaces_one_file(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    theme.mkdir(parents=True)
    (theme / "_appeal.html").write_text("<h2>Klagerett</h2><p>Egen klagetekst for kommunen.</p>")
    html = LetterRenderer(templates=tmp_path / "theme").render(
        make_case("rejected", "nb"), "html").decode()
    assert "Egen klagetekst for kommunen." in html
    assert "Begrunnelse" in html  # the other templates still come from the package
