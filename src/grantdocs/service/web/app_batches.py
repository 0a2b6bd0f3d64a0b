"""A batch's page for the caseworker: live progress, then the zip and the print PDF.

* ``GET /app/batches/{id}``: the batch's state, a ``<progress>`` element with its count
  in words, and, once done, the downloads. ``static/progress.js`` polls
  ``progress.json`` and updates the element and the words, and loads the page again
  when the batch has ended; without JavaScript, a link loads it again;
* ``GET /app/batches/{id}/progress.json``: ``{status, total, written, failed,
  finished, ended, text}`` (``text``: the count in words, in the page's written form);
* ``GET /app/batches/{id}/files.zip``: the same file as ``GET /api/v1/batches/{id}/files.zip``;
* ``GET /app/batches/{id}/print.pdf``: the PDF letters joined for duplex printing, as
  ``grantdocs letters --print-pdf`` joins them (:mod:`.app_files`).

Each needs the session of the token that made the batch; another's batch is a 404.
"""

from __future__ import annotations

import re
from typing import Any, NoReturn

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse, JSONResponse
from sqlalchemy import select
from starlette.exceptions import HTTPException

from grantdocs.service.db import Batch, Chunk
from grantdocs.service.deps import service
from grantdocs.service.web.app_files import PRINT_PDF, build_print_pdf
from grantdocs.service.web.app_session import caseworker_lang, signed_in, to_sign_in
from grantdocs.service.web.app_views import batch_view
from grantdocs.service.web.pages import fill, render_page, words

router = APIRouter()

_BATCH_ID = re.compile(r"^[0-9a-f]{32}$")
FILES_ZIP = "files.zip"


def not_found(request: Request) -> NoReturn:
    """The 404 page of the caseworker's pages (web-base's error pages draw it)."""
    raise HTTPException(status_code=404)


def owned(request: Request, token_id: int, batch_id: str) -> Batch | None:
    if not _BATCH_ID.match(batch_id):
        return None
    with service(request).sessions() as session:
        batch = session.get(Batch, batch_id)
    return batch if batch is not None and batch.token_id == token_id else None


def progress_text(lang: Any, finished: int, total: int) -> str:
    return fill(words(lang)["app"]["progress_count"], finished=finished, total=total)


@router.get("/batches/{batch_id}")
def batch_page(request: Request, batch_id: str) -> Response:
    token_id = signed_in(request)
    if token_id is None:
        return to_sign_in()
    batch = owned(request, token_id, batch_id)
    if batch is None:
        return not_found(request)
    lang = caseworker_lang()
    view = batch_view(batch, lang)
    return render_page(request, "app_batch.html", lang, batch=view,
                       progress=progress_text(lang, view.finished, view.total))


@router.get("/batches/{batch_id}/progress.json")
def batch_progress(request: Request, batch_id: str) -> Response:
    token_id = signed_in(request)
    if token_id is None:
        return JSONResponse({"signed_in": False}, status_code=401)
    batch = owned(request, token_id, batch_id)
    if batch is None:
        return JSONResponse({"found": False}, status_code=404)
    view = batch_view(batch, caseworker_lang())
    return JSONResponse({
        "status": view.status, "total": view.total, "written": view.written,
        "failed": view.failed, "finished": view.finished, "ended": view.ended,
        "text": progress_text(caseworker_lang(), view.finished, view.total)},
        headers={"Cache-Control": "no-store"})


def _done_folder(request: Request, batch_id: str) -> tuple[Batch, Any] | None:
    token_id = signed_in(request)
    if token_id is None:
        return None
    batch = owned(request, token_id, batch_id)
    if batch is None or batch.status != "done":
        raise HTTPException(status_code=404)
    state = service(request)
    return batch, state.jobs.batch_folder(state.settings.data_dir, batch_id)


@router.get("/batches/{batch_id}/files.zip")
def batch_zip(request: Request, batch_id: str) -> Response:
    found = _done_folder(request, batch_id)
    if found is None:
        return to_sign_in()
    _, folder = found
    path = folder / FILES_ZIP
    if not path.is_file():
        raise HTTPException(status_code=404)
    return FileResponse(path, media_type="application/zip",
                        filename=f"grantdocs-{batch_id}.zip")


@router.get("/batches/{batch_id}/print.pdf")
async def batch_print(request: Request, batch_id: str) -> Response:
    found = _done_folder(request, batch_id)
    if found is None:
        return to_sign_in()
    batch, folder = found
    path = folder / PRINT_PDF
    if not path.is_file():
        state = service(request)
        with state.sessions() as session:
            chunks = [(c.number, c.status) for c in session.scalars(
                select(Chunk).where(Chunk.batch_id == batch_id).order_by(Chunk.number))]
        letters = await state.pool.call(build_print_pdf, str(folder), chunks,
                                        batch.upload_name)
        if not letters:
            raise HTTPException(status_code=404)
    return FileResponse(path, media_type="application/pdf",
                        filename=f"grantdocs-{batch_id}-print.pdf")
