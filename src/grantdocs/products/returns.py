"""Kinds made from returned accounts workbooks: each return matched to its decision.

Checklists and repayment claims read the workbooks grantees send back. Each is
matched to its decision by the reference in the workbook's hidden identifiers;
the date it arrived comes from a list by reference, else one date for all. A
second return for one grant is an error that names the first, and nothing is
made from it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grantdocs import messages as M
from grantdocs import messages_files as F
from grantdocs.batch.digest import Settings
from grantdocs.batch.jobs import Job, StemCounter, failed_row, safe_stem
from grantdocs.batch.manifest import BatchResult
from grantdocs.errors import AccountsError, Location
from grantdocs.model import Case
from grantdocs.products.base import Kind
from grantdocs.validate import cases_by_reference

_FROM_GRANTDOCS = "send the grantee the workbook grantdocs wrote for them"


@dataclass(frozen=True)
class Returned:
    """One returned workbook matched to its valid decision."""

    source: Path
    data: bytes
    case: Case
    lang: str
    received: dt.date
    where: Location


@dataclass(frozen=True)
class ReturnsKind(Kind):
    """A kind whose inputs are returned workbooks of the decisions in ``decisions``."""

    decisions: tuple[Path, ...] = ()
    received: dt.date | None = None
    received_on: Mapping[str, dt.date] = field(default_factory=dict)

    def returns(self, inputs: Sequence[Path | str], settings: Settings,
                result: BatchResult) -> Iterator[Returned]:
        """Every input matched to its decision; the ones that cannot be are failed rows."""
        from grantdocs.limits import current_limits
        from grantdocs.readers.accounts_return import workbook_identifiers
        from grantdocs.readers.zipguard import read_regular_file

        decisions = cases_by_reference(self.decisions, settings.scheme, sheet=settings.sheet,
                                       columns=settings.columns)
        first: dict[str, str] = {}  # reference -> the return read for it
        for source in inputs:
            where = Location(file=str(source))
            try:
                # a regular file within the size limit only: a FIFO or device would block
                data = read_regular_file(source, current_limits())
                ids = workbook_identifiers(data)
            except AccountsError as exc:
                if exc.text is None:
                    result.fail(failed_row(None, where, str(exc)), hint=_FROM_GRANTDOCS)
                else:  # the coded reason, with the advice in the user's language
                    result.fail(failed_row(None, where, str(exc)),
                                text=F.RETURN_REFUSED(problem=exc.text))
                continue
            except OSError as exc:
                result.fail(failed_row(None, where, str(exc)), hint=_FROM_GRANTDOCS)
                continue
            reference, lang = ids["reference"], ids["lang"]
            if lang not in ("nb", "nn"):
                self._fail(result, reference, where, M.RETURN_UNKNOWN_LANGUAGE(lang=repr(lang)))
                continue
            case = decisions.valid.get(reference)
            if case is None:
                invalid = decisions.invalid
                self._fail(result, reference, where, M.RETURN_DECISION_INVALID(
                    reference=reference, why=invalid[reference]) if reference in invalid
                    else M.RETURN_NO_DECISION(reference=reference,
                                              files=", ".join(map(str, self.decisions))))
                continue
            received = self.received_on.get(reference, self.received)
            if received is None:
                self._fail(result, reference, where, M.RETURN_NO_DATE(reference=reference))
                continue
            if (earlier := first.get(case.reference)) is not None:  # one return per grant
                self._fail(result, reference, where,
                           M.RETURN_REPEATED(reference=case.reference, earlier=earlier))
                continue
            first[case.reference] = str(source)
            yield Returned(Path(source), data, case, lang, received, where)

    def languages(self, ret: Returned, settings: Settings) -> tuple[str, ...]:
        """The written forms of the documents made from ``ret``: their templates are hashed."""
        return (ret.lang,)

    @staticmethod
    def _fail(result: BatchResult, reference: str, where: Location, text: M.Text) -> None:
        """A return that makes nothing: a failed row, its coded message the row's error."""
        result.fail(failed_row(reference, where, str(text)), text=text)

    def jobs(self, returns: Iterator[tuple[Returned, dict[str, Any]]], settings: Settings,
             salt: str) -> Iterator[Job]:
        """One job per return with its ``extra`` inputs; the hash covers the workbook's bytes."""
        digests: dict[str, str] = {}
        stems = StemCounter()
        for ret, extra_values in returns:
            case_json, organisation = ret.case.model_dump_json(), ret.case.organisation.name
            # the bytes planned are the bytes rendered: the worker refuses a file changed since
            extra = json.dumps({"return": str(ret.source.resolve()),
                                "sha256": hashlib.sha256(ret.data).hexdigest(),
                                "received": ret.received.isoformat(), **extra_values})
            stem = stems.unique(safe_stem(ret.case.reference, organisation))
            langs = self.languages(ret, settings)
            key = "+".join(langs)
            if key not in digests:
                digests[key] = "\n".join(settings.digest(self, lang) for lang in langs)
            h = hashlib.sha256(f"{digests[key]}\n{case_json}\n{extra}\n{salt}".encode())
            h.update(hashlib.sha256(ret.data).digest())
            yield Job(case_json, ret.case.reference, ret.where, stem, h.hexdigest(),
                      organisation, extra)
