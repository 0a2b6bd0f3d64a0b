"""An HTML letter is a file of its own: the issuer's logo is inside it, not a path on the server.

The letter is made as ``grantdocs letters --format html`` makes it (the batch engine the
service's workers run too, and the renderer of ``POST /api/v1/letters?format=html``), with
an issuer profile that has a logo, and read back with the standard library's HTML parser.
"""

from __future__ import annotations

import base64
import json
from html.parser import HTMLParser
from pathlib import Path

from tests.helpers import cli, make_case
from tests.issuer.test_new_issuer import LOGO_SIZE, fill_in, png


class References(HTMLParser):
    """Every ``<img>`` (its attributes) and every URL-bearing attribute of a document."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str | None]] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images.append(dict(attrs))
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]


def test_the_html_letter_carries_its_logo_as_a_data_uri(tmp_path: Path) -> None:
    profile = tmp_path / "sandnes.toml"
    assert cli("issuer", "init", profile).exit_code == 0
    profile.write_text(fill_in(profile.read_text("utf-8")), "utf-8")
    logo = png(*LOGO_SIZE)
    (tmp_path / "logo.png").write_bytes(logo)
    cases = [make_case("granted", "nb").model_dump(mode="json")]
    (tmp_path / "vedtak.json").write_text(json.dumps({"cases": cases}, ensure_ascii=False),
                                          "utf-8")
    run = cli("letters", tmp_path / "vedtak.json", "--out", tmp_path / "brev", "--format",
              "html", "--issuer", profile, "--jobs", "1")
    assert run.exit_code == 0, run.output
    [letter] = (tmp_path / "brev").glob("*.html")
    html = letter.read_text("utf-8")

    found = References()
    found.feed(html)
    [image] = [i for i in found.images if "logo" in (i.get("class") or "").split()]
    src = image["src"] or ""
    assert src.startswith("data:image/png;base64,"), src[:80]
    assert base64.b64decode(src.split(",", 1)[1]) == logo
    assert image["alt"] == "Sandnes kommune"
    assert "file:" not in html and str(tmp_path) not in html  # nothing points at this machine
    assert all(url.startswith(("data:", "#", "https:", "mailto:")) for url in found.urls), \
        found.urls
