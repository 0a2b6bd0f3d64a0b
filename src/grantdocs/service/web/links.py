"""Grantee links: one unguessable, signed, expiring, revocable link per grant of a batch.

A link's id is 128 random bits (:func:`secrets.token_urlsafe`, URL-safe base64 without
padding, 22 characters). Its URL carries the id with its signature under the service's
key, ``/g/<id>.<sig>``, ``sig`` being the HMAC-SHA256 (hex) of ``b"link\\0" + id``
(:meth:`grantdocs.keys.Keyring.sign`), so a signature made for a CSRF token or a session
never passes for a link, and a guessed or altered URL is refused before the database is
asked. A link is made for each granted or partly granted case of a batch (a rejection
has nothing to report), once: asking again gives the same links.

A link is valid until the end of its ``expires`` day (Europe/Oslo). By default that is
the grant's report deadline plus :data:`GRACE_DAYS` (90) days: the decision's own
deadline (the ``Rapporteringsfrist`` column), else the scheme's default for the decision's
date (``report_deadline`` of the scheme data file, :meth:`grantdocs.scheme.Scheme.report_deadline`),
so a grantee can still send a late or corrected return; and at least :data:`MIN_DAYS`
(30) days from the day the link is made, so a link made after that is not born expired.

What a link answers (:func:`resolve`): a bad signature 403, a well-signed id that is not
in the table 404, an expired or revoked link 410.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from grantdocs.service.db import Batch, GranteeLink, GranteeUpload, utcnow

if TYPE_CHECKING:
    from starlette.requests import Request

    from grantdocs.keys import Keyring
    from grantdocs.model import Case
    from grantdocs.service.deps import Service

OSLO = ZoneInfo("Europe/Oslo")
GRACE_DAYS = 90
MIN_DAYS = 30
PURPOSE = b"link\0"
GRANTED_KINDS = ("granted", "partial")


@dataclass(frozen=True)
class LinkInfo:
    id: str
    batch_id: str
    reference: str
    lang: str
    organisation: str
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    created_at: dt.datetime

    @property
    def expires(self) -> dt.date:
        """The last day the link works (Europe/Oslo)."""
        return (self.expires_at.astimezone(OSLO) - dt.timedelta(microseconds=1)).date()

    def state(self, now: dt.datetime | None = None) -> str:
        """``active``, ``expired`` or ``revoked``."""
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if (now or utcnow()) >= self.expires_at else "active"


@dataclass(frozen=True)
class UploadInfo:
    id: int
    link_id: str
    kind: str
    filename: str
    stored: str
    sha256: str
    bytes: int
    received_at: dt.datetime
    outcome: dict[str, Any] | None
    replaced_by: int | None


def aware(moment: dt.datetime) -> dt.datetime:
    """A datetime from the database as UTC (SQLite gives them back without a zone)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def link_info(row: GranteeLink) -> LinkInfo:
    return LinkInfo(row.id, row.batch_id, row.reference, row.lang, row.organisation,
                    aware(row.expires_at),
                    aware(row.revoked_at) if row.revoked_at is not None else None,
                    aware(row.created_at))


def upload_info(row: GranteeUpload) -> UploadInfo:
    return UploadInfo(row.id, row.link_id, row.kind, row.filename, row.stored, row.sha256,
                      row.bytes, aware(row.received_at), row.outcome, row.replaced_by)


def default_expiry(deadline: dt.date, today: dt.date | None = None) -> dt.date:
    """The report deadline + 90 days, and at least 30 days from ``today``."""
    today = today or dt.datetime.now(OSLO).date()
    return max(deadline + dt.timedelta(days=GRACE_DAYS), today + dt.timedelta(days=MIN_DAYS))


def end_of(day: dt.date) -> dt.datetime:
    """The moment ``day`` ends in Europe/Oslo, in UTC."""
    midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=OSLO)
    return midnight.astimezone(dt.UTC)


# --- tokens ---------------------------------------------------------------------------------

def new_link_id() -> str:
    return secrets.token_urlsafe(16)


def link_token(keyring: Keyring, link_id: str) -> str:
    return f"{link_id}.{keyring.sign(PURPOSE + link_id.encode('ascii'))}"


def token_id(keyring: Keyring, token: str) -> str | None:
    """The link id a token carries if its signature verifies, else None."""
    link_id, dot, signature = token.partition(".")
    if not dot or not 1 <= len(link_id) <= 32 or len(signature) != 64:
        return None
    if not all(c.isalnum() or c in "-_" for c in link_id) or not link_id.isascii():
        return None
    return link_id if keyring.verify(PURPOSE + link_id.encode("ascii"), signature) else None


def link_url(request_or_base: str | Request, keyring: Keyring, link_id: str) -> str:
    """``https://host/g/<id>.<sig>``: from a base URL, or the request's own."""
    base = request_or_base if isinstance(request_or_base, str) else str(
        request_or_base.base_url)
    return f"{base.rstrip('/')}/g/{link_token(keyring, link_id)}"


# --- the batch's grants ----------------------------------------------------------------------

def batch_cases(state: Service, batch: Batch) -> Iterator[Case]:
    """The batch's valid cases: the planner's chunks once it is planned, else its upload
    read and checked as the planner reads it."""
    from grantdocs.model import Case
    from grantdocs.service.plan import engine_settings, read_upload, upload_path

    folder: Path = state.jobs.batch_folder(state.settings.data_dir, batch.id)
    chunks = sorted((folder / "input").glob("chunk-[0-9][0-9][0-9][0-9].json"))
    if batch.status != "queued" and chunks:
        for chunk in chunks:
            for data in json.loads(chunk.read_text("utf-8")):
                yield Case.model_validate(data)
        return
    if batch.status == "failed":
        raise ValueError(f"batch {batch.id} failed: {batch.error or 'no cases'}")
    planned = read_upload(upload_path(folder, batch.upload_name), batch.upload_name,
                          engine_settings(batch))
    for data, _row in planned.cases:
        yield Case.model_validate(data)


def _grant_facts(batch: Batch) -> Callable[[Case], tuple[dt.date, str]]:
    """(report deadline, written form) of a case of the batch, under its scheme and issuer."""
    from grantdocs.issuer import load_issuer
    from grantdocs.render.context import letter_language
    from grantdocs.scheme import load_scheme
    from grantdocs.service.plan import engine_settings

    settings = engine_settings(batch)
    scheme, issuer = load_scheme(settings.scheme), load_issuer(settings.issuer)

    def facts(case: Case) -> tuple[dt.date, str]:
        return scheme.report_deadline(case.decision), letter_language(case, issuer)

    return facts


def make_links(state: Service, batch_id: str, *,
               expires: dt.date | None = None) -> list[LinkInfo]:
    """A link for every granted or partly granted case of the batch, made once.

    Asking again gives the same links (and, with ``expires``, moves their expiry to the
    end of that day). Raises LookupError for an unknown batch, ValueError for one that
    failed as a whole. Whose batch it is, is the caller's to check.
    """
    with state.sessions() as session:
        batch = session.get(Batch, batch_id)
    if batch is None:
        raise LookupError(f"no batch {batch_id}")
    facts = _grant_facts(batch)
    wanted: dict[str, Case] = {}
    for case in batch_cases(state, batch):
        if case.decision.kind.value in GRANTED_KINDS:
            wanted.setdefault(case.reference, case)
    with state.sessions() as session:
        known = {row.reference: row for row in session.scalars(
            select(GranteeLink).where(GranteeLink.batch_id == batch_id))}
        for reference, case in wanted.items():
            row = known.get(reference)
            if row is None:
                deadline, lang = facts(case)
                row = GranteeLink(
                    id=new_link_id(), batch_id=batch_id, reference=reference, lang=lang,
                    organisation=case.organisation.name[:500],
                    case_json=case.model_dump_json(),
                    expires_at=end_of(expires or default_expiry(deadline)),
                    created_at=utcnow())
                session.add(row)
                known[reference] = row
            elif expires is not None and row.revoked_at is None:
                row.expires_at = end_of(expires)
        try:
            session.commit()
        except IntegrityError:  # the same batch asked for twice at once: theirs stand
            session.rollback()
    return [link for link in list_links(state, batch_id) if link.reference in wanted]


def list_links(state: Service, batch_id: str) -> list[LinkInfo]:
    """The batch's links, by reference."""
    with state.sessions() as session:
        rows = session.scalars(select(GranteeLink).where(GranteeLink.batch_id == batch_id)
                               .order_by(GranteeLink.reference)).all()
        return [link_info(row) for row in rows]


def get_link(state: Service, link_id: str) -> LinkInfo | None:
    with state.sessions() as session:
        row = session.get(GranteeLink, link_id)
        return link_info(row) if row is not None else None


def link_case(state: Service, link_id: str) -> tuple[Case, str | None, str | None]:
    """The link's case, and the issuer and scheme (bundled names) of its batch."""
    from grantdocs.model import Case

    with state.sessions() as session:
        row = session.get(GranteeLink, link_id)
        if row is None:
            raise LookupError(f"no grantee link {link_id}")
        batch = session.get(Batch, row.batch_id)
        issuer, scheme = (batch.issuer, batch.scheme) if batch is not None else (None, None)
        return Case.model_validate_json(row.case_json), issuer, scheme


def revoke_link(state: Service, link_id: str) -> LinkInfo:
    """Revoke a link (from now on it answers 410); revoking twice keeps the first time.
    Raises LookupError for an unknown link."""
    with state.sessions() as session:
        row = session.get(GranteeLink, link_id)
        if row is None:
            raise LookupError(f"no grantee link {link_id}")
        if row.revoked_at is None:
            row.revoked_at = utcnow()
            session.commit()
        return link_info(row)


def latest_uploads(state: Service, link_id: str) -> dict[str, UploadInfo]:
    """The newest upload of each kind (``accounts``, ``report``) through the link."""
    with state.sessions() as session:
        rows = session.scalars(select(GranteeUpload).where(
            GranteeUpload.link_id == link_id, GranteeUpload.replaced_by.is_(None))
            .order_by(GranteeUpload.id)).all()
        return {row.kind: upload_info(row) for row in rows}


@dataclass(frozen=True)
class Refusal:
    """Why a token opens nothing: its HTTP status and the written form of its page."""

    status: int
    reason: str  # "forged", "unknown", "expired", "revoked"
    lang: str = "nb"


def resolve(state: Service, token: str, keyring: Keyring | None = None) -> LinkInfo | Refusal:
    """The link a token opens, or why it opens none (403, 404 or 410)."""
    link_id = token_id(keyring or state.settings.keyring(), token)
    if link_id is None:
        return Refusal(403, "forged")
    link = get_link(state, link_id)
    if link is None:
        return Refusal(404, "unknown")
    reason = link.state()
    if reason != "active":
        return Refusal(410, reason, link.lang)
    return link
