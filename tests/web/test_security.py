"""The pages' security: headers and CSP, CSRF, cookie flags, the rate limit, and that
/api/ keeps its problem documents. HTTP-level, on the light app of conftest.py."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from grantdocs.service.web.security import CSP, CSRF_COOKIE, CSRF_FIELD
from tests.web.conftest import Clock, light_app


def _page_headers(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    assert headers["content-security-policy"] == CSP
    assert "'unsafe-inline'" not in CSP and "script-src 'self'" in CSP
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"


def test_pages_and_static_files_carry_the_security_headers(client: TestClient) -> None:
    page = client.get("/g/no-such-link")  # not a signed link: 403 (grantee.py)
    assert page.status_code == 403 and page.headers["content-type"].startswith("text/html")
    _page_headers(page)
    assert page.headers["cache-control"] == "no-store"
    css = client.get("/static/site.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert ":focus-visible" in css.text
    _page_headers(css)
    assert css.headers["cache-control"] != "no-store"
    font = client.get("/static/fonts/NotoSans-Regular.ttf")  # the letters' font, served here
    assert font.status_code == 200 and font.content[:4] == b"\x00\x01\x00\x00"
    _page_headers(font)


def test_api_errors_stay_problem_documents(client: TestClient) -> None:
    missing = client.get("/api/v1/no-such-thing")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["status"] == 404
    assert "content-security-policy" not in missing.headers
    failed = client.get("/api/test/boom")
    assert failed.status_code == 500 and failed.json()["type"] == "/problems/internal"


def _form(client: TestClient) -> str:
    got = client.get("/app/test/form")
    assert got.status_code == 200 and client.cookies.get(CSRF_COOKIE)
    return got.text


def test_a_form_with_its_token_passes(client: TestClient) -> None:
    token = _form(client)
    posted = client.post("/app/test/form", data={CSRF_FIELD: token})
    assert (posted.status_code, posted.text) == (200, "accepted")
    again = client.get("/app/test/form")  # the cookie is kept, and so is the token
    assert again.text == token and "set-cookie" not in again.headers
    for headers in ({"Origin": "http://testserver"}, {"Sec-Fetch-Site": "same-origin"},
                    # what Chromium sends for a form of a page under Referrer-Policy: no-referrer
                    {"Origin": "null", "Sec-Fetch-Site": "same-origin"}, {"Origin": "null"}):
        same_site = client.post("/app/test/form", data={CSRF_FIELD: token}, headers=headers)
        assert same_site.status_code == 200, headers


@pytest.mark.parametrize("case", ["no field", "wrong field", "no cookie", "other cookie",
                                  "other origin", "other site"])
def test_a_form_without_its_token_gets_the_403_page(client: TestClient, case: str) -> None:
    token = _form(client)
    data = {CSRF_FIELD: token}
    headers: dict[str, str] = {}
    if case == "no field":
        data = {}
    elif case == "wrong field":
        data = {CSRF_FIELD: token[:-1] + ("0" if token[-1] != "0" else "1")}
    elif case == "no cookie":
        client.cookies.clear()
    elif case == "other cookie":
        client.cookies.set(CSRF_COOKIE, "x" * 43)
    elif case == "other origin":
        headers = {"Origin": "https://attacker.example"}
    else:
        headers = {"Origin": "null", "Sec-Fetch-Site": "cross-site"}
    refused = client.post("/app/test/form", data=data, headers=headers)
    assert refused.status_code == 403
    assert '<html lang="nb">' in refused.text
    assert "Skjemaet kunne ikke sendes" in refused.text
    _page_headers(refused)


def _set_cookie(response: object) -> str:
    found = [v for k, v in response.headers.multi_items()  # type: ignore[attr-defined]
             if k == "set-cookie" and v.startswith(CSRF_COOKIE + "=")]
    assert len(found) == 1
    return str(found[0])


def test_cookies_are_httponly_strict_and_secure_only_over_https(
        monkeypatch: pytest.MonkeyPatch) -> None:
    app = light_app()
    plain = _set_cookie(TestClient(app).get("/app/test/form"))
    flags = {f.strip().lower() for f in plain.split(";")[1:]}
    assert {"httponly", "samesite=strict", "path=/"} <= flags
    assert "secure" not in flags
    secure = _set_cookie(TestClient(app, base_url="https://testserver").get("/app/test/form"))
    assert "secure" in {f.strip().lower() for f in secure.split(";")}
    proxied = TestClient(app).get("/app/test/form", headers={"X-Forwarded-Proto": "https"})
    assert "secure" not in _set_cookie(proxied).lower()  # a header nobody vouches for
    monkeypatch.setenv("GRANTDOCS_TRUST_PROXY", "1")
    trusted = TestClient(app).get("/app/test/form", headers={"X-Forwarded-Proto": "https"})
    assert "secure" in _set_cookie(trusted).lower()


def test_the_rate_limit_answers_429_with_retry_after(client: TestClient, clock: Clock) -> None:
    assert [client.get("/g/test/limited").status_code for _ in range(3)] == [200] * 3
    clock.now += 20
    over = client.get("/g/test/limited")
    assert over.status_code == 429
    assert over.headers["retry-after"] == "40"  # when the first of the three leaves the window
    assert "For mange forespørsler" in over.text and "Vent 40 sekunder" in over.text
    _page_headers(over)
    api = client.get("/api/test/limited")  # the same limit: one address, one window
    assert api.status_code == 429 and api.headers["content-type"] == "application/problem+json"
    assert api.headers["retry-after"] == "40"
    clock.now += 40.5  # the first three have left the window; the refused ones never counted
    assert client.get("/g/test/limited").status_code == 200


def test_the_link_limit_reads_grantdocs_link_rate(monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi import Depends, FastAPI
    from fastapi.responses import PlainTextResponse

    from grantdocs.service.web import install_web
    from grantdocs.service.web.ratelimit import link_limit

    monkeypatch.setenv("GRANTDOCS_LINK_RATE", "2")
    app = FastAPI()
    app.state.web_keyring = light_app().state.web_keyring
    app.get("/g/x", dependencies=[Depends(link_limit)])(lambda: PlainTextResponse("ok"))
    install_web(app)
    client = TestClient(app)
    codes = [client.get("/g/x").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert re.fullmatch(r"[1-9][0-9]?", client.get("/g/x").headers["retry-after"])


def test_each_security_header_once_on_pages_static_files_and_error_pages(
        client: TestClient) -> None:
    answers = {"page": client.get("/app/test/form"), "error": client.get("/app/no-such-page"),
               "static": client.get("/static/site.css"), "api": client.get("/api/test/limited")}
    names = ("content-security-policy", "x-content-type-options", "referrer-policy",
             "x-frame-options", "cache-control")
    for kind in ("page", "error", "static"):
        headers = answers[kind].headers
        assert all(len(headers.get_list(name)) == 1 for name in names), (kind, headers)
        assert headers["cache-control"] == ("no-cache" if kind == "static" else "no-store")
    assert not any(name in answers["api"].headers for name in names[:4])
    for answer in answers.values():  # the access log's request id, once, on every answer
        assert len(answer.headers.get_list("x-request-id")) == 1
