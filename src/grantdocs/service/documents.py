"""One case in, one document out: ``POST /api/v1/letters?format=pdf|docx|html`` and its kin.

The body is one case as JSON (the ``Case`` model of ``grantdocs schema case``). The
answer is the document's bytes with its content type and, in ``Content-Disposition``,
the file name the CLI would give it (``22-00123-4_Sami-Searvi-Oslo.pdf``). A case the
model cannot read, or one the scheme forbids, is a 422 problem listing each issue with
its ``field`` and ``message``; a kind that has no document for the case (a rejection has
no report template) is a 422 too. ``GET /api/v1/schemas/{name}`` gives the inputs'
JSON Schemas.

The same routes exist for report templates (``/api/v1/report-templates``, DOCX or
HTML) and accounts workbooks (``/api/v1/accounts-workbooks``, XLSX). Checklists and
repayment claims need a returned workbook as well as the case, and statistics a file of
decisions: they are multipart uploads (:mod:`grantdocs.service.upload_routes`).
"""

# No `from __future__ import annotations` here: FastAPI must see the route factory's local
# Format type itself, not a string naming it.

import enum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from grantdocs.model import Case, json_schemas
from grantdocs.service.deps import Service, require_token, service
from grantdocs.service.problems import PROBLEM, Problem
from grantdocs.service.rendering import MEDIA_TYPES, SYNC_KINDS, Outcome, bundled

router = APIRouter(prefix="/api/v1")

IssuerName = enum.StrEnum("IssuerName", {n: n for n in bundled("issuer")})  # type: ignore[misc]
SchemeName = enum.StrEnum("SchemeName", {n: n for n in bundled("scheme")})  # type: ignore[misc]
SchemaName = enum.StrEnum("SchemaName", {n: n for n in json_schemas()})  # type: ignore[misc]

_PROBLEM_DOC = {"content": {PROBLEM: {"schema": {"type": "object"}}}}
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No token, or one that is not known or revoked", **_PROBLEM_DOC},
    413: {"description": "The body is over the size limit", **_PROBLEM_DOC},
    422: {"description": "The case cannot be read, or the scheme forbids it: `issues` lists "
                         "each with its `field` and `message`", **_PROBLEM_DOC},
}


def document_response(state: Service, kind: str, fmt: str, outcome: Outcome, reference: str,
                      field: str) -> Response:
    """The document a worker made, counted in the metrics; or the 422 problem that says why
    there is none (``field`` names what a skipped or unusable input was: the decision, or
    the uploaded file)."""
    if outcome.status == "refused":
        raise Problem(422, f"{reference}: the case breaks the scheme's rules; nothing was "
                           f"rendered", kind="case-refused", issues=outcome.issues)
    if outcome.status in ("unusable", "skipped"):
        problem = "return-refused" if outcome.status == "unusable" else "not-applicable"
        raise Problem(422, f"{reference}: {outcome.reason}", kind=problem,
                      issues=[{"field": field, "message": outcome.reason,
                               "severity": "error"}])
    state.metrics.rendered.labels(kind, fmt).inc()
    state.metrics.durations.labels(kind, fmt).observe(outcome.seconds)
    return Response(outcome.data, media_type=MEDIA_TYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="{outcome.name}"'})


def _route(kind: str, formats: tuple[str, ...]) -> None:
    Format = enum.StrEnum(f"{kind.title().replace('-', '')}Format",  # type: ignore[misc]
                          {f: f for f in formats})
    first = Format(formats[0])

    async def make(
        request: Request,
        case: Case,
        token: Annotated[int, Depends(require_token)],
        format: Annotated[Format, Query(description="The document's format")] = first,
        issuer: Annotated[IssuerName | None, Query(
            description="A bundled issuer profile (default: imdi)")] = None,
        scheme: Annotated[SchemeName | None, Query(
            description="A bundled scheme (default: IMDi's 2022 scheme)")] = None,
    ) -> Response:
        state = service(request)
        fmt = str(format.value)
        outcome = await state.pool.render(kind, case.model_dump_json(), fmt,
                                          issuer.value if issuer else None,
                                          scheme.value if scheme else None)
        return document_response(state, kind, fmt, outcome, case.reference, "decision.kind")

    responses: dict[int | str, dict[str, Any]] = {
        200: {"description": "The document", "content": {
            MEDIA_TYPES[f].split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
            for f in formats}},
        **ERRORS,
    }
    router.add_api_route(f"/{kind}", make, methods=["POST"], response_class=Response,
                         responses=responses, tags=["documents"],
                         name=f"make_{kind.replace('-', '_')}",
                         summary=f"One {kind.rstrip('s').replace('-', ' ')} for one case")


for _kind, _formats in SYNC_KINDS.items():
    _route(_kind, _formats)


@router.get("/schemas/{name}", tags=["schemas"], summary="The JSON Schema of an input")
def schema(name: SchemaName) -> dict[str, Any]:
    """``case``: one case (the body of ``POST /api/v1/letters``); ``round``: a JSON input
    file of many. The same documents ``grantdocs schema case|round`` prints."""
    result: dict[str, Any] = json_schemas()[name.value]
    return result
