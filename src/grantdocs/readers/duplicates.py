"""A case number that appears twice among the inputs of one run.

Two rows with one case number would give two letters with the same "Vår
referanse", so the later row is an error that names the earlier one, and only
the first is made. Rows are compared across every input of the run.
"""

from __future__ import annotations

from grantdocs.errors import Issue, Location, Severity, issue
from grantdocs.messages import CASE_NUMBER_REPEATED, IN_FILE, ROW
from grantdocs.readers.record import ReadRecord


def reference_of(record: ReadRecord) -> str | None:
    """The case number of a record, also of one that failed (from its issues)."""
    if record.case is not None:
        return record.case.reference
    return next((i.reference for i in record.issues if i.reference), None)


class CaseNumbers:
    """The case numbers seen so far, and where each was first seen."""

    def __init__(self) -> None:
        self._first: dict[str, Location] = {}

    def check(self, record: ReadRecord) -> Issue | None:
        """None for a case number not seen before; else the error for the later row."""
        reference = reference_of(record)
        if reference is None:
            return None
        key = " ".join(reference.split()).casefold()
        earlier = self._first.get(key)
        if earlier is None:
            self._first[key] = record.location
            return None
        where = (ROW(row=earlier.row or 0) if earlier.file == record.location.file
                 else IN_FILE(file=earlier.file or "", row=earlier.row or 0))
        return issue(Severity.ERROR, CASE_NUMBER_REPEATED(reference=repr(reference), where=where),
                     record.locate("decision.case_number"), reference=reference)
