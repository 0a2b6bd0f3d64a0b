"""The caseworker's pages under ``/app/``: sign in, upload a sheet, see its issues, generate.

* ``GET /app/``: the sign-in form (one field, ``token``: a token from ``grantdocs token
  create``), or, signed in, the dashboard: the upload form and the caseworker's batches;
* ``POST /app/sign-in`` and ``POST /app/sign-out``: the session (:mod:`.app_session`);
* ``POST /app/uploads``: a sheet of decisions (CSV, XLSX or JSON) → its issues by row and
  column, and a button to generate; ``GET /app/uploads/{id}`` shows them again;
* ``POST /app/uploads/{id}/generate``: the batch (:mod:`.app_drafts`), then its page;
* the batch pages (:mod:`.app_batches`) and the grants pages (:mod:`.app_grants`).

The pages are in the issuer's own written form (:func:`.app_session.caseworker_lang`:
the default issuer profile's language, which is Bokmål for IMDi; Bokmål if none), their
wording in the ``[app]`` table of ``templates/<nb|nn>/web.toml``. Every page but the
sign-in form needs a session, else it redirects there (303); every form carries the
CSRF field (:func:`~grantdocs.service.web.security.require_csrf`).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from grantdocs.service.batches import SUFFIXES, start_batch
from grantdocs.service.db import Batch
from grantdocs.service.deps import service
from grantdocs.service.problems import Problem
from grantdocs.service.web import app_batches, app_grants
from grantdocs.service.web.app_drafts import (
    Draft,
    check_sheet,
    clear_old_drafts,
    draft_folder,
    load_draft,
    new_draft_id,
    save_draft,
    sheet_path,
    utc_stamp,
)
from grantdocs.service.web.app_session import (
    caseworker_lang,
    close_session,
    open_session,
    signed_in,
    to_sign_in,
)
from grantdocs.service.web.app_views import batch_rows
from grantdocs.service.web.pages import render_page
from grantdocs.service.web.security import require_csrf

router = APIRouter(prefix="/app", include_in_schema=False)
router.include_router(app_batches.router)
router.include_router(app_grants.router)

Csrf = Annotated[None, Depends(require_csrf)]
DASHBOARD_BATCHES = 50


def _sign_in_form(request: Request, *, error: bool = False, status: int = 200) -> Response:
    return render_page(request, "app_sign_in.html", caseworker_lang(), status=status,
                       error=error)


def _dashboard(request: Request, token_id: int, *, upload_error: str | None = None,
               status: int = 200) -> Response:
    with service(request).sessions() as session:
        batches = list(session.scalars(
            select(Batch).where(Batch.token_id == token_id)
            .order_by(Batch.created_at.desc()).limit(DASHBOARD_BATCHES)))
    lang = caseworker_lang()
    return render_page(request, "app_dashboard.html", lang, status=status,
                       batches=batch_rows(batches, lang), upload_error=upload_error,
                       suffixes=",".join(SUFFIXES))


@router.get("/")
def home(request: Request) -> Response:
    token_id = signed_in(request)
    if token_id is None:
        return _sign_in_form(request)
    return _dashboard(request, token_id)


@router.post("/sign-in")
async def sign_in(request: Request, _: Csrf) -> Response:
    from grantdocs.service.tokens import token_id_for

    form = await request.form()
    given = form.get("token")
    secret = given.strip() if isinstance(given, str) else ""
    token_id = None
    if secret:
        with service(request).sessions() as session:
            token_id = token_id_for(session, secret)
    if token_id is None:
        return _sign_in_form(request, error=True, status=401)
    response = RedirectResponse("/app/", status_code=303)
    open_session(response, request, token_id)
    return response


@router.post("/sign-out")
def sign_out(request: Request, _: Csrf) -> Response:
    response = RedirectResponse("/app/", status_code=303)
    close_session(response, request)
    return response


def _sheet_name(filename: str | None) -> str | None:
    """The name the sheet is kept (and the batch's upload) under; None: not CSV/XLSX/JSON."""
    from grantdocs.batch.jobs import safe_stem

    given = Path((filename or "").replace("\\", "/")).name
    suffix = Path(given).suffix.lower()
    if suffix not in SUFFIXES:
        return None
    return safe_stem(Path(given).stem)[:100] + suffix


def _copy(upload: UploadFile, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    upload.file.seek(0)
    with target.open("wb") as out:
        shutil.copyfileobj(upload.file, out, 1024 * 1024)


def _draft_page(request: Request, draft: Draft, *, error: str | None = None,
                status: int = 200) -> Response:
    return render_page(request, "app_upload.html", caseworker_lang(), status=status,
                       draft=draft, error=error)


@router.post("/uploads")
async def upload(request: Request, _: Csrf) -> Response:
    token_id = signed_in(request)
    if token_id is None:
        return to_sign_in()
    state = service(request)
    data_dir = state.settings.data_dir
    form = await request.form()
    sheet = form.get("file")
    if not isinstance(sheet, UploadFile) or not sheet.filename:
        return _dashboard(request, token_id, upload_error="no_file", status=422)
    name = _sheet_name(sheet.filename)
    if name is None:
        return _dashboard(request, token_id, upload_error="wrong_type", status=422)
    await run_in_threadpool(clear_old_drafts, data_dir)
    draft = Draft(id=new_draft_id(), token_id=token_id, name=name, created=utc_stamp())
    path = sheet_path(data_dir, draft)
    try:
        await run_in_threadpool(_copy, sheet, path)
        found: Any = await state.pool.call(check_sheet, str(path), name, caseworker_lang())
        draft.total, draft.valid, draft.refused, draft.issues = found
        await run_in_threadpool(save_draft, data_dir, draft)
    except BaseException:
        shutil.rmtree(draft_folder(data_dir, draft.id), ignore_errors=True)
        raise
    return RedirectResponse(f"/app/uploads/{draft.id}", status_code=303)


@router.get("/uploads/{draft_id}")
def show_upload(request: Request, draft_id: str) -> Response:
    token_id = signed_in(request)
    if token_id is None:
        return to_sign_in()
    draft = load_draft(service(request).settings.data_dir, draft_id, token_id)
    if draft is None:
        return app_batches.not_found(request)
    return _draft_page(request, draft)


def _problem_key(problem: Problem) -> str:
    return {429: "queue_full", 422: "refused"}.get(problem.status, "failed")


@router.post("/uploads/{draft_id}/generate")
async def generate(request: Request, draft_id: str, _: Csrf) -> Response:
    token_id = signed_in(request)
    if token_id is None:
        return to_sign_in()
    state = service(request)
    data_dir = state.settings.data_dir
    draft = load_draft(data_dir, draft_id, token_id)
    if draft is None:
        return app_batches.not_found(request)
    source = sheet_path(data_dir, draft)

    def save(folder: Path) -> Path:
        folder.mkdir(parents=True)
        target = folder / draft.name
        shutil.copyfile(source, target)
        return target

    try:
        batch, _replayed = await start_batch(
            state, token_id, save, draft.name, kind="letters", formats="pdf", issuer=None,
            scheme=None, idempotency_key=f"app-draft-{draft.id}")
    except Problem as problem:
        status = problem.status if problem.status in (422, 429) else 500
        response = _draft_page(request, draft, error=_problem_key(problem), status=status)
        if problem.status == 429:
            response.headers["Retry-After"] = str(state.settings.retry_after)
        return response
    return RedirectResponse(f"/app/batches/{batch.id}", status_code=303)
