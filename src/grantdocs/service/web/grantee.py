"""The grantee's own page, ``/g/<id>.<signature>``, in the grant's written form.

* ``GET /g/{token}``: the grant's facts (organisation, project, case number, amount,
  period, report deadline), the two downloads, the two upload forms and what was sent;
* ``GET /g/{token}/report-template.docx`` and ``/g/{token}/accounts.xlsx``: the annual
  report template and the accounts workbook of this grant, made by the library's own
  document kinds in the render workers (as ``POST /api/v1/report-templates`` and
  ``/accounts-workbooks`` make them), the workbook signed with the service's key;
* ``POST /g/{token}/accounts``: the returned workbook, read back at once
  (:func:`grantdocs.service.web.returns.read_return`): the page shows the figures, the
  unspent amount and what is missing or must be explained, or why it was refused;
* ``POST /g/{token}/report``: the annual report (PDF, DOCX or ODT by content, at most
  ``GRANTDOCS_MAX_REPORT_MB``, 20 MB) → a receipt with the date and time (Europe/Oslo).

A new upload of a kind replaces the previous one, which stays in the history. Every
route is behind the link rate limit, every form behind the CSRF check; a link that is
forged, unknown, expired or revoked gets the 403, 404 or 410 page
(:func:`grantdocs.service.web.links.resolve`).

The API of the links themselves (for case-management systems) is
:mod:`grantdocs.service.web.grantee_api`, included in :data:`router`.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from grantdocs.service.deps import service
from grantdocs.service.rendering import MEDIA_TYPES
from grantdocs.service.web import grantee_api, links, returns
from grantdocs.service.web.links import LinkInfo
from grantdocs.service.web.pages import Lang, render_page
from grantdocs.service.web.ratelimit import link_limit
from grantdocs.service.web.security import PageError, keyring, require_csrf

router = APIRouter()
router.include_router(grantee_api.router)
pages = APIRouter(dependencies=[Depends(link_limit)], include_in_schema=False)

_PAGE_KINDS = {403: "link_invalid", 404: "link_unknown", 410: "link_gone"}
_DOWNLOADS = {"report-template.docx": ("report-templates", "docx"),
              "accounts.xlsx": ("accounts-workbooks", "xlsx")}


def open_link(request: Request, token: str) -> LinkInfo:
    """The link of ``token``, or its 403, 404 or 410 page (a forged token is refused
    before the database is asked)."""
    if links.token_id(keyring(request), token) is None:
        raise PageError(403, kind=_PAGE_KINDS[403])
    found = links.resolve(service(request), token, keyring(request))
    if isinstance(found, links.Refusal):
        raise PageError(found.status, kind=_PAGE_KINDS[found.status], lang=found.lang)
    request.state.lang = found.lang
    return found


Link = Annotated[LinkInfo, Depends(open_link)]
Csrf = Annotated[None, Depends(require_csrf)]


def _lang(link: LinkInfo) -> Lang:
    return "nn" if link.lang == "nn" else "nb"


def _facts(request: Request, link: LinkInfo) -> dict[str, Any]:
    from grantdocs.formatting import format_amount, format_date_long, format_period
    from grantdocs.scheme import load_scheme
    from grantdocs.service.rendering import bundled_path

    case, _issuer, scheme = links.link_case(service(request), link.id)
    rules = load_scheme(bundled_path("scheme", scheme))
    app = case.application
    return {"organisation": case.organisation.name, "project": app.title,
            "reference": case.reference,
            "granted": format_amount(case.decision.amount_granted),
            "period": format_period(app.period_start, app.period_end),
            "deadline": format_date_long(rules.report_deadline(case.decision), _lang(link)),
            "audit": rules.audit_required(case.decision.amount_granted)}


def _history(request: Request, link: LinkInfo) -> list[dict[str, Any]]:
    shown = []
    for upload in returns.history(service(request), link.id):
        day, time = returns.received_text(upload.received_at, _lang(link))
        shown.append({"kind": upload.kind, "filename": upload.filename, "date": day,
                      "time": time, "kb": max(1, round(upload.bytes / 1024)),
                      "current": upload.replaced_by is None,
                      "unspent": (upload.outcome or {}).get("unspent", "")})
    return shown


def _page(request: Request, link: LinkInfo, template: str, *, status: int = 200,
          **context: Any) -> Response:
    base = f"/g/{links.link_token(keyring(request), link.id)}"
    latest = links.latest_uploads(service(request), link.id)
    accounts = latest.get("accounts")
    return render_page(request, template, _lang(link), status=status, base=base,
                       facts=_facts(request, link), history=_history(request, link),
                       latest=accounts.outcome if accounts is not None else None,
                       expires=link.expires,
                       report_mb=returns.max_report_bytes(service(request).settings.environ)
                       // (1024 * 1024), **context)


async def _answer(request: Request, link: LinkInfo, template: str, **context: Any) -> Response:
    """:func:`_page` off the event loop (it asks the database)."""
    answer: Response = await run_in_threadpool(_page, request, link, template, **context)
    return answer


@pages.get("/g/{token}")
def grantee_page(request: Request, link: Link) -> Response:
    return _page(request, link, "grantee.html", error=None)


@pages.get("/g/{token}/{name}")
async def grantee_download(request: Request, link: Link, name: str) -> Response:
    if name not in _DOWNLOADS:
        raise PageError(404, lang=link.lang)
    kind, fmt = _DOWNLOADS[name]
    state = service(request)
    case, issuer, scheme = await run_in_threadpool(links.link_case, state, link.id)
    outcome = await state.pool.render(kind, case.model_dump_json(), fmt, issuer, scheme)
    if outcome.status != "ok":
        raise PageError(422, kind="other", lang=link.lang)
    state.metrics.rendered.labels(kind, fmt).inc()
    return Response(outcome.data, media_type=MEDIA_TYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="{outcome.name}"'})


async def _upload(request: Request) -> UploadFile | None:
    form = await request.form()
    upload = form.get("file")
    return upload if isinstance(upload, UploadFile) and upload.filename else None


async def _read_upload(link: LinkInfo, upload: UploadFile, limit: int) -> bytes:
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise PageError(413, lang=link.lang)
    return data


@pages.post("/g/{token}/accounts")
async def grantee_accounts(request: Request, link: Link, _csrf: Csrf) -> Response:
    from grantdocs.limits import current_limits

    state = service(request)
    upload = await _upload(request)
    if upload is None:
        return await _answer(request, link, "grantee.html", status=400, error="accounts_none")
    limit = int(current_limits().max_return_mb * 1024 * 1024)
    data = await _read_upload(link, upload, limit)
    case, _issuer, scheme = await run_in_threadpool(links.link_case, state, link.id)
    folder = returns.grantee_folder(state.settings.data_dir, link.id)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    incoming = Path(tempfile.mkdtemp(prefix=".incoming-", dir=folder))
    try:
        path = incoming / "return.xlsx"
        await run_in_threadpool(path.write_bytes, data)
        outcome: dict[str, Any] = await state.pool.call(
            returns.read_return, str(path), case.model_dump_json(), link.lang, scheme)
    finally:
        shutil.rmtree(incoming, ignore_errors=True)
    if outcome["status"] != "read":
        return await _answer(request, link, "grantee_accounts.html", status=422,
                             outcome=outcome, filename=upload.filename or "", when=None)
    stored = await run_in_threadpool(returns.store_upload, state, link.id, "accounts",
                                     upload.filename or "", data, "xlsx", outcome)
    day, time = returns.received_text(stored.received_at, _lang(link))
    return await _answer(request, link, "grantee_accounts.html", outcome=outcome,
                         filename=stored.filename, when={"date": day, "time": time})


@pages.post("/g/{token}/report")
async def grantee_report(request: Request, link: Link, _csrf: Csrf) -> Response:
    state = service(request)
    upload = await _upload(request)
    if upload is None:
        return await _answer(request, link, "grantee.html", status=400, error="report_none")
    data = await _read_upload(link, upload, returns.max_report_bytes(state.settings.environ))
    fmt = returns.report_format(data)
    if fmt is None:
        return await _answer(request, link, "grantee.html", status=415, error="report_format")
    if not await run_in_threadpool(returns.report_is_sound, data, fmt):
        return await _answer(request, link, "grantee.html", status=422, error="report_damaged")
    active = await state.pool.call(returns.report_active, data, fmt)
    if active is not None:
        error = "report_damaged" if active == "damaged" else "report_active"
        return await _answer(request, link, "grantee.html", status=422, error=error)
    stored = await run_in_threadpool(returns.store_upload, state, link.id, "report",
                                     upload.filename or "", data, fmt, None)
    day, time = returns.received_text(stored.received_at, _lang(link))
    return await _answer(request, link, "grantee_receipt.html", receipt={
        "filename": stored.filename, "date": day, "time": time, "format": fmt,
        "sha256": stored.sha256, "kb": max(1, round(stored.bytes / 1024))})


router.include_router(pages)
