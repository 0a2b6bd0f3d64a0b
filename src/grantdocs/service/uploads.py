"""Documents made from an uploaded file, in the render workers (never on the event loop).

* :func:`render_return`: the control checklist, or the repayment claim, of one case
  from the accounts workbook its grantee sent back. The workbook is read as
  ``grantdocs checklist`` and ``grantdocs repayment-claim`` read it: a regular file
  within the input limits (:mod:`grantdocs.readers.zipguard`), its hidden identifiers
  signed with the key of the process (the service's key: see
  :meth:`~grantdocs.service.settings.ServiceSettings.adopt_key`) and belonging to the
  case (reference, organisation number, grant); then the document kind of the CLI
  renders it (:mod:`grantdocs.products.checklist`, :mod:`grantdocs.products.repayment_claim`).
* :func:`render_stats_upload`: a round's statistics from an uploaded file of decisions,
  read and checked as ``grantdocs stats`` reads them.

What comes back is an :class:`~grantdocs.service.rendering.Outcome`: plain data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from pathlib import Path
from typing import Any

from grantdocs.service.rendering import Outcome, bundled_path, issue_entry

RETURN_KINDS: dict[str, tuple[str, ...]] = {
    "checklists": ("pdf", "xlsx", "html"),
    "repayment-claims": ("pdf", "docx"),
}
STATS_FORMATS = ("pdf", "xlsx")

_STATES: dict[tuple[str, str | None, str | None, str], Any] = {}


def _kind(name: str) -> Any:
    from grantdocs.products import checklists, repayment_claims

    return checklists(()) if name == "checklists" else repayment_claims(())


def _state(kind_name: str, issuer: str | None, scheme: str | None, fmt: str) -> Any:
    from grantdocs.batch.digest import Settings

    key = (kind_name, issuer, scheme, fmt)
    if key not in _STATES:
        settings = Settings(scheme=bundled_path("scheme", scheme),
                            issuer=bundled_path("issuer", issuer))
        _STATES[key] = _kind(kind_name).start(settings, (fmt,))
    return _STATES[key]


def render_return(path: str, kind_name: str, case_json: str, fmt: str, issuer: str | None,
                  scheme: str | None, received: str, claim_date: str) -> Outcome:
    """The ``kind_name`` document of the case (validated by the API) from the returned
    workbook at ``path``; ``received`` and ``claim_date`` are ISO dates."""
    from grantdocs.batch.jobs import Job, safe_stem
    from grantdocs.errors import AccountsError, CaseRefused, Location, NotApplicable, RecordRefused
    from grantdocs.limits import current_limits
    from grantdocs.model import Case
    from grantdocs.products.repayment_claim import NOTHING_UNSPENT
    from grantdocs.readers.accounts_return import read_accounts
    from grantdocs.readers.zipguard import read_regular_file
    from grantdocs.rules import refuse_forbidden

    started = time.perf_counter()
    kind = _kind(kind_name)
    state = _state(kind_name, issuer, scheme, fmt)
    case = Case.model_validate_json(case_json)
    try:
        refuse_forbidden(case, state.scheme)
    except CaseRefused as refused:
        return Outcome("refused", issues=[issue_entry(i) for i in refused.issues if i.is_error])
    try:
        data = read_regular_file(Path(path), current_limits())
        accounts = read_accounts(data, case)
    except (AccountsError, OSError) as exc:
        return Outcome("unusable", reason=f"returned workbook refused: {exc}")
    extra: dict[str, Any] = {"received": received}
    if kind_name == "checklists":
        extra |= {"return": str(Path(path).resolve()),
                  "sha256": hashlib.sha256(data).hexdigest()}
    else:
        if accounts.unspent <= 0:
            return Outcome("skipped", reason=NOTHING_UNSPENT)
        costs = (accounts.total_actual, accounts.other_income or 0,
                 accounts.own_contribution or 0)
        extra |= {"unspent": str(accounts.unspent), "claim_date": claim_date,
                  "costs": [str(c) for c in costs]}
    job = Job(case.model_dump_json(), case.reference, Location(),
              safe_stem(case.reference, case.organisation.name), "", case.organisation.name,
              json.dumps(extra))
    try:
        rendered = kind.render(state, job, (fmt,))
    except RecordRefused as exc:
        return Outcome("unusable", reason=str(exc))
    except NotApplicable as exc:
        return Outcome("skipped", reason=str(exc))
    first = rendered.files[0]
    return Outcome("ok", name=first.name, data=first.data,
                   seconds=time.perf_counter() - started)


def render_stats_upload(path: str, name: str, fmt: str, lang: str,
                        scheme: str | None) -> Outcome:
    """The statistics of every decision in the upload that can be read (a breach of the
    scheme's rules is counted, as ``grantdocs stats`` counts it); the records that cannot
    be read are left out and listed. Nothing readable at all is ``unusable``."""
    from grantdocs.decide.stats import compute_stats
    from grantdocs.documents import render_stats
    from grantdocs.errors import GrantdocsError
    from grantdocs.model import Case
    from grantdocs.render.stats import StatsLang
    from grantdocs.scheme import load_scheme
    from grantdocs.validate import check_inputs

    started = time.perf_counter()
    rules_file = bundled_path("scheme", scheme)
    cases: list[Case] = []
    issues: list[dict[str, Any]] = []
    left_out = 0
    try:
        for checked in check_inputs((Path(path),), rules_file, breaches_as_warnings=True):
            if checked.case is None:
                left_out += 1
                issues += [_named(issue_entry(i), checked.location.row, path, name)
                           for i in checked.issues if i.is_error]
            else:
                cases.append(checked.case)
    except GrantdocsError as exc:
        return Outcome("unusable", reason=str(exc).replace(path, name))
    if not cases:
        return Outcome("unusable", reason=f"{name}: no decision in it can be read",
                       issues=issues[:100], left_out=left_out)
    rules = load_scheme(rules_file)
    written: StatsLang = "nn" if lang == "nn" else "nb"
    data = render_stats(compute_stats(cases), "xlsx" if fmt == "xlsx" else "pdf", written,
                        subtitle=f"{rules.name(written)} {rules.year}")
    stamp = dt.date.today().isoformat()
    return Outcome("ok", name=f"statistikk-{stamp}.{fmt}", data=data, issues=issues[:100],
                   left_out=left_out, seconds=time.perf_counter() - started)


def _named(entry: dict[str, Any], row: int | None, path: str, name: str) -> dict[str, Any]:
    """An issue of the upload naming the user's file and row, not the server's copy."""
    return {**entry, "message": str(entry["message"]).replace(path, name), "row": row}
