"""The grantee's flow in Chromium, with the keyboard alone: open one's own link, download
both files, send back the filled-in accounts workbook and read the unspent amount, send
the annual report and get the receipt. Every page on the way (and the Nynorsk page, and
the pages of a tampered, unknown and revoked link) has no serious or critical WCAG 2.1
A/AA violation (axe-core), and each is photographed for the README.

The workbook sent back is the page's own, filled in as the public sample return is
(:func:`tests.web.test_grantee_pages.fill_like_the_sample`): kr 29 000 of the kr 250 000
grant unspent.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import Page

from grantdocs.service.web import links
from grantdocs.service.web.pages import words
from tests.browser.conftest import axe_violations, describe, screenshot, tab_to
from tests.service.conftest import Server
from tests.web.test_grantee_api import make_batch, server_keyring
from tests.web.test_grantee_pages import REFERENCE, a_pdf, fill_like_the_sample

NB: Any = words("nb")["grantee"]
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


def choose_file_by_keyboard(page: Page, label: str, path: Path) -> None:
    """Tab to the file field, open its file chooser with the space bar, pick ``path``."""
    tab_to(page, label)
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(path)


def download_by_keyboard(page: Page, name: str) -> bytes:
    tab_to(page, name)
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    saved = download.value.path()
    assert saved is not None
    return Path(saved).read_bytes()


def test_a_grantee_downloads_returns_and_reads_the_unspent_amount_by_keyboard(
        page: Page, made: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    url = made[REFERENCE]["url"]
    answer = page.goto(url)
    assert answer is not None and answer.status == 200
    assert page.get_attribute("html", "lang") == "nb"
    assert page.locator("h1").inner_text() == NB["title"]
    no_violations(page)
    screenshot(page, "grantee-page")

    report = download_by_keyboard(page, NB["download_report"])
    assert "22/00133-5" in "\n".join(p.text for p in Document(io.BytesIO(report)).paragraphs
                                     ) + "".join(c.text for t in Document(io.BytesIO(report))
                                                 .tables for r in t.rows for c in r.cells)
    workbook = download_by_keyboard(page, NB["download_accounts"])
    assert load_workbook(io.BytesIO(workbook))["Regnskap"] is not None

    filled = tmp_path / "regnskap.xlsx"
    filled.write_bytes(fill_like_the_sample(workbook))
    choose_file_by_keyboard(page, NB["accounts_label"], filled)
    tab_to(page, NB["accounts_submit"], limit=3)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == NB["result_title"]
    unspent = page.locator("#unspent").inner_text().replace("\u00a0", " ")
    assert unspent == f"{NB['unspent_label']}: kr 29 000"
    no_violations(page)
    screenshot(page, "grantee-result")

    tab_to(page, NB["back"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    report_file = tmp_path / "arsrapport.pdf"
    report_file.write_bytes(a_pdf())
    choose_file_by_keyboard(page, NB["report_label"], report_file)
    tab_to(page, NB["report_submit"], limit=3)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"\d{1,2}\. \w+ 20\d\d", page.locator("main").inner_text())  # the date
    assert re.search(r"\b\d{2}[:.]\d{2}\b", page.locator("main").inner_text())  # and time
    no_violations(page)
    screenshot(page, "grantee-receipt")

    page.goto(url)  # the page with both returns in its history
    no_violations(page)


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
