"""The API of grantee links, for case-management systems (bearer token, JSON).

* ``POST /api/v1/batches/{id}/grantee-links`` (optional ``?expires=YYYY-MM-DD``): a link
  for each granted or partly granted case of the batch, made once; asking again gives
  the same links (with ``expires``, their new last day);
* ``GET /api/v1/batches/{id}/grantee-links``: the batch's links;
* ``DELETE /api/v1/grantee-links/{link_id}``: revoke a link (204); from then on it
  answers 410.

The batch (and the link's batch) must belong to the request's token, else 404.
How links are made, signed and expire: :mod:`grantdocs.service.web.links`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi import Path as PathParam
from pydantic import BaseModel, Field
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from grantdocs.service.db import Batch, GranteeLink
from grantdocs.service.deps import Service, require_token, service
from grantdocs.service.documents import ERRORS
from grantdocs.service.problems import PROBLEM, Problem
from grantdocs.service.web import links
from grantdocs.service.web.links import OSLO, LinkInfo

router = APIRouter(prefix="/api/v1", tags=["grantee links"])

BatchId = Annotated[str, PathParam(pattern=r"^[0-9a-f]{32}$", description="The batch's id")]
LinkId = Annotated[str, PathParam(pattern=r"^[A-Za-z0-9_-]{22}$",
                                  description="The link's id (the part of its URL before the dot)")]
_NOT_FOUND = {"description": "No such batch (or link) for this token", "content": {PROBLEM: {}}}


class GranteeLinkOut(BaseModel):
    """One grant's link, as the grantee is to be sent it."""

    reference: str = Field(description="The case number of the grant")
    url: str = Field(description="The grantee's page: /g/<id>.<signature>")
    expires: dt.date = Field(description="The last day the link works (Europe/Oslo)")
    id: str = Field(description="The link's id, for DELETE /api/v1/grantee-links/{id}")
    organisation: str
    lang: str = Field(description="The grant's written form: nb or nn")
    revoked: bool


def _out(request: Request, link: LinkInfo) -> GranteeLinkOut:
    keyring = service(request).settings.keyring()
    return GranteeLinkOut(reference=link.reference, url=links.link_url(request, keyring, link.id),
                          expires=link.expires, id=link.id, organisation=link.organisation,
                          lang=link.lang, revoked=link.revoked_at is not None)


def _owned(state: Service, token_id: int, batch_id: str) -> Batch:
    with state.sessions() as session:
        batch = session.get(Batch, batch_id)
    if batch is None or batch.token_id != token_id:
        raise Problem(404, f"no batch {batch_id} for this token", kind="no-such-batch")
    return batch


@router.post("/batches/{batch_id}/grantee-links", response_model=list[GranteeLinkOut],
             summary="A grantee link for every granted or partly granted case of a batch",
             responses={**ERRORS, 404: _NOT_FOUND,
                        409: {"description": "The batch failed: it has no cases",
                              "content": {PROBLEM: {}}}})
async def make_grantee_links(
    request: Request, batch_id: BatchId,
    token_id: Annotated[int, Depends(require_token)],
    expires: Annotated[dt.date | None, Query(
        description="The links' last day (default: the report deadline + 90 days)")] = None,
) -> list[GranteeLinkOut]:
    state = service(request)
    _owned(state, token_id, batch_id)
    if expires is not None and expires < dt.datetime.now(OSLO).date():
        raise Problem(422, f"expires {expires.isoformat()} is in the past", kind="bad-expiry",
                      issues=[{"field": "expires", "message": "a day in the past"}])
    try:
        made = await run_in_threadpool(links.make_links, state, batch_id, expires=expires)
    except LookupError:
        raise Problem(404, f"no batch {batch_id} for this token", kind="no-such-batch") from None
    except ValueError as exc:
        raise Problem(409, str(exc), kind="batch-failed") from None
    return [_out(request, link) for link in made]


@router.get("/batches/{batch_id}/grantee-links", response_model=list[GranteeLinkOut],
            summary="The grantee links of a batch",
            responses={401: ERRORS[401], 404: _NOT_FOUND})
def get_grantee_links(request: Request, batch_id: BatchId,
                      token_id: Annotated[int, Depends(require_token)]) -> list[GranteeLinkOut]:
    state = service(request)
    _owned(state, token_id, batch_id)
    return [_out(request, link) for link in links.list_links(state, batch_id)]


@router.delete("/grantee-links/{link_id}", status_code=204, response_class=Response,
               summary="Revoke a grantee link: from now on it answers 410",
               responses={401: ERRORS[401], 404: _NOT_FOUND})
def revoke_grantee_link(request: Request, link_id: LinkId,
                        token_id: Annotated[int, Depends(require_token)]) -> Response:
    state = service(request)
    with state.sessions() as session:
        owner = session.scalar(select(Batch.token_id).join(
            GranteeLink, GranteeLink.batch_id == Batch.id).where(GranteeLink.id == link_id))
    if owner != token_id:
        raise Problem(404, f"no grantee link {link_id} for this token", kind="no-such-link")
    links.revoke_link(state, link_id)
    return Response(status_code=204)
