"""The browser tests: Debian's Chromium driven by Playwright, against a real server.

Fixtures (every helper's browser tests use these; see WEB.md "Changes"):

* ``web_server`` (session): ``grantdocs serve`` on 127.0.0.1 on a free port, with a
  temporary data folder, ``GRANTDOCS_SECRET_KEY`` set (the tests' sample key), one job
  worker (a batch made from the pages completes), and a bearer token from ``grantdocs
  token create`` (``web_server.token``; ``web_server.client()`` is an httpx client with
  it). One server for all test processes and for tests/web/ too
  (:func:`tests.web.app_support.web_server`); the link rate limit is raised so the flows
  never meet it (its own test sets its limit).
* ``browser`` (session, one per xdist process): Debian's Chromium headless shell,
  ``/usr/bin/chromium-headless-shell`` (package chromium-headless-shell: the same Blink
  and V8 as ``/usr/bin/chromium``, without the desktop browser's UI), launched through
  ``executable_path``: Playwright's own browser download is impossible here and never
  used. Playwright gives each launch a new empty profile. The full browser in its new
  headless mode ran the same 17 tests for about 16 CPU-seconds of its process tree (a
  WebUI renderer, a GPU process, twice the renderer's work a page); the shell for about 10.
* ``context`` / ``page`` (per test): the test process's one context and page, handed to
  each test as new ones are (no cookies, no permissions granted, an empty document at
  viewport 1280×900), ``nb-NO``, Europe/Oslo, reduced motion, ``base_url`` = the server,
  so ``page.goto("/app/")`` works. One of each per process, not per test: a new context
  costs Chromium a renderer process (see :func:`page`). :func:`new_context` makes one
  with other options.

Helpers: :func:`axe_violations`, :func:`tab_to`, :func:`screenshot` (new pictures for the
README with ``GRANTDOCS_SCREENSHOTS=1``).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.helpers import ROOT
from tests.service.conftest import Server
from tests.web.app_support import web_server as shared_web_server

CHROMIUM = Path("/usr/bin/chromium-headless-shell")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--font-render-hinting=none", "--hide-scrollbars"]
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 900}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with shared_web_server(tmp_path_factory) as running:
        yield running


# Node (Playwright's driver, one per test process) keeps the driver's compiled JavaScript
# (12 MB of it) here from one run to the next: about 0.15 CPU-seconds of each start.
NODE_COMPILE_CACHE = ROOT / "tests" / "browser" / "node_modules" / ".node-compile-cache"


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    os.environ.setdefault("NODE_COMPILE_CACHE", str(NODE_COMPILE_CACHE))
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    assert CHROMIUM.is_file(), f"{CHROMIUM} is missing: ./run.sh test installs it"
    launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                          args=CHROMIUM_ARGS, timeout=60_000)
    try:
        yield launched
    finally:
        launched.close()


def new_context(browser: Browser, server: Server, **options: Any) -> BrowserContext:
    """A context as the tests use them (see the module's doc); ``options`` add to it."""
    made = browser.new_context(**{
        "viewport": VIEWPORT, "locale": "nb-NO", "timezone_id": "Europe/Oslo",
        "reduced_motion": "reduce", "base_url": server.url, "accept_downloads": True,
        **options})
    made.set_default_timeout(20_000)
    return made


@pytest.fixture(scope="session")
def _process_context(browser: Browser, web_server: Server) -> Iterator[BrowserContext]:
    made = new_context(browser, web_server)
    try:
        yield made
    finally:
        made.close()


@pytest.fixture(scope="session")
def _process_page() -> list[Page]:
    return []  # the one page of this test process, made by the first test that asks


@pytest.fixture
def context(_process_context: BrowserContext) -> BrowserContext:
    """The test process's one context, as a new one is: no cookies, no permissions."""
    _process_context.clear_cookies()
    _process_context.clear_permissions()
    return _process_context


@pytest.fixture
def page(context: BrowserContext, _process_page: list[Page]) -> Page:
    """The test process's one page, on a new empty document at the standard viewport.

    A new context per test costs Chromium a new renderer process and its start-up, and a
    new page one more: about 1.1 CPU-seconds a test (17 tests: 49 CPU-seconds of the
    whole Chromium tree, 31 with one context and one page). The page's site keeps no
    storage and its pages are ``no-store``: cookies and permissions are all a test leaves,
    and :func:`context` clears them.
    """
    if not _process_page or _process_page[0].is_closed():
        _process_page[:] = [context.new_page()]
    made = _process_page[0]
    made.goto("about:blank")
    made.set_viewport_size(VIEWPORT)
    return made


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """The serious and critical WCAG 2.1 A/AA violations axe-core finds on ``page`` as it is.

    axe runs in the page itself, in its state (a page a form led to is checked as the
    user sees it). Playwright's ``evaluate`` is the browser's developer protocol, not a
    ``<script>`` of the page, so the page's CSP (no inline script) stays in force and
    nothing is bypassed: the page is checked with the headers it is served with.
    """
    assert AXE.is_file(), f"{AXE} is missing: ./run.sh test installs it (npm ci)"
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text("utf-8"))
    results = page.evaluate(
        """async (tags) => {
             const found = await window.axe.run(document, {
               runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
             return found.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.map(n => ({target: n.target, html: n.html,
                                         summary: n.failureSummary}))}));
           }""", WCAG_TAGS)
    return [v for v in results if v["impact"] in ("serious", "critical")]


def describe(violations: list[dict[str, Any]]) -> str:
    """The violations as text, for an assertion's message."""
    return json.dumps(violations, indent=1, ensure_ascii=False)


_FOCUSED_NAME = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return "";
  const byId = (ids) => ids.split(/\\s+/).map(i => document.getElementById(i))
      .filter(Boolean).map(n => n.textContent).join(" ");
  const name = e.getAttribute("aria-label")
      || (e.getAttribute("aria-labelledby") && byId(e.getAttribute("aria-labelledby")))
      || (e.labels && e.labels.length ? Array.from(e.labels).map(l => l.textContent).join(" ")
                                      : "")
      || e.innerText || e.value || e.getAttribute("title") || "";
  return name.replace(/\\s+/g, " ").trim();
}"""


def focused_name(page: Page) -> str:
    """The accessible name (near enough) of the element that has the keyboard's focus."""
    name: str = page.evaluate(_FOCUSED_NAME)
    return name


def tab_to(page: Page, name: str | re.Pattern[str], *, limit: int = 40) -> str:
    """Press Tab until the focused element's name is ``name`` (or matches the pattern),
    as a keyboard-only user would; the name found. Fails, listing what focus passed
    through, if ``limit`` presses do not reach it."""
    seen: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        found = focused_name(page)
        seen.append(found)
        if (name.search(found) if isinstance(name, re.Pattern) else found == name):
            return found
    raise AssertionError(f"Tab never reached {name!r}; focus went through: {seen}")


def screenshot(page: Page, name: str, *, take: bool = False) -> bytes | None:
    """The whole page at the fixed viewport, caret hidden and animations stopped: the PNG.

    It is written to ``docs/screenshots/<name>.png`` (what the README shows) when that
    file is not there yet, or when ``GRANTDOCS_SCREENSHOTS=1`` asks for new ones
    (``GRANTDOCS_SCREENSHOTS=1 ./run.sh test tests/browser`` after a change to the pages),
    so that an ordinary run leaves the committed pictures (with a time or a link in them
    that differs at every run) as they are. A picture that is not written is not taken
    (None), unless ``take`` asks for it: a full-page PNG costs Chromium about 0.1
    CPU-seconds, and no test reads the others.
    """
    path = SCREENSHOTS / f"{name}.png"
    write = not path.exists() or os.environ.get("GRANTDOCS_SCREENSHOTS", "") == "1"
    if not (write or take):
        return None
    picture = page.screenshot(full_page=True, animations="disabled", caret="hide",
                              scale="css")
    if write:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path.write_bytes(picture)
    return picture
