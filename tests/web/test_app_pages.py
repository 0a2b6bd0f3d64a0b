"""The caseworker's sign-in, session and upload pages, over HTTP against the real server
(``server``: the web and browser tests' one ``grantdocs serve``, shared by the session)."""

from __future__ import annotations

import re
from pathlib import Path

from grantdocs.i18n import issue_dict
from grantdocs.validate import check_inputs
from tests.helpers import SAMPLES, cli
from tests.service.conftest import Server, new_token
from tests.web.app_support import NB, browser, csrf_of, sign_in, table_rows

WITH_ERRORS = SAMPLES / "decisions-with-errors.csv"


def test_the_sign_in_form_has_one_token_field_and_a_right_token_opens_a_session(
        server: Server) -> None:
    with browser(server) as client:
        form = client.get("/app/")
        assert form.status_code == 200 and '<html lang="nb">' in form.text
        assert re.findall(r'<input[^>]* name="([^"]+)"', form.text) == ["csrf", "token"]
        assert NB["sign_in_title"] in form.text
        answer = client.post("/app/sign-in", data={"token": server.token,
                                                   "csrf": csrf_of(form)})
        assert answer.status_code == 303 and answer.headers["location"] == "/app/"
        cookie = next(c for c in answer.headers.get_list("set-cookie")
                      if c.startswith("gd_session="))
        flags = cookie.lower()
        assert "httponly" in flags and "samesite=strict" in flags and "max-age=28800" in flags
        assert "secure" not in flags  # plain http here; web-base's tests cover https
        home = client.get("/app/")
        assert NB["dashboard_title"] in home.text and NB["sign_out"] in home.text
        assert 'name="token"' not in home.text
        out = client.post("/app/sign-out", data={"csrf": csrf_of(home)})
        assert out.status_code == 303
        assert 'name="token"' in client.get("/app/").text


def test_a_wrong_token_shows_the_form_again_with_the_error_linked_to_the_field(
        server: Server) -> None:
    with browser(server) as client:
        form = client.get("/app/")
        answer = client.post("/app/sign-in", data={"token": "gd_not-a-token",
                                                   "csrf": csrf_of(form)})
        assert answer.status_code == 401
        assert "gd_session" not in answer.headers.get("set-cookie", "")
        page = answer.text
        assert NB["sign_in_wrong"] in page
        field = re.search(r'<input id="token"[^>]*>', page, re.S)
        assert field and 'aria-invalid="true"' in field.group(0)
        assert re.search(r'aria-describedby="[^"]*\btoken-error\b', field.group(0))
        assert 'id="token-error"' in page and 'href="#token"' in page
        assert 'name="token"' in client.get("/app/").text  # still signed out


def test_revoking_the_token_ends_its_sessions(server: Server) -> None:
    name = "app-revoked"
    token = new_token(server.data, name)
    with sign_in(server, token) as client:
        assert NB["dashboard_title"] in client.get("/app/").text
        revoked = cli("token", "revoke", "--data", server.data, "--name", name)
        assert revoked.exit_code == 0, revoked.output
        again = client.get("/app/")
        assert 'name="token"' in again.text and NB["dashboard_title"] not in again.text
        assert client.get("/app/batches/" + "0" * 32).headers["location"] == "/app/"
        form = client.get("/app/")
        refused = client.post("/app/sign-in", data={"token": token, "csrf": csrf_of(form)})
        assert refused.status_code == 401


def test_pages_without_a_session_redirect_to_the_sign_in_form(server: Server) -> None:
    with browser(server) as client:
        form = client.get("/app/")
        csrf = csrf_of(form)
        some = "0123456789abcdef" * 2
        for path in (f"/app/batches/{some}", f"/app/uploads/{some}",
                     f"/app/batches/{some}/files.zip", f"/app/batches/{some}/print.pdf"):
            answer = client.get(path)
            assert (answer.status_code, answer.headers["location"]) == (303, "/app/"), path
        posted = client.post("/app/uploads", data={"csrf": csrf},
                             files={"file": ("a.csv", b"x", "text/csv")})
        assert (posted.status_code, posted.headers["location"]) == (303, "/app/")
        client.cookies.set("gd_session", "1.1700000000.forged.00")
        assert client.get(f"/app/batches/{some}").status_code == 303
        assert client.get(f"/app/batches/{some}/progress.json").status_code == 401


def test_forms_without_the_csrf_field_are_refused(server: Server) -> None:
    with browser(server) as client:
        client.get("/app/")
        refused = client.post("/app/sign-in", data={"token": server.token})
        assert refused.status_code == 403 and "gd_session" not in str(refused.headers)
    with sign_in(server) as client:
        client.get("/app/")
        for path, files in (("/app/uploads", {"file": ("a.csv", b"x", "text/csv")}),
                            ("/app/sign-out", None)):
            answer = client.post(path, data={"csrf": "0" * 64}, files=files)
            assert answer.status_code == 403, path
        assert NB["dashboard_title"] in client.get("/app/").text  # still signed in


def test_an_upload_shows_each_issue_with_its_row_and_column_in_norwegian(
        server: Server, tmp_path: Path) -> None:
    expected = [(i.location.row, i.location.field, i.severity.value, issue_dict(i, "nb"))
                for checked in check_inputs([WITH_ERRORS]) for i in checked.issues]
    assert sum(1 for e in expected if e[2] == "error") == 3
    with sign_in(server) as client:
        home = client.get("/app/")
        answer = client.post("/app/uploads", data={"csrf": csrf_of(home)}, files={
            "file": (WITH_ERRORS.name, WITH_ERRORS.read_bytes(), "text/csv")})
        assert answer.status_code == 303, answer.text
        page = client.get(answer.headers["location"])
        assert page.status_code == 200
        rows = table_rows(page.text, "app-issues")
        assert len(rows) == len(expected)
        severity = {"error": NB["severity_error"], "warning": NB["severity_warning"]}
        for row, column, kind, shown in expected:
            message = " ".join(str(shown["message"]).split())
            match = [r for r in rows if r[0] == str(row) and r[1] == column
                     and r[2].endswith(severity[kind]) and message in r[3]]
            assert match, (row, column, message, rows)
            assert "error" not in match[0][3] and "row" not in match[0][3]  # Norwegian
            assert match[0][3].endswith(f"[{shown['code']}]")
        assert "Organisasjonsnummer" in page.text and "kontrollsiffer" in page.text
        summary = NB["check_summary"].split("{")[0]
        assert summary in page.text
        assert "/generate" in page.text and NB["generate_button"].split("{")[0] in page.text

        wrong = client.post("/app/uploads", data={"csrf": csrf_of(home)}, files={
            "file": ("notes.txt", b"hello", "text/plain")})
        assert wrong.status_code == 422 and NB["upload_wrong_type"] in wrong.text
        broken = tmp_path / "broken.xlsx"
        broken.write_bytes(b"PK\x03\x04 not really a zip")
        refused = client.post("/app/uploads", data={"csrf": csrf_of(home)}, files={
            "file": (broken.name, broken.read_bytes(), "application/octet-stream")})
        shown_refusal = client.get(refused.headers["location"])
        assert NB["refused_title"] in shown_refusal.text and "/generate" not in shown_refusal.text


def test_another_caseworkers_draft_is_not_found(server: Server) -> None:
    token = new_token(server.data, "app-other")
    with sign_in(server) as mine, sign_in(server, token) as theirs:
        home = mine.get("/app/")
        made = mine.post("/app/uploads", data={"csrf": csrf_of(home)}, files={
            "file": (WITH_ERRORS.name, WITH_ERRORS.read_bytes(), "text/csv")})
        location = made.headers["location"]
        assert theirs.get(location).status_code == 404
        theirs_home = theirs.get("/app/")
        stolen = theirs.post(location + "/generate", data={"csrf": csrf_of(theirs_home)})
        assert stolen.status_code == 404
