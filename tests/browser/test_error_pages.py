"""The error pages in a real browser: no serious or critical WCAG 2.1 A/AA violation
(axe-core), reachable and usable with the keyboard alone, and their screenshot."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from grantdocs.service.web.pages import render_text
from tests.browser.conftest import axe_violations, describe, screenshot, tab_to


def test_axe_finds_what_it_should(page: Page) -> None:
    """The check is not vacuous: a page with an unlabelled field and a low-contrast text
    has violations axe reports as serious or critical. (The grey is set through the
    CSSOM: a style attribute is refused by the page's CSP.)"""
    page.goto("/app/no-such-page")
    page.evaluate("""() => {
        document.querySelector('main').insertAdjacentHTML('beforeend',
          '<input type="text"><p id="faint">faint</p>');
        document.getElementById('faint').style.color = '#bbb';
    }""")
    found = {v["id"] for v in axe_violations(page)}
    assert {"label", "color-contrast"} <= found


@pytest.mark.parametrize(("path", "status", "title"), [
    ("/g/not-a-link", 403, "Lenken er ikke gyldig"),  # not a signed link (grantee.py)
    ("/app/no-such-page", 404, "Fant ikke siden"),
])
def test_error_pages_pass_axe_and_work_with_the_keyboard(page: Page, path: str, status: int,
                                                         title: str) -> None:
    answer = page.goto(path)
    assert answer is not None and answer.status == status
    assert page.title().startswith(title)
    assert page.get_attribute("html", "lang") == "nb"
    assert axe_violations(page) == [], describe(axe_violations(page))
    # the first Tab reaches the skip link, and Enter on it moves to the main content
    tab_to(page, "Gå til hovedinnholdet", limit=1)
    assert page.locator(".skip-link").bounding_box() is not None  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    if path.startswith("/app/"):
        tab_to(page, "Gå til forsiden", limit=3)
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/app/$"))


@pytest.mark.parametrize(("lang", "code", "kind", "title"), [
    ("nn", 403, "csrf", "Skjemaet kunne ikkje sendast"),
    ("nb", 429, "429", "For mange forespørsler"),
    ("nb", 500, "500", "Det har skjedd en feil"),
])
def test_every_kind_of_error_page_passes_axe(page: Page, lang: str, code: int, kind: str,
                                             title: str) -> None:
    """The error pages no route of the server can be made to answer at will, as
    error_page renders them, put into a page of the server (so its stylesheet and CSP
    apply); the answers themselves are tested over HTTP in tests/web/. The link pages
    (403, 404, 410) are the server's own in test_grantee_browser.py."""
    page.goto("/g/not-a-link")
    page.set_content(render_text("error.html", lang, code=code, kind=kind, retry_after="30",
                                 request_id="4f1c2a", home=""))
    assert page.get_attribute("html", "lang") == lang
    assert page.locator("h1").inner_text() == title
    assert page.evaluate("() => getComputedStyle(document.body).fontFamily").startswith(
        '"Grantdocs Sans"')  # the stylesheet applies
    assert axe_violations(page) == [], describe(axe_violations(page))


def test_the_error_page_is_usable_at_320_px(page: Page) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/g/not-a-link")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320  # no horizontal scrolling (WCAG 1.4.10)


def test_screenshot_of_an_error_page(page: Page) -> None:
    page.goto("/app/no-such-page")
    picture = screenshot(page, "error-404-app", take=True)
    assert picture is not None
    assert picture[:8] == b"\x89PNG\r\n\x1a\n" and len(picture) > 5_000


def test_what_is_hidden_stays_hidden(page: Page) -> None:
    """A button the page hides until its script runs (the copy buttons) is not shown by
    the stylesheet's own rules for buttons when JavaScript is off."""
    page.goto("/app/no-such-page")
    display = page.evaluate("""() => {
        document.querySelector('main').insertAdjacentHTML('beforeend',
          '<button type="button" class="secondary" hidden id="later">x</button>');
        return getComputedStyle(document.getElementById('later')).display;
    }""")
    assert display == "none"
