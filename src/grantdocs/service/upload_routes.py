"""Documents made from an uploaded file: checklists, repayment claims, statistics.

* ``POST /api/v1/checklists?format=pdf|xlsx|html`` and
  ``POST /api/v1/repayment-claims?format=pdf|docx``: multipart with ``case`` (the case
  as JSON, as ``POST /api/v1/letters`` takes it) and ``file`` (the accounts workbook
  the grantee sent back, XLSX) → the control checklist, or the claim for unspent grant
  money. The workbook must be one this service signed (``POST
  /api/v1/accounts-workbooks`` or a batch) and belong to the case; a forged, altered
  or foreign one, or one with nothing unspent (no claim), is a 422 problem.
  ``received`` (the date the accounts arrived) and, for a claim, ``claim_date`` default
  to today.
* ``POST /api/v1/stats?format=pdf|xlsx&lang=nb|nn``: multipart ``file`` (decisions as
  CSV, XLSX or JSON) → the round's statistics. Every record that can be read is
  counted; the rest are left out, their number in the ``Grantdocs-Left-Out`` header.

Each upload is saved to a private folder under the data folder, read in a render
worker against every input limit (:mod:`grantdocs.service.uploads`), and removed.
"""

# No `from __future__ import annotations`: FastAPI must see the local Format types itself.

import datetime as dt
import enum
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from grantdocs.model import Case
from grantdocs.service.deps import Service, require_token, service
from grantdocs.service.documents import ERRORS, IssuerName, SchemeName, document_response
from grantdocs.service.problems import Problem
from grantdocs.service.rendering import MEDIA_TYPES, Outcome
from grantdocs.service.uploads import (
    RETURN_KINDS,
    STATS_FORMATS,
    render_return,
    render_stats_upload,
)

router = APIRouter(prefix="/api/v1", tags=["documents"])

_STATS_SUFFIXES = (".csv", ".xlsx", ".json")
_LEFT_OUT = "Grantdocs-Left-Out"


def _responses(formats: tuple[str, ...], what: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"description": what, "content": {
        MEDIA_TYPES[f].split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
        for f in formats}}, **ERRORS}


def _case(text: str) -> Case:
    """The ``case`` form field read as the letters route reads its body: 422 per field."""
    try:
        return Case.model_validate_json(text)
    except ValidationError as exc:
        issues = [{"field": ".".join(["case", *map(str, e["loc"])]) if e["loc"] else "case",
                   "message": e["msg"], "severity": "error"} for e in exc.errors()]
        raise Problem(422, f"the request is not valid: {len(issues)} issue(s)",
                      kind="invalid-request", issues=issues) from None


def _save(upload: UploadFile, folder: Path, name: str) -> Path:
    target = folder / name
    with target.open("wb") as out:
        shutil.copyfileobj(upload.file, out, 1024 * 1024)
    return target


async def _with_upload(state: Service, upload: UploadFile, name: str,
                       work: Any, *args: Any) -> Outcome:
    """``work(path, *args)`` in a render worker (a function of :mod:`.uploads`, which the
    worker imports without FastAPI), the upload saved at ``path`` meanwhile."""
    folder = Path(tempfile.mkdtemp(prefix=".upload-", dir=state.settings.data_dir))
    try:
        path = await run_in_threadpool(_save, upload, folder, name)
        outcome: Outcome = await state.pool.call(work, str(path), *args)
        return outcome
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _claim_date(claim_date: Annotated[dt.date | None, Query(
        description="The date of the claim (default: today)")] = None) -> dt.date | None:
    return claim_date


def _undated() -> dt.date | None:
    return None


def _return_route(kind: str, formats: tuple[str, ...], what: str) -> None:
    Format = enum.StrEnum(f"{kind.title().replace('-', '')}Format",  # type: ignore[misc]
                          {f: f for f in formats})
    first = Format(formats[0])
    dated = _claim_date if kind == "repayment-claims" else _undated  # a claim is a decision

    async def make(
        request: Request,
        token: Annotated[int, Depends(require_token)],
        claim_date: Annotated[dt.date | None, Depends(dated)],
        case: Annotated[str, Form(description="The case, as JSON (the body of "
                                              "POST /api/v1/letters)")],
        file: Annotated[UploadFile, File(description="The returned accounts workbook (XLSX)")],
        format: Annotated[Format, Query(description="The document's format")] = first,
        received: Annotated[dt.date | None, Query(
            description="The date the accounts arrived (default: today)")] = None,
        issuer: Annotated[IssuerName | None, Query(
            description="A bundled issuer profile (default: imdi)")] = None,
        scheme: Annotated[SchemeName | None, Query(
            description="A bundled scheme (default: IMDi's 2022 scheme)")] = None,
    ) -> Response:
        state = service(request)
        checked = _case(case)
        fmt = str(format.value)
        today = dt.date.today()
        outcome = await _with_upload(
            state, file, "return.xlsx", render_return, kind, checked.model_dump_json(), fmt,
            issuer.value if issuer else None, scheme.value if scheme else None,
            (received or today).isoformat(), (claim_date or today).isoformat())
        return document_response(state, kind, fmt, outcome, checked.reference, "file")

    router.add_api_route(f"/{kind}", make, methods=["POST"], response_class=Response,
                         responses=_responses(formats, what),
                         name=f"make_{kind.replace('-', '_')}",
                         summary=f"The {what.lower()} of one case from its returned workbook")


_return_route("checklists", RETURN_KINDS["checklists"], "Control checklist")
_return_route("repayment-claims", RETURN_KINDS["repayment-claims"], "Repayment claim")

StatsFormat = enum.StrEnum("StatsFormat", {f: f for f in STATS_FORMATS})  # type: ignore[misc]
_STATS_DEFAULT = StatsFormat(STATS_FORMATS[0])


@router.post("/stats", response_class=Response, name="make_stats",
             responses=_responses(STATS_FORMATS, "The statistics"),
             summary="A round's allocation statistics from a file of decisions")
async def make_stats(
    request: Request,
    token: Annotated[int, Depends(require_token)],
    file: Annotated[UploadFile, File(description="The decisions: CSV, XLSX or JSON")],
    format: Annotated[StatsFormat, Query(
        description="PDF/A with charts, or XLSX")] = _STATS_DEFAULT,
    lang: Annotated[Literal["nb", "nn"], Query(
        description="Written form: nb (Bokmål) or nn (Nynorsk)")] = "nb",
    scheme: Annotated[SchemeName | None, Query(
        description="A bundled scheme (default: IMDi's 2022 scheme)")] = None,
) -> Response:
    """Every decision that can be read is counted, also one that breaks a scheme rule;
    the records that cannot be read are left out (their number in ``Grantdocs-Left-Out``)."""
    from grantdocs.batch.jobs import safe_stem

    state = service(request)
    given = Path((file.filename or "").replace("\\", "/")).name
    suffix = Path(given).suffix.lower()
    if suffix not in _STATS_SUFFIXES:
        raise Problem(422, f"the file must be CSV, XLSX or JSON (.csv, .xlsx, .json), not "
                           f"{suffix or 'a file without a suffix'}", kind="bad-upload",
                      issues=[{"field": "file", "message": "not .csv, .xlsx or .json"}])
    name = safe_stem(Path(given).stem)[:100] + suffix
    fmt = str(format.value)
    outcome = await _with_upload(state, file, name, render_stats_upload, name, fmt, lang,
                                 scheme.value if scheme else None)
    if outcome.status != "ok":
        raise Problem(422, outcome.reason, kind="upload-refused",
                      issues=outcome.issues or [{"field": "file", "message": outcome.reason,
                                                 "severity": "error"}])
    answer = document_response(state, "stats", fmt, outcome, name, "file")
    answer.headers[_LEFT_OUT] = str(outcome.left_out)
    return answer
