"""What the grantee's round (test_grantee_flow.py) does not reach, in Chromium: the
Nynorsk page, and the pages of a tampered, an unknown and a revoked link, have no serious
or critical WCAG 2.1 A/AA violation (axe-core) and are photographed; the page reflows at
320 px."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page

from grantdocs.service.web import links
from grantdocs.service.web.pages import words
from tests.browser.conftest import axe_violations, describe, screenshot, tab_to
from tests.service.conftest import Server
from tests.web.test_grantee_api import make_batch, server_keyring
from tests.web.test_grantee_pages import REFERENCE

NN: Any = words("nn")["grantee"]


@pytest.fixture(scope="module")
def made(web_server: Server) -> dict[str, dict[str, Any]]:
    with web_server.client() as client:
        batch = make_batch(client)
        answer = client.post(f"/api/v1/batches/{batch}/grantee-links")
    assert answer.status_code == 200, answer.text
    return {link["reference"]: link for link in answer.json()}


def no_violations(page: Page) -> None:
    found = axe_violations(page)
    assert found == [], describe(found)


def test_the_nynorsk_page_passes_axe(page: Page, made: dict[str, dict[str, Any]]) -> None:
    nynorsk = next(link for link in made.values() if link["lang"] == "nn")
    page.goto(nynorsk["url"])
    assert page.get_attribute("html", "lang") == "nn"
    assert page.locator("h1").inner_text() == NN["title"]
    no_violations(page)
    screenshot(page, "grantee-page-nn")


@pytest.fixture(scope="module")
def refused_links(web_server: Server) -> Iterator[dict[str, str]]:
    """A tampered link (403), a well-signed unknown one (404), a revoked one (410, nn)."""
    with web_server.client() as client:
        batch = make_batch(client)
        fresh = client.post(f"/api/v1/batches/{batch}/grantee-links").json()
        revoked = next(link for link in fresh if link["lang"] == "nn")
        assert client.delete(f"/api/v1/grantee-links/{revoked['id']}").status_code == 204
    tampered = fresh[0]["url"][:-1] + ("0" if fresh[0]["url"][-1] != "0" else "1")
    unknown = links.link_url(web_server.url, server_keyring(web_server), links.new_link_id())
    yield {"403": tampered, "404": unknown, "410": revoked["url"]}


@pytest.mark.parametrize(("status", "lang", "kind"), [
    ("403", "nb", "link_invalid"), ("404", "nb", "link_unknown"), ("410", "nn", "link_gone")])
def test_a_link_that_opens_nothing_gets_an_accessible_page(
        page: Page, refused_links: dict[str, str], status: str, lang: str, kind: str) -> None:
    answer = page.goto(refused_links[status])
    assert answer is not None and answer.status == int(status)
    assert page.get_attribute("html", "lang") == lang
    assert page.locator("h1").inner_text() == words(lang)["errors"][kind]["title"]
    no_violations(page)
    tab_to(page, words(lang)["common"]["skip_link"], limit=1)
    screenshot(page, f"error-{status}-link")


def test_the_grantee_page_reflows_at_320_px(page: Page, made: dict[str, dict[str, Any]]) -> None:
    """At 320 CSS px wide (a phone, or 1280 px at 400 % zoom) nothing needs scrolling
    sideways (WCAG 1.4.10) and every control is still on the screen."""
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(made[REFERENCE]["url"])
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    controls = [c for c in page.locator("main a, main input, main button").all()
                if c.is_visible()]
    assert len(controls) >= 6
    for control in controls:
        box = control.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320
