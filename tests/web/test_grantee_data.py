"""Grantee links as the data layer makes them (:mod:`grantdocs.service.web.links`), on a
real database migrated by Alembic: one link per granted or partly granted case, made
once, bound to its grant, signed, expiring and revocable.

The HTTP side (the API, the pages, the 403/404/410 answers) is tested against the real
server in ``test_grantee_api.py`` and ``test_grantee_pages.py``.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import inspect

from grantdocs.keys import Keyring
from grantdocs.service import jobs
from grantdocs.service.db import Batch, Token, open_database
from grantdocs.service.settings import ServiceSettings
from grantdocs.service.web import links
from tests.helpers import SAMPLES
from tests.workbooks import sample_cases

KEY = "a test key for grantee links, thirty-two characters or more"
BATCH = "0123456789abcdef0123456789abcdef"
# The batches whose links a test changes: MOVED's expiry, one of REVOKED's; BATCH's stay as
# made. Each test makes the links it reads (make_links is idempotent), so the tests hold in
# any order and in any test process (xdist's worksteal may split a module).
MOVED = "fedcba9876543210fedcba9876543210"
REVOKED = "00000000000000000000000000000001"


@pytest.fixture(scope="module")
def state(tmp_path_factory: pytest.TempPathFactory) -> Any:
    data = tmp_path_factory.mktemp("grantee-data")
    settings = ServiceSettings.build(data, environ={"GRANTDOCS_SECRET_KEY": KEY})
    settings.prepare()
    engine, sessions = open_database(settings.database_url)
    with sessions() as session:
        session.add(Token(id=1, name="tests", hash="0" * 64))
        session.commit()
        for batch in (BATCH, MOVED, REVOKED):
            folder = jobs.batch_folder(data, batch)
            (folder / "input").mkdir(parents=True)
            shutil.copy(SAMPLES / "decisions.csv", folder / "input" / "decisions.csv")
            session.add(Batch(id=batch, kind="letters", formats="pdf",
                              upload_name="decisions.csv", status="queued", total=24,
                              written=0, failed=0, issues=[], token_id=1))
        session.commit()
    yield SimpleNamespace(settings=settings, sessions=sessions, jobs=jobs, engine=engine)
    engine.dispose()


def test_the_migration_makes_both_tables(state: Any) -> None:
    tables = set(inspect(state.engine).get_table_names())
    assert {"grantee_links", "grantee_uploads", "alembic_version"} <= tables
    columns = {c["name"] for c in inspect(state.engine).get_columns("grantee_uploads")}
    assert {"link_id", "kind", "filename", "stored", "sha256", "bytes", "received_at",
            "outcome", "replaced_by"} <= columns


def test_one_link_per_granted_or_partial_case_made_once(state: Any) -> None:
    granted = {c.reference: c for c in sample_cases() if c.decision.kind.value != "rejected"}
    made = links.make_links(state, BATCH)
    assert sorted(link.reference for link in made) == sorted(granted)
    assert len(granted) == 16  # 10 granted, 6 partly granted; the 8 rejections get none
    again = links.make_links(state, BATCH)
    assert [(link.id, link.expires_at) for link in again] == [
        (link.id, link.expires_at) for link in made]
    assert links.list_links(state, BATCH) == again
    for link in made:
        assert len(link.id) == 22 and link.state() == "active"
        case = granted[link.reference]
        assert link.organisation == case.organisation.name
        assert link.lang == case.language  # IMDi answers in the recipient's written form
        bound, _issuer, _scheme = links.link_case(state, link.id)
        assert bound.reference == link.reference
        assert bound.decision.amount_granted == case.decision.amount_granted


def test_default_expiry_is_90_days_after_the_report_deadline_or_30_days_from_now(
        state: Any) -> None:
    by_ref = {link.reference: link for link in links.make_links(state, BATCH)}
    today = dt.datetime.now(links.OSLO).date()
    # 22/00146-3 states its own deadline, 1 February 2023: 90 days on is long past,
    # so a link made now works for 30 days
    assert by_ref["22/00146-3"].expires == max(dt.date(2023, 5, 2),
                                               today + dt.timedelta(days=30))
    far = links.default_expiry(dt.date(2031, 2, 1))
    assert far == dt.date(2031, 5, 2)


def test_asking_again_with_a_day_moves_the_expiry_and_keeps_the_ids(state: Any) -> None:
    before = links.make_links(state, MOVED)
    day = dt.date.today() + dt.timedelta(days=400)
    after = links.make_links(state, MOVED, expires=day)
    assert [link.id for link in after] == [link.id for link in before]
    assert {link.expires for link in after} == {day}
    assert all(link.expires_at == links.end_of(day) for link in after)


def test_tokens_are_signed_for_links_only() -> None:
    ring = Keyring.from_text(KEY)
    link_id = links.new_link_id()
    token = links.link_token(ring, link_id)
    assert links.token_id(ring, token) == link_id
    ident, _, sig = token.partition(".")
    assert sig == ring.sign(b"link\0" + ident.encode())
    assert links.token_id(ring, f"{ident}.{ring.sign(ident.encode())}") is None  # no purpose
    other_id = ident[:-1] + ("A" if ident[-1] != "A" else "B")
    assert links.token_id(ring, f"{other_id}.{sig}") is None
    assert links.token_id(ring, token[:-1] + ("0" if token[-1] != "0" else "1")) is None
    other = Keyring.from_text("another key, also thirty-two characters long")
    assert links.token_id(other, token) is None
    for junk in ("", ".", "x", "../../etc/passwd", f"{ident}.{sig}.x", "é" * 22 + "." + sig):
        assert links.token_id(ring, junk) is None
    assert links.link_url("https://tilskudd.example/", ring, link_id) == (
        f"https://tilskudd.example/g/{token}")


def test_resolve_answers_403_404_410(state: Any) -> None:
    ring = state.settings.keyring()
    link = links.make_links(state, BATCH)[0]
    assert links.resolve(state, links.link_token(ring, link.id)) == link
    forged = links.resolve(state, links.link_token(ring, link.id)[:-2] + "00")
    assert isinstance(forged, links.Refusal) and forged.status == 403
    unknown = links.resolve(state, links.link_token(ring, links.new_link_id()))
    assert isinstance(unknown, links.Refusal) and unknown.status == 404


def test_a_revoked_link_stays_revoked_and_answers_410(state: Any) -> None:
    ring = state.settings.keyring()
    link = links.make_links(state, REVOKED)[-1]
    revoked = links.revoke_link(state, link.id)
    assert revoked.revoked_at is not None and revoked.state() == "revoked"
    assert links.revoke_link(state, link.id).revoked_at == revoked.revoked_at
    gone = links.resolve(state, links.link_token(ring, link.id))
    assert gone == links.Refusal(410, "revoked", link.lang)
    again = {x.reference: x for x in links.make_links(state, REVOKED)}
    assert again[link.reference].id == link.id and again[link.reference].revoked_at is not None
    with pytest.raises(LookupError):
        links.revoke_link(state, links.new_link_id())


def test_an_expired_link_answers_410(state: Any) -> None:
    link = links.make_links(state, BATCH)[0]
    later = link.expires_at + dt.timedelta(seconds=1)
    assert link.state(later) == "expired"
    assert link.state(link.expires_at - dt.timedelta(seconds=1)) == "active"


def test_no_uploads_yet(state: Any) -> None:
    link = links.make_links(state, BATCH)[0]
    assert links.latest_uploads(state, link.id) == {}


def test_a_batch_that_is_not_there(state: Any, tmp_path: Path) -> None:
    with pytest.raises(LookupError):
        links.make_links(state, "f" * 32)
