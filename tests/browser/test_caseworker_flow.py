"""The caseworker's flow in Debian's Chromium, with the keyboard alone: sign in with a
token, upload a sheet with errors, read each error with its row and column, generate,
follow the progress to the end, and download the zip with the good letters; every page
on the way passes axe-core's WCAG 2.1 A/AA rules, and each is photographed for the README."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page

from grantdocs.i18n import issue_dict
from grantdocs.validate import check_inputs
from tests.browser.conftest import axe_violations, describe, screenshot, tab_to
from tests.helpers import SAMPLES, flat, pdftotext
from tests.service.conftest import Server
from tests.web.app_support import NB

WITH_ERRORS = SAMPLES / "decisions-with-errors.csv"


@pytest.fixture(scope="module")
def sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Rows 2, 3, 10 and 13 of the sample with errors: two good decisions and two errors
    (an organisation number that fails its check digit, more granted than requested)."""
    lines = WITH_ERRORS.read_text("utf-8-sig").splitlines(keepends=True)
    path = tmp_path_factory.mktemp("browser-sheet") / "vedtak-med-feil.csv"
    path.write_text("".join([lines[0], lines[1], lines[2], lines[9], lines[12]]), "utf-8")
    return path


# What differs from run to run (the time a batch started, a link's random id) is drawn as
# one fixed example in the screenshots, so a run leaves docs/screenshots as they were.
_STEADY = r"""([url]) => {
  const date = new RegExp(String.raw`\d{1,2}\. (januar|februar|mars|april|mai|juni|juli|` +
                          String.raw`august|september|oktober|november|desember) \d{4}`, "g");
  const walk = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    n.nodeValue = n.nodeValue.replace(date, "1. desember 2026")
                             .replace(/\b\d{2}\.\d{2}\b/g, "09.00");
  }
  document.querySelectorAll("input.link-field").forEach(f => {
    const old = f.value;
    f.value = url;
    document.querySelectorAll("textarea.email-field").forEach(e => {
      e.value = e.value.replace(old, url).replace(date, "1. desember 2026"); });
  });
}"""
EXAMPLE_URL = "http://127.0.0.1:8000/g/Xr3example0link0id0Aa." + "0123456789abcdef" * 4


def _accessible(page: Page, name: str) -> None:
    assert axe_violations(page) == [], f"{name}: {describe(axe_violations(page))}"
    page.evaluate(_STEADY, [EXAMPLE_URL])
    screenshot(page, name)


def _cells(page: Page) -> list[list[str]]:
    rows = page.locator("table.app-issues tbody tr")
    return [[" ".join(cell.split()) for cell in rows.nth(n).locator("th, td").all_inner_texts()]
            for n in range(rows.count())]


def test_a_caseworker_signs_in_checks_a_sheet_and_downloads_the_good_letters(
        page: Page, web_server: Server, sheet: Path, tmp_path: Path) -> None:
    page.goto("/app/")
    assert page.get_attribute("html", "lang") == "nb"
    _accessible(page, "app-sign-in")
    tab_to(page, NB["token_label"])
    page.keyboard.type("gd_not-the-token")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#token-error").inner_text().endswith(NB["sign_in_wrong"])
    _accessible(page, "app-sign-in-error")
    tab_to(page, NB["token_label"])
    page.keyboard.type(web_server.token)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == NB["dashboard_title"]
    _accessible(page, "app-dashboard")

    tab_to(page, NB["upload_label"])
    # The file field has the keyboard's focus; the file is chosen in the system's dialog,
    # which is no part of the page (and which headless Chromium opens from a key press
    # only now and then), so the test gives the focused field its file directly.
    focused = page.locator(":focus")
    assert focused.get_attribute("type") == "file"
    focused.set_input_files(str(sheet))
    tab_to(page, NB["upload_button"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expected = [(i.location.row, i.location.field, " ".join(str(
        issue_dict(i, "nb")["message"]).split())) for c in check_inputs([sheet])
        for i in c.issues if i.is_error]
    assert len(expected) == 2
    shown = _cells(page)
    for row, column, message in expected:
        assert any(r[0] == str(row) and r[1] == column and r[2].endswith(NB["severity_error"])
                   and message in r[3] for r in shown), (row, column, message, shown)
    _accessible(page, "app-check")

    tab_to(page, NB["generate_button"].replace("{count}", "2"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"/app/batches/[0-9a-f]{32}$", page.url)
    assert page.locator("progress").count() == 1
    page.wait_for_selector("a[href$='/files.zip']", timeout=240_000)  # progress.js reloads
    assert page.get_attribute("progress", "value") == "4"
    _accessible(page, "app-batch-done")

    tab_to(page, NB["download_zip"])
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    target = tmp_path / "files.zip"
    download.value.save_as(target)
    good = [c.case for c in check_inputs([sheet]) if c.case is not None]
    with zipfile.ZipFile(io.BytesIO(target.read_bytes())) as archive:
        letters = sorted(n for n in archive.namelist() if n.endswith(".pdf"))
        assert len(letters) == len(good) == 2
        texts = [flat(pdftotext(archive.read(n))) for n in letters]
    for case in good:
        assert sum(case.reference in t and case.organisation.name in t for t in texts) == 1
    assert "972056333" not in " ".join(texts)

    tab_to(page, NB["grants_link"])  # on to the grants, their links: made, then copied
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, NB["make_links"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    urls = [page.locator("input.link-field").nth(n).input_value() for n in range(2)]
    assert all(re.search(r"/g/[\w-]{22}\.[0-9a-f]{64}$", u) for u in urls), urls
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    tab_to(page, NB["copy_link"])
    page.keyboard.press("Enter")
    status = page.locator(".copy-status").first
    status.wait_for(state="visible")
    assert status.inner_text() == NB["copied"]
    assert page.evaluate("() => navigator.clipboard.readText()") == urls[0]
    _accessible(page, "app-grants")
