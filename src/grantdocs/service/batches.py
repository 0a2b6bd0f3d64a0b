"""Batches: an uploaded file of many cases becomes documents in the job queue.

``POST /api/v1/batches`` (multipart) takes ``file`` (CSV, XLSX or JSON), ``kind`` (the
document kind: ``letters`` by default, ``report-templates``, ``accounts-workbooks``; the
kinds not made from a file of cases, checklists, repayment claims and statistics, are a
422 that names their own route),
``formats`` (comma list; the kind's first format by default), and optional ``issuer``
and ``scheme`` (bundled names). The upload is read once against every input limit
before anything is kept (a file over one is told so even while the queue is full); then
the batch row and the upload are committed, the job is queued, and the answer is 202
with ``Location: /api/v1/batches/{id}``. With an ``Idempotency-Key`` header, the same
key from the same token gives the same batch again (202, ``Idempotent-Replayed:
true``), never a second one. While ``queue_depth``
is at the bound (``GRANTDOCS_QUEUE_BOUND``) the answer is 429 with ``Retry-After``.

``GET /api/v1/batches/{id}`` is its status; ``GET /api/v1/batches/{id}/files.zip`` every
output and the manifest once it is ``done``. A batch is visible only to its token.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Header, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from grantdocs.service.db import Batch
from grantdocs.service.deps import Service, require_token, service
from grantdocs.service.documents import ERRORS, IssuerName, SchemeName
from grantdocs.service.problems import PROBLEM, Problem

router = APIRouter(prefix="/api/v1", tags=["batches"])

BATCH_KINDS = ("letters", "report-templates", "accounts-workbooks")
#: Kinds that are not made from a file of cases, so not as a batch: where each is made.
OWN_ROUTES = {
    "checklists": "a control checklist is made from one case and the accounts workbook its "
                  "grantee returned: POST /api/v1/checklists (multipart case and file)",
    "repayment-claims": "a repayment claim is made from one case and the accounts workbook its "
                        "grantee returned: POST /api/v1/repayment-claims (multipart case and "
                        "file)",
    "stats": "the statistics are one document for a whole file of decisions: POST /api/v1/stats "
             "(multipart file, the same file a batch takes)",
}
KIND_DOC = ("The document kind, one per case of the file: letters, report-templates or "
            "accounts-workbooks. checklists, repayment-claims and stats are not made from a "
            "file of cases and are refused with 422 (type /problems/not-a-batch-kind) naming "
            "the route that makes them.")
SUFFIXES = (".csv", ".xlsx", ".json")
BatchId = Annotated[str, PathParam(pattern=r"^[0-9a-f]{32}$", description="The batch's id")]


class BatchIssue(BaseModel):
    row: int | None = None
    column: str | None = None
    code: str | None = None
    message: str


class BatchStatus(BaseModel):
    """A batch as ``GET /api/v1/batches/{id}`` shows it."""

    id: str
    kind: str
    formats: list[str]
    issuer: str | None
    scheme: str | None
    upload_name: str
    status: str = Field(description="queued, running, done or failed")
    total: int
    written: int
    failed: int
    issues: list[BatchIssue]
    error: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    files: str | None = Field(description="The zip of every output and the manifest, once done")


def _status(batch: Batch) -> BatchStatus:
    return BatchStatus(
        id=batch.id, kind=batch.kind, formats=batch.formats.split(","), issuer=batch.issuer,
        scheme=batch.scheme, upload_name=batch.upload_name, status=batch.status,
        total=batch.total, written=batch.written, failed=batch.failed,
        issues=[BatchIssue.model_validate(i) for i in batch.issues or []], error=batch.error,
        created_at=batch.created_at, updated_at=batch.updated_at,
        files=f"/api/v1/batches/{batch.id}/files.zip" if batch.status == "done" else None)


def _accepted(batch: Batch, replayed: bool) -> JSONResponse:
    headers = {"Location": f"/api/v1/batches/{batch.id}"}
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return JSONResponse(_status(batch).model_dump(mode="json"), status_code=202,
                        headers=headers)


def _existing(state: Service, token_id: int, key: str | None) -> Batch | None:
    if key is None:
        return None
    with state.sessions() as session:
        found: Batch | None = session.scalars(select(Batch).where(
            Batch.token_id == token_id, Batch.idempotency_key == key)).first()
        return found


def _check_kind(kind: str) -> None:
    if kind in BATCH_KINDS:
        return
    why = OWN_ROUTES.get(kind)
    detail = (f"{kind} cannot be made as a batch: {why}" if why else
              f"no document kind {kind[:40]!r} for a batch; use one of {', '.join(BATCH_KINDS)}")
    raise Problem(422, detail, kind="not-a-batch-kind",
                  issues=[{"field": "kind", "message": detail}])


def _upload_name(filename: str | None) -> str:
    from grantdocs.batch.jobs import safe_stem

    given = Path((filename or "").replace("\\", "/")).name
    suffix = Path(given).suffix.lower()
    if suffix not in SUFFIXES:
        raise Problem(422, f"the file must be CSV, XLSX or JSON (.csv, .xlsx, .json), not "
                           f"{suffix or 'a file without a suffix'}", kind="bad-upload",
                      issues=[{"field": "file", "message": "not .csv, .xlsx or .json"}])
    return safe_stem(Path(given).stem)[:100] + suffix


def _formats(kind: str, formats: str | None) -> str:
    from grantdocs.products import KINDS

    product = KINDS[kind]
    try:
        return ",".join(product.check_formats((formats or product.formats[0]).split(",")))
    except ValueError as exc:
        raise Problem(422, str(exc), kind="bad-format",
                      issues=[{"field": "formats", "message": str(exc)}]) from None


def _save(upload: UploadFile, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True)
    target = folder / name
    with target.open("wb") as out:
        shutil.copyfileobj(upload.file, out, 1024 * 1024)
    return target


@router.post("/batches", status_code=202, response_model=BatchStatus, summary="Start a batch",
             responses={**ERRORS, 422: {
                 "description": "The request cannot be read (`issues` lists each field); the "
                                "`kind` is not one a batch makes (`/problems/not-a-batch-kind`: "
                                "checklists, repayment-claims and stats have routes of their "
                                "own, which `detail` names); a format the kind has not "
                                "(`/problems/bad-format`); the file is not CSV, XLSX or JSON "
                                "(`/problems/bad-upload`) or is over an input limit "
                                "(`/problems/upload-refused`)",
                 "content": {PROBLEM: {}}},
                 429: {"description": "The queue is full: try again after "
                       "Retry-After seconds", "content": {PROBLEM: {}}}})
async def create_batch(
    request: Request,
    token_id: Annotated[int, Depends(require_token)],
    file: Annotated[UploadFile, File(description="The cases: CSV, XLSX or JSON")],
    kind: Annotated[str, Form(max_length=40, description=KIND_DOC,
                              json_schema_extra={"enum": list(BATCH_KINDS)})] = "letters",
    formats: Annotated[str | None, Form(description="Comma list, e.g. pdf,docx")] = None,
    issuer: Annotated[IssuerName | None, Form()] = None,
    scheme: Annotated[SchemeName | None, Form()] = None,
    idempotency_key: Annotated[str | None, Header(max_length=255)] = None,
) -> JSONResponse:
    _check_kind(kind)
    state = service(request)
    existing = _existing(state, token_id, idempotency_key)
    if existing is not None:
        return _accepted(existing, replayed=True)
    fmts = _formats(kind, formats)
    name = _upload_name(file.filename)
    batch, replayed = await start_batch(
        state, token_id, lambda folder: _save(file, folder, name), name, kind=kind,
        formats=fmts, issuer=issuer.value if issuer else None,
        scheme=scheme.value if scheme else None, idempotency_key=idempotency_key)
    return _accepted(batch, replayed=replayed)


async def start_batch(state: Service, token_id: int, save: Callable[[Path], Path], name: str,
                      *, kind: str, formats: str, issuer: str | None, scheme: str | None,
                      idempotency_key: str | None) -> tuple[Batch, bool]:
    """Vet an upload, commit its batch and queue it: ``POST /api/v1/batches`` and the
    caseworker's pages (``/app/``) both start batches here.

    ``save(folder)`` writes the upload into the new folder ``folder`` (named ``name``)
    and returns its path; it runs in a thread. Returns the batch, and whether it is one
    that was there already under ``idempotency_key``. A refused upload is a 422
    :class:`Problem`, a full queue a 429.
    """
    existing = _existing(state, token_id, idempotency_key)
    if existing is not None:
        return existing, True
    batch_id = uuid.uuid4().hex
    incoming = Path(tempfile.mkdtemp(prefix=".incoming-", dir=state.settings.batches_dir))
    try:
        path = await run_in_threadpool(save, incoming / "input")
        records, refused = await state.pool.vet(path, name)
        if refused is not None:
            raise Problem(422, refused, kind="upload-refused",
                          issues=[{"field": "file", "message": refused}])
        depth = await run_in_threadpool(state.queue_depth)
        if depth >= state.settings.queue_bound:
            raise Problem(429, f"{depth} jobs are waiting, the most this server queues; try "
                               f"again later", kind="queue-full",
                          headers={"Retry-After": str(state.settings.retry_after)})
        batch = Batch(id=batch_id, kind=kind, formats=formats, issuer=issuer, scheme=scheme,
                      upload_name=name, status="queued", total=records, written=0, failed=0,
                      issues=[], idempotency_key=idempotency_key, token_id=token_id)
        folder = state.jobs.batch_folder(state.settings.data_dir, batch_id)
        folder.parent.mkdir(parents=True, exist_ok=True)
        incoming.rename(folder)
        try:
            await run_in_threadpool(_commit, state, batch)
        except IntegrityError:  # the same key raced in from another request
            shutil.rmtree(folder, ignore_errors=True)
            again = _existing(state, token_id, idempotency_key)
            if again is None:
                raise
            return again, True
        await run_in_threadpool(state.jobs.submit_batch, state.settings, batch_id)
    finally:
        shutil.rmtree(incoming, ignore_errors=True)
    return batch, False


def _commit(state: Service, batch: Batch) -> None:
    with state.sessions() as session:
        session.add(batch)
        session.commit()


def _owned(request: Request, token_id: int, batch_id: str) -> Batch:
    with service(request).sessions() as session:
        batch = session.get(Batch, batch_id)
    if batch is None or batch.token_id != token_id:
        raise Problem(404, f"no batch {batch_id} for this token", kind="no-such-batch")
    return batch


@router.get("/batches/{batch_id}", response_model=BatchStatus, summary="A batch's status",
            responses={401: ERRORS[401], 404: {"description": "No such batch for this token",
                                               "content": {PROBLEM: {}}}})
def get_batch(request: Request, batch_id: BatchId,
              token_id: Annotated[int, Depends(require_token)]) -> BatchStatus:
    return _status(_owned(request, token_id, batch_id))


@router.get("/batches/{batch_id}/files.zip", response_class=FileResponse,
            summary="Every output of a finished batch and its manifest",
            responses={200: {"content": {"application/zip": {}}}, 401: ERRORS[401],
                       404: {"description": "No such batch", "content": {PROBLEM: {}}},
                       409: {"description": "Not done yet", "content": {PROBLEM: {}}}})
def get_files(request: Request, batch_id: BatchId,
              token_id: Annotated[int, Depends(require_token)]) -> Any:
    batch = _owned(request, token_id, batch_id)
    zip_path = service(request).jobs.batch_folder(service(request).settings.data_dir,
                                                  batch_id) / "files.zip"
    if batch.status != "done" or not zip_path.is_file():
        raise Problem(409, f"batch {batch_id} is {batch.status}; the files are ready when it "
                           f"is done", kind="not-done", status_of_batch=batch.status)
    return FileResponse(zip_path, media_type="application/zip",
                        filename=f"grantdocs-{batch_id}.zip")
