"""What the web pages' tests share: the one real server of the web and browser tests, a
signed-in client of it, the form token of a page, the cells of an HTML table, and waiting
for a batch."""

from __future__ import annotations

import contextlib
import dataclasses
import html
import itertools
import os
import re
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest

from grantdocs.service.web.pages import words
from tests.service.conftest import Server, main_server, new_token

NB: Any = words("nb")["app"]
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
_TOKENS = itertools.count(1)


@contextlib.contextmanager
def web_server(factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``grantdocs serve`` for every test of tests/web/ and tests/browser/: the API tests'
    server (:func:`tests.service.conftest.main_server`: one job worker, and a link rate limit
    no test meets), started once for every test process. Its ``token`` is one of the web
    tests' own, so the batches a caseworker's dashboard lists are the web tests' alone."""
    with main_server(factory) as running:
        name = f"web-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{next(_TOKENS)}"
        yield dataclasses.replace(running, token=new_token(running.data, name))


def csrf_of(page: httpx.Response) -> str:
    found = _CSRF.search(page.text)
    assert found, f"no csrf field on {page.url}"
    return html.unescape(found.group(1))


def browser(server: Server) -> httpx.Client:
    """A client with no bearer token: what a browser sends is cookies and forms."""
    return server.anonymous(timeout=120, follow_redirects=False)


@contextlib.contextmanager
def sign_in(server: Server, token: str | None = None) -> Iterator[httpx.Client]:
    """A client signed in through the form, as a caseworker signs in."""
    with browser(server) as client:
        form = client.get("/app/")
        answer = client.post("/app/sign-in", data={"token": token or server.token,
                                                   "csrf": csrf_of(form)})
        assert answer.status_code == 303, answer.text
        yield client


class _Cells(HTMLParser):
    """The text of each cell (th or td) of each row of a table's body."""

    def __init__(self, table_class: str) -> None:
        super().__init__()
        self.table_class = table_class
        self.inside = self.body = False
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "table" and self.table_class in classes:
            self.inside = True
        elif self.inside and tag == "tbody":
            self.body = True
        elif self.body and tag == "tr":
            self.rows.append([])
        elif self.body and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tbody":
            self.body = False
        elif tag == "table":
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def table_rows(page: str, table_class: str) -> list[list[str]]:
    parser = _Cells(table_class)
    parser.feed(page)
    return parser.rows


def wait_done(client: httpx.Client, batch_id: str, seconds: float = 240) -> dict[str, Any]:
    """Poll progress.json as progress.js does until the batch has ended."""
    deadline = time.monotonic() + seconds
    seen: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        answer = client.get(f"/app/batches/{batch_id}/progress.json")
        assert answer.status_code == 200, answer.text
        seen.append(answer.json())
        if seen[-1]["ended"]:
            return seen[-1]
        time.sleep(0.3)
    raise AssertionError(f"batch {batch_id} did not end in {seconds} s: {seen[-3:]}")
