"""grantdocs: Norwegian grant administration documents in Bokmål and Nynorsk.

The public API: read cases, check them, make one letter or a whole round::

    from grantdocs import REPORT_TEMPLATES, read_cases, render_letter, run_batch

    for record in read_cases("samples/decisions.xlsx"):
        if record.case:
            pdf = render_letter(record.case, format="pdf")

    # a whole round: parallel, resumable, with a manifest
    run_batch(["decisions.csv"], "out/letters", ("pdf", "docx"))
    run_batch(["decisions.csv"], "out/reports", ("docx",), kind=REPORT_TEMPLATES)

Everything else is imported from its stage's module (``grantdocs.model``,
``grantdocs.readers``, ``grantdocs.writers.xlsx`` ...). The names below are
imported at first use, so that ``grantdocs --help`` does not load WeasyPrint.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # the names of _PUBLIC, typed (tests/test_public_api.py keeps them equal)
    from grantdocs.batch import BatchResult as BatchResult
    from grantdocs.errors import CaseRefused as CaseRefused
    from grantdocs.errors import GrantdocsError as GrantdocsError
    from grantdocs.errors import Issue as Issue
    from grantdocs.letters import DocumentRenderer as DocumentRenderer
    from grantdocs.letters import LetterRenderer as LetterRenderer
    from grantdocs.letters import render_letter as render_letter
    from grantdocs.model import Case as Case
    from grantdocs.model import json_schemas as json_schemas
    from grantdocs.products import ACCOUNTS_WORKBOOKS as ACCOUNTS_WORKBOOKS
    from grantdocs.products import LETTERS as LETTERS
    from grantdocs.products import REPORT_TEMPLATES as REPORT_TEMPLATES
    from grantdocs.products import checklists as checklists
    from grantdocs.products import repayment_claims as repayment_claims
    from grantdocs.products import run_batch as run_batch
    from grantdocs.readers import ReadRecord as ReadRecord
    from grantdocs.readers import read_cases as read_cases
    from grantdocs.rules import check_case as check_case
    from grantdocs.scheme import load_issuer as load_issuer
    from grantdocs.scheme import load_scheme as load_scheme
    from grantdocs.validate import validate_inputs as validate_inputs

# public name -> the module that defines it
_PUBLIC = {
    "ACCOUNTS_WORKBOOKS": "products",
    "BatchResult": "batch",
    "Case": "model",
    "CaseRefused": "errors",
    "DocumentRenderer": "letters",
    "GrantdocsError": "errors",
    "Issue": "errors",
    "LETTERS": "products",
    "LetterRenderer": "letters",
    "REPORT_TEMPLATES": "products",
    "ReadRecord": "readers",
    "check_case": "rules",
    "checklists": "products",
    "json_schemas": "model",
    "load_issuer": "scheme",
    "load_scheme": "scheme",
    "read_cases": "readers",
    "render_letter": "letters",
    "repayment_claims": "products",
    "run_batch": "products",
    "validate_inputs": "validate",
}

__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'grantdocs' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"grantdocs.{module}"), name)
    globals()[name] = value
    return value
