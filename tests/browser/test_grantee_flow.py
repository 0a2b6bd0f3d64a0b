"""A grantee's round in Debian's Chromium, keyboard only: open the link from the e-mail,
download the report template and the accounts workbook, send the workbook back filled in,
and read the unspent amount on the page; each page passes axe-core (WCAG 2.1 A/AA, no
serious or critical violation) and is kept as a screenshot for the README.

The link is made over the API for a batch of four sample decisions; the workbook is the
one the page gave, filled in as the public sample return is (kr 29 000 of the kr 250 000
grant unspent). Choosing a file is the one step a keyboard user does in the operating
system's file dialog: here the file is given to the focused field
(``set_input_files``), and the form is sent with the keyboard.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import Page
from pypdf import PdfWriter

from tests.browser.conftest import axe_violations, describe, screenshot, tab_to
from tests.service.conftest import Server
from tests.web.test_grantee_api import make_batch
from tests.web.test_grantee_pages import fill_like_the_sample

REFERENCE = "22/00133-5"
_STEADY = """([today, expires]) => {
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    node.textContent = node.textContent.split(today).join("1. desember 2026")
      .split(expires).join("31. desember 2026").replace(/kl\\. \\d\\d\\.\\d\\d/g, "kl. 12.00")
      .replace(/^[0-9a-f]{64}$/, "0".repeat(64));
  }
}"""


def steady_screenshot(page: Page, name: str, expires: str) -> None:
    """The screenshot with the day's date, the expiry, the time and the checksum written as
    one fixed example, so the picture in the README changes only when the page does."""
    from grantdocs.formatting import format_date_long

    today = format_date_long(dt.datetime.now(ZoneInfo("Europe/Oslo")).date(), "nb")
    page.evaluate(_STEADY, [today, expires])
    screenshot(page, name)


@pytest.fixture(scope="module")
def link(web_server: Server) -> dict[str, str]:
    with web_server.client() as client:
        batch = make_batch(client)
        answer = client.post(f"/api/v1/batches/{batch}/grantee-links")
    assert answer.status_code == 200, answer.text
    found: dict[str, str] = next(x for x in answer.json() if x["reference"] == REFERENCE)
    return found


@pytest.fixture(scope="module")
def link_url(link: dict[str, str]) -> str:
    return link["url"]


@pytest.fixture(scope="module")
def expires(link: dict[str, str]) -> str:
    from grantdocs.formatting import format_date_long

    return format_date_long(dt.date.fromisoformat(link["expires"]), "nb")


def download_by_keyboard(page: Page, name: str, target: Path) -> bytes:
    tab_to(page, name)
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    info.value.save_as(target)
    return target.read_bytes()


def test_a_grantee_downloads_both_files_and_sends_the_accounts_and_the_report_back(
        page: Page, link_url: str, expires: str, tmp_path: Path) -> None:
    answer = page.goto(link_url)
    assert answer is not None and answer.status == 200
    assert page.get_attribute("html", "lang") == "nb"
    assert page.locator("h1").inner_text() == "Rapportering på tilskuddet"
    assert page.locator("#reference").inner_text() == REFERENCE
    assert axe_violations(page) == [], describe(axe_violations(page))
    steady_screenshot(page, "grantee-page", expires)

    docx = download_by_keyboard(page, "Mal for årsrapporten", tmp_path / "rapport.docx")
    document = Document(io.BytesIO(docx))
    text = " ".join([p.text for p in document.paragraphs] + [
        c.text for table in document.tables for row in table.rows for c in row.cells])
    assert REFERENCE in text
    xlsx = download_by_keyboard(page, "Regnskapsskjema", tmp_path / "regnskap.xlsx")
    assert load_workbook(io.BytesIO(xlsx))["Regnskap"].max_row > 10

    filled = tmp_path / "regnskap-utfylt.xlsx"
    filled.write_bytes(fill_like_the_sample(xlsx))
    tab_to(page, "Utfylt regnskapsskjema (XLSX)")
    page.locator("#accounts-file").set_input_files(filled)
    tab_to(page, "Send regnskapet")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Regnskapet er mottatt"
    unspent = page.locator("#unspent").inner_text().replace("\u00a0", " ")
    assert unspent == "Ubrukt tilskudd: kr 29 000"
    assert page.get_by_role("heading", name="Dette må dere forklare").is_visible()
    assert axe_violations(page) == [], describe(axe_violations(page))
    steady_screenshot(page, "grantee-accounts", expires)

    tab_to(page, "Tilbake til siden om tilskuddet", limit=80)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    history = page.locator("main").inner_text().replace("\u00a0", " ")
    assert re.search(r"Ubrukt tilskudd etter det siste regnskapet: kr 29 000", history)
    assert "regnskap-utfylt.xlsx" in history
    send_the_report(page, tmp_path, expires)


def send_the_report(page: Page, tmp_path: Path, expires: str) -> None:
    """On the grantee's page: the annual report, sent with the keyboard, and its receipt."""
    report = tmp_path / "årsrapport.pdf"
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    with report.open("wb") as out:
        writer.write(out)
    tab_to(page, "Årsrapport (PDF, DOCX eller ODT)")
    page.locator("#report-file").set_input_files(report)
    tab_to(page, "Send årsrapporten")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Årsrapporten er mottatt"
    assert re.search(r"\d{1,2}\. \w+ \d{4} kl\. \d\d\.\d\d", page.locator("#receipt").inner_text())
    assert axe_violations(page) == [], describe(axe_violations(page))
    steady_screenshot(page, "grantee-receipt", expires)
