"""Grantee links over HTTP, against the real ``grantdocs serve`` (the browser tests' server):
the API that makes, lists and revokes them, and what a link that opens nothing answers
(403 forged, 404 unknown, 410 expired or revoked), each a short page in Norwegian in the
link's written form, never a 500.

The batch is four decisions of the bundled sample: 22/00094-2 (partly granted, Bokmål),
22/00102-4 (granted, Nynorsk), 22/00115-2 (rejected) and 22/00133-5 (granted kr 250 000,
Bokmål).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from grantdocs.keys import Keyring, load_keyring
from grantdocs.service.web import links
from tests.helpers import SAMPLES
from tests.service.conftest import Server, batch_ended, local, new_token
from tests.service.test_api import problem

REFERENCES = ("22/00094-2", "22/00102-4", "22/00115-2", "22/00133-5")
GRANTED = ("22/00094-2", "22/00102-4", "22/00133-5")


def sample_csv(references: tuple[str, ...] = REFERENCES) -> bytes:
    """The sample decisions with these case numbers, as the caseworker's CSV."""
    lines = (SAMPLES / "decisions.csv").read_text("utf-8-sig").splitlines()
    chosen = [line for line in lines[1:] if line.split(";", 1)[0] in references]
    assert len(chosen) == len(references)
    return ("\n".join([lines[0], *chosen]) + "\n").encode("utf-8")


def make_batch(client: httpx.Client) -> str:
    """A batch of the four decisions, as HTML letters: a link is made from the batch's
    upload, whatever the batch renders, and HTML is the cheapest it renders (a PDF letter
    costs about 0.35 CPU-seconds of the job worker, these four together about 0.1)."""
    answer = client.post("/api/v1/batches", data={"kind": "letters", "formats": "html"},
                         files={"file": ("vedtak.csv", sample_csv(), "text/csv")})
    assert answer.status_code == 202, answer.text
    batch_id: str = answer.json()["id"]
    return batch_id


def server_keyring(server: Server) -> Keyring:
    return load_keyring(server.data / "secret.key")  # the tests set GRANTDOCS_SECRET_KEY


def html_lang(answer: httpx.Response) -> str:
    found = re.search(r'<html lang="([a-z]+)"', answer.text)
    assert found, answer.text[:300]
    return found.group(1)


def set_expiry(server: Server, link_id: str, moment: str) -> None:
    """The link's expiry moved in the server's database (UTC, as SQLAlchemy stores it)."""
    with sqlite3.connect(server.data / "grantdocs.db", timeout=30) as db:
        db.execute("UPDATE grantee_links SET expires_at = ? WHERE id = ?", (moment, link_id))


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with server.client() as http:
        yield http


@pytest.fixture(scope="module")
def batch(client: httpx.Client) -> str:
    return make_batch(client)


@pytest.fixture(scope="module")
def made(client: httpx.Client, batch: str) -> list[dict[str, Any]]:
    answer = client.post(f"/api/v1/batches/{batch}/grantee-links")
    assert answer.status_code == 200, answer.text
    made: list[dict[str, Any]] = answer.json()
    return made


def test_links_for_the_granted_and_partly_granted_cases_only(
        made: list[dict[str, Any]], server: Server) -> None:
    assert [link["reference"] for link in made] == list(GRANTED)
    ring = server_keyring(server)
    for link in made:
        token = link["url"].rsplit("/g/", 1)[1]
        assert link["url"] == f"{server.url}/g/{token}"
        assert links.token_id(ring, token) == link["id"]
        assert len(link["id"]) == 22 and not link["revoked"]
    assert {link["reference"]: link["lang"] for link in made} == {
        "22/00094-2": "nb", "22/00102-4": "nn", "22/00133-5": "nb"}
    assert {link["organisation"] for link in made} >= {"Sámi Searvi Oslo"}


def test_asking_again_gives_the_same_links(client: httpx.Client, batch: str,
                                           made: list[dict[str, Any]]) -> None:
    again = client.post(f"/api/v1/batches/{batch}/grantee-links")
    assert again.status_code == 200 and again.json() == made
    listed = client.get(f"/api/v1/batches/{batch}/grantee-links")
    assert listed.status_code == 200 and listed.json() == made


def test_a_chosen_last_day(client: httpx.Client) -> None:
    batch = make_batch(client)
    answer = client.post(f"/api/v1/batches/{batch}/grantee-links",
                         params={"expires": "2099-06-30"})
    assert answer.status_code == 200, answer.text
    assert {link["expires"] for link in answer.json()} == {"2099-06-30"}
    problem(client.post(f"/api/v1/batches/{batch}/grantee-links",
                        params={"expires": "2001-01-01"}), 422)


def test_the_batch_must_be_the_tokens(server: Server, batch: str,
                                      made: list[dict[str, Any]]) -> None:
    other = new_token(server.data, "grantee-links-other")
    with server.client(other) as client:
        problem(client.post(f"/api/v1/batches/{batch}/grantee-links"), 404)
        problem(client.get(f"/api/v1/batches/{batch}/grantee-links"), 404)
        problem(client.delete(f"/api/v1/grantee-links/{made[0]['id']}"), 404)
    with server.anonymous() as anonymous:
        problem(anonymous.post(f"/api/v1/batches/{batch}/grantee-links"), 401)
    with server.client() as client:
        problem(client.post(f"/api/v1/batches/{'f' * 32}/grantee-links"), 404)
        problem(client.delete(f"/api/v1/grantee-links/{links.new_link_id()}"), 404)


def test_the_api_is_in_openapi_with_its_models(server: Server) -> None:
    with server.anonymous() as anonymous:
        spec = anonymous.get("/openapi.json").json()
    paths = spec["paths"]
    assert {"post", "get"} <= set(paths["/api/v1/batches/{batch_id}/grantee-links"])
    assert "delete" in paths["/api/v1/grantee-links/{link_id}"]
    model = spec["components"]["schemas"]["GranteeLinkOut"]
    assert {"reference", "url", "expires"} <= set(model["required"])
    assert not any(path.startswith("/g/") for path in paths)


# --- what a link that opens nothing answers ----------------------------------------------------


def page(url: str) -> httpx.Response:
    with local(timeout=60) as client:
        return client.get(url)


def test_a_tampered_link_is_403_in_norwegian(made: list[dict[str, Any]]) -> None:
    url = made[1]["url"]  # the Nynorsk grant's: whose it is cannot be told, so Bokmål
    last = url[-1]
    tampered = page(url[:-1] + ("0" if last != "0" else "1"))
    assert tampered.status_code == 403
    assert tampered.headers["content-type"].startswith("text/html")
    assert html_lang(tampered) == "nb"
    assert "Lenken er ikke gyldig" in tampered.text
    for broken in (url.rsplit(".", 1)[0], url + "0", url.replace("/g/", "/g/x")):
        answer = page(broken)
        assert answer.status_code == 403 and html_lang(answer) == "nb", broken


def test_a_well_signed_unknown_link_is_404(server: Server) -> None:
    url = links.link_url(server.url, server_keyring(server), links.new_link_id())
    answer = page(url)
    assert answer.status_code == 404 and html_lang(answer) == "nb"
    assert "Fant ikke lenken" in answer.text


def test_an_expired_link_is_410_in_its_written_form(server: Server,
                                                   client: httpx.Client) -> None:
    batch = make_batch(client)
    made = client.post(f"/api/v1/batches/{batch}/grantee-links").json()
    nynorsk = next(link for link in made if link["lang"] == "nn")
    assert page(nynorsk["url"]).status_code == 200
    set_expiry(server, nynorsk["id"], "2023-12-31 23:00:00.000000")  # midnight in Oslo
    answer = page(nynorsk["url"])
    assert answer.status_code == 410
    assert html_lang(answer) == "nn"
    assert "Lenkja er ikkje gyldig lenger" in answer.text
    listed = {x["id"]: x for x in client.get(f"/api/v1/batches/{batch}/grantee-links").json()}
    assert listed[nynorsk["id"]]["expires"] == "2023-12-31"


def test_a_revoked_link_is_410(client: httpx.Client) -> None:
    batch = make_batch(client)
    made = client.post(f"/api/v1/batches/{batch}/grantee-links").json()
    bokmal = next(link for link in made if link["lang"] == "nb")
    assert page(bokmal["url"]).status_code == 200
    revoked = client.delete(f"/api/v1/grantee-links/{bokmal['id']}")
    assert revoked.status_code == 204 and revoked.content == b""
    assert client.delete(f"/api/v1/grantee-links/{bokmal['id']}").status_code == 204
    for suffix in ("", "/accounts.xlsx"):
        answer = page(bokmal["url"] + suffix)
        assert answer.status_code == 410 and html_lang(answer) == "nb"
        assert "Lenken er ikke gyldig lenger" in answer.text
    again = {x["id"]: x for x in client.post(f"/api/v1/batches/{batch}/grantee-links").json()}
    assert again[bokmal["id"]]["revoked"] is True


def test_a_batch_still_queued_gets_its_links_from_the_upload(client: httpx.Client) -> None:
    """Asked for at once (the job worker may not have planned the batch yet), the links
    are the same as once it is done."""
    batch = make_batch(client)
    first = client.post(f"/api/v1/batches/{batch}/grantee-links").json()
    assert batch_ended(client, f"/api/v1/batches/{batch}")["status"] == "done"
    assert client.post(f"/api/v1/batches/{batch}/grantee-links").json() == first
    assert [x["reference"] for x in first] == list(GRANTED)
