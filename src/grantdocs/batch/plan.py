"""Planning a run: one job per valid record the document kind applies to.

Every record is read and checked before rendering starts, so the total is
known and every error is reported before the long part.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from grantdocs.batch.digest import Settings
from grantdocs.batch.jobs import DocumentKind, Job, StemCounter, safe_stem
from grantdocs.batch.manifest import BatchResult, OutputRecord
from grantdocs.scheme import load_issuer
from grantdocs.validate import check_inputs


def plan_cases(kind: DocumentKind, inputs: Sequence[Path | str], settings: Settings,
               result: BatchResult) -> Iterator[Job]:
    """Yield one job per valid record ``kind`` applies to.

    Failed records (with their first error) and skipped ones (a rejection has no
    report template) go straight into ``result``, and every issue with them.
    """
    from grantdocs.render.context import letter_language

    issuer = load_issuer(settings.issuer)
    digests: dict[str, str] = {}
    stems = StemCounter()
    for checked in check_inputs(inputs, settings.scheme, sheet=settings.sheet,
                                columns=settings.columns, issuer=issuer):
        result.issues.extend(checked.issues)
        where = checked.location
        case = checked.case
        if case is None:
            first = next((i for i in checked.issues if i.is_error), None)
            result.outputs.append(OutputRecord(
                reference=first.reference if first else None, kind=None, language=None,
                format=None, path=None, pages=None, bytes=None, sha256=None, status="failed",
                error=first.message if first else "invalid record",
                file=where.file, row=where.row, field=first.location.field if first else None))
            continue
        reason = kind.skip_reason(case)
        if reason is not None:
            result.outputs.append(OutputRecord(
                case.reference, None, None, None, None, None, None, None, "skipped",
                error=reason, file=where.file, row=where.row,
                organisation=case.organisation.name))
            continue
        stem = stems.unique(safe_stem(case.reference, case.organisation.name))
        case_json = case.model_dump_json()
        lang = letter_language(case, issuer)
        if lang not in digests:
            digests[lang] = settings.digest(kind, lang)
        yield Job(case_json, case.reference, where, stem,
                  hashlib.sha256(f"{digests[lang]}\n{case_json}".encode()).hexdigest(),
                  case.organisation.name)
