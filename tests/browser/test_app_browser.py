"""What the caseworker's flow test (test_caseworker_flow.py) does not reach, in Chromium
with the keyboard alone: the grants page once a grantee has sent the accounts and the
report (the unspent amount, the checklist link, the receipts' times), revoking a link
with its form, the dashboard listing batches, and signing out with its form. Each page
has no serious or critical WCAG 2.1 A/AA violation (axe-core).

The batch is made through the API with the same token (HTML letters: no PDF is rendered,
so it costs no waiting), and its grantee sends the sample-like return over HTTP.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page

from grantdocs.service.web.pages import fill, words
from tests.browser.conftest import axe_violations, describe, screenshot, tab_to
from tests.service.conftest import Server
from tests.web.test_grantee_api import make_batch
from tests.web.test_grantee_pages import REFERENCE, Grantee, a_pdf, fill_like_the_sample

NB: Any = words("nb")["app"]


@pytest.fixture(scope="module")
def returned(web_server: Server) -> str:
    """A batch whose grant REFERENCE has its accounts (kr 29 000 unspent) and report in."""
    with web_server.client() as client:
        batch = make_batch(client)
        made = client.post(f"/api/v1/batches/{batch}/grantee-links").json()
    grantee = Grantee(next(link["url"] for link in made if link["reference"] == REFERENCE))
    with grantee.http:
        workbook = grantee.http.get(f"{grantee.url}/accounts.xlsx")
        assert workbook.status_code == 200
        sent = grantee.send("accounts", "regnskap.xlsx", fill_like_the_sample(workbook.content))
        assert sent.status_code == 200, sent.text[:500]
        report = grantee.send("report", "arsrapport.pdf", a_pdf(), "application/pdf")
        assert report.status_code == 200, report.text[:500]
    return batch


def no_violations(page: Page) -> None:
    found = axe_violations(page)
    assert found == [], describe(found)


def press_enter_and_wait(page: Page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_grants_with_returns_revoke_and_sign_out_by_keyboard(
        page: Page, web_server: Server, returned: str) -> None:
    page.goto("/app/")
    tab_to(page, NB["token_label"])
    page.keyboard.type(web_server.token)
    tab_to(page, NB["sign_in_button"], limit=3)
    press_enter_and_wait(page)
    assert page.locator("table.app-batches tbody tr").count() >= 1  # the batch is listed
    no_violations(page)

    page.goto(f"/app/batches/{returned}/grants")
    section = page.locator("section.grant", has_text=REFERENCE)
    text = section.inner_text().replace("\u00a0", " ")
    assert fill(NB["accounts_unspent"], amount="kr 29 000") in text
    assert section.locator(f"a:has-text('{NB['checklist_link']}')").count() == 1
    assert section.locator("time").count() == 2  # when the accounts and the report came
    no_violations(page)
    screenshot(page, "app-grants-returned")
    # the e-mail to a Nynorsk grantee is in Nynorsk, and says so (WCAG 3.1.2)
    assert page.locator("textarea.email-field[lang=nn]").count() == 1

    tab_to(page, fill(NB["revoke_button"], reference=REFERENCE), limit=80)
    press_enter_and_wait(page)
    revoked = page.locator("section.grant", has_text=REFERENCE).locator("p.link-revoked")
    assert revoked.inner_text() == NB["link_revoked"]
    no_violations(page)

    tab_to(page, NB["sign_out"])
    press_enter_and_wait(page)
    assert page.locator("h1").inner_text() == NB["sign_in_title"]
    page.goto(f"/app/batches/{returned}/grants")  # signed out: the sign-in form again
    assert re.search(r"/app/", page.url)
    assert page.locator("h1").inner_text() == NB["sign_in_title"]
