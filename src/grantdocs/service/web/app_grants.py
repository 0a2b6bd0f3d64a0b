"""The grants of a batch for the caseworker: their returns, checklists and grantee links.

* ``GET /app/batches/{id}/grants``: each granted or partly granted case of the batch
  (:func:`grantdocs.service.web.links.batch_cases`), with what its grantee has sent back
  (:func:`~grantdocs.service.web.links.latest_uploads`: the accounts workbook as read on
  arrival, the annual report), the control checklist made from the returned workbook,
  and its grantee link: the URL in a read-only field with a copy button
  (``static/copy.js``; without JavaScript the field is selected and copied by hand), a
  ready e-mail text in the grantee's written form, and a revoke button;
* ``POST /app/batches/{id}/links``: make the links (:func:`~.links.make_links`; asking
  again gives the same links);
* ``POST /app/links/{link_id}/revoke``: revoke one (from then on it answers 410);
* ``GET /app/links/{link_id}/checklist.pdf``: the control checklist (the library's
  checklist kind, :func:`grantdocs.service.uploads.render_return`) of the newest returned
  workbook, rendered in a render worker; in the issuer's written form, as the CLI's;
* ``GET /app/links/{link_id}/files/{kind}``: the newest ``accounts`` or ``report`` file
  the grantee sent, as it was received.

A link, its checklist and its files are the caseworker's only if its batch is theirs.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import FileResponse, RedirectResponse
from starlette.exceptions import HTTPException

from grantdocs.service.deps import service
from grantdocs.service.web.app_batches import owned
from grantdocs.service.web.app_session import caseworker_lang, signed_in, to_sign_in
from grantdocs.service.web.app_views import OSLO, batch_view, when
from grantdocs.service.web.links import (
    GRANTED_KINDS,
    LinkInfo,
    batch_cases,
    get_link,
    latest_uploads,
    link_case,
    link_url,
    list_links,
    make_links,
    revoke_link,
)
from grantdocs.service.web.pages import Lang, fill, render_page, words
from grantdocs.service.web.security import keyring, require_csrf

router = APIRouter()
Csrf = Annotated[None, Depends(require_csrf)]
MEDIA = {"pdf": "application/pdf", "xlsx":
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "odt": "application/vnd.oasis.opendocument.text"}


def _email(request: Request, link: LinkInfo, url: str) -> str:
    """The e-mail text to the grantee, in the grant's written form."""
    lang: Lang = "nn" if link.lang == "nn" else "nb"
    table: Any = words(lang)["app"]
    from grantdocs.formatting import format_date_long

    return fill(table["email_text"], organisation=link.organisation,
                reference=link.reference, url=url,
                expires=format_date_long(link.expires, lang))


def _grant(request: Request, case: Any, link: LinkInfo | None, lang: Lang) -> dict[str, Any]:
    from grantdocs.formatting import format_amount

    row: dict[str, Any] = {
        "reference": case.reference, "organisation": case.organisation.name,
        "kind": case.decision.kind.value, "granted": format_amount(case.decision.amount_granted),
        "link": None, "accounts": None, "report": None}
    if link is None:
        return row
    url = link_url(request, keyring(request), link.id)
    row["link"] = {"id": link.id, "url": url, "state": link.state(), "lang": link.lang,
                   "expires": when(dt.datetime.combine(link.expires, dt.time(12), OSLO), lang),
                   "email": _email(request, link, url)}
    for kind, upload in latest_uploads(service(request), link.id).items():
        row[kind] = {"filename": upload.filename, "received": when(upload.received_at, lang),
                     "outcome": upload.outcome or {}}
    return row


@router.get("/batches/{batch_id}/grants")
def grants_page(request: Request, batch_id: str) -> Response:
    token_id = signed_in(request)
    if token_id is None:
        return to_sign_in()
    batch = owned(request, token_id, batch_id)
    if batch is None:
        raise HTTPException(status_code=404)
    lang = caseworker_lang()
    state = service(request)
    links = {link.reference: link for link in list_links(state, batch_id)}
    grants: list[dict[str, Any]] = []
    if batch.status != "failed":
        seen: set[str] = set()
        for case in batch_cases(state, batch):
            if case.decision.kind.value in GRANTED_KINDS and case.reference not in seen:
                seen.add(case.reference)
                grants.append(_grant(request, case, links.get(case.reference), lang))
    return render_page(request, "app_grants.html", lang, batch=batch_view(batch, lang),
                       grants=grants, missing_links=any(g["link"] is None for g in grants))


@router.post("/batches/{batch_id}/links")
def make_batch_links(request: Request, batch_id: str, _: Csrf) -> Response:
    token_id = signed_in(request)
    if token_id is None:
        return to_sign_in()
    batch = owned(request, token_id, batch_id)
    if batch is None or batch.status == "failed":
        raise HTTPException(status_code=404)
    make_links(service(request), batch_id)
    return RedirectResponse(f"/app/batches/{batch_id}/grants", status_code=303)


def _owned_link(request: Request, token_id: int, link_id: str) -> LinkInfo:
    link = get_link(service(request), link_id) if len(link_id) <= 32 else None
    if link is None or owned(request, token_id, link.batch_id) is None:
        raise HTTPException(status_code=404)
    return link


@router.post("/links/{link_id}/revoke")
def revoke(request: Request, link_id: str, _: Csrf) -> Response:
    token_id = signed_in(request)
    if token_id is None:
        return to_sign_in()
    link = _owned_link(request, token_id, link_id)
    revoke_link(service(request), link.id)
    return RedirectResponse(f"/app/batches/{link.batch_id}/grants",
                            status_code=303)


def _stored(request: Request, link_id: str, kind: str) -> tuple[Path, Any]:
    upload = latest_uploads(service(request), link_id).get(kind)
    if upload is None:
        raise HTTPException(status_code=404)
    root = service(request).settings.data_dir.resolve()
    path = (root / upload.stored).resolve()
    if root not in path.parents or not path.is_file():
        raise HTTPException(status_code=404)
    return path, upload


@router.get("/links/{link_id}/files/{kind}")
def returned_file(request: Request, link_id: str, kind: str) -> Response:
    token_id = signed_in(request)
    if token_id is None:
        return to_sign_in()
    link = _owned_link(request, token_id, link_id)
    if kind not in ("accounts", "report"):
        raise HTTPException(status_code=404)
    path, _upload = _stored(request, link.id, kind)
    suffix = path.suffix.lstrip(".")
    name = f"{link.reference.replace('/', '-')}-{kind}.{suffix}"
    return FileResponse(path, media_type=MEDIA.get(suffix, "application/octet-stream"),
                        filename=name)


@router.get("/links/{link_id}/checklist.pdf")
async def checklist(request: Request, link_id: str) -> Response:
    from grantdocs.service.uploads import render_return

    token_id = signed_in(request)
    if token_id is None:
        return to_sign_in()
    state = service(request)
    link = _owned_link(request, token_id, link_id)
    path, upload = _stored(request, link.id, "accounts")
    if (upload.outcome or {}).get("status") != "read":
        raise HTTPException(status_code=404)
    case, issuer, scheme = link_case(state, link.id)
    received = upload.received_at.astimezone(OSLO).date().isoformat()
    today = dt.datetime.now(OSLO).date().isoformat()
    outcome = await state.pool.call(render_return, str(path), "checklists",
                                    case.model_dump_json(), "pdf", issuer, scheme, received,
                                    today)
    if outcome.status != "ok":
        raise HTTPException(status_code=404)
    return Response(outcome.data, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{outcome.name}"'})
