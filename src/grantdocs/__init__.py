"""grantdocs: Norwegian grant administration documents in Bokmål and Nynorsk.

The public API (imported lazily, so the command line starts fast)::

    from grantdocs import REPORT_TEMPLATES, read_cases, render_letter, run_batch

    for record in read_cases("samples/decisions.xlsx"):
        if record.case:
            pdf = render_letter(record.case, format="pdf")

    # a whole round: parallel, resumable, with a manifest
    run_batch(["decisions.csv"], "out/letters", ("pdf", "docx"))
    run_batch(["decisions.csv"], "out/reports", ("docx",), kind=REPORT_TEMPLATES)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from grantdocs.batch import BatchResult, OutputRecord, Settings
    from grantdocs.errors import CaseRefused, ConfigError, InputError, Issue, Location, Severity
    from grantdocs.letters import DocumentRenderer, LetterRenderer, render_letter
    from grantdocs.model import (
        Application,
        ApplicationKind,
        BudgetLine,
        Case,
        Decision,
        DecisionKind,
        Language,
        Organisation,
        json_schemas,
    )
    from grantdocs.products import (
        ACCOUNTS_WORKBOOKS,
        LETTERS,
        REPORT_TEMPLATES,
        DocumentKind,
        checklists,
        repayment_claims,
        run_batch,
    )
    from grantdocs.readers import ReadRecord, read_cases
    from grantdocs.rules import check_case
    from grantdocs.scheme import Issuer, Scheme, load_issuer, load_scheme
    from grantdocs.validate import validate_inputs

_EXPORTS = {
    "batch": ("BatchResult", "OutputRecord", "Settings"),
    "errors": ("CaseRefused", "InputError", "Issue", "Location", "Severity"),
    "letters": ("DocumentRenderer", "LetterRenderer", "render_letter"),
    "model": ("Application", "ApplicationKind", "BudgetLine", "Case", "Decision", "DecisionKind",
              "Language", "Organisation", "json_schemas"),
    "products": ("ACCOUNTS_WORKBOOKS", "LETTERS", "REPORT_TEMPLATES", "DocumentKind", "checklists",
                 "repayment_claims", "run_batch"),
    "readers": ("ReadRecord", "read_cases"),
    "rules": ("check_case",),
    "scheme": ("ConfigError", "Issuer", "Scheme", "load_issuer", "load_scheme"),
    "validate": ("validate_inputs",),
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = [
    "ACCOUNTS_WORKBOOKS",
    "LETTERS",
    "REPORT_TEMPLATES",
    "Application",
    "ApplicationKind",
    "BatchResult",
    "BudgetLine",
    "Case",
    "CaseRefused",
    "ConfigError",
    "Decision",
    "DecisionKind",
    "DocumentKind",
    "DocumentRenderer",
    "InputError",
    "Issue",
    "Issuer",
    "Language",
    "LetterRenderer",
    "Location",
    "Organisation",
    "OutputRecord",
    "ReadRecord",
    "Scheme",
    "Settings",
    "Severity",
    "__version__",
    "check_case",
    "checklists",
    "json_schemas",
    "load_issuer",
    "load_scheme",
    "read_cases",
    "render_letter",
    "repayment_claims",
    "run_batch",
    "validate_inputs",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'grantdocs' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"grantdocs.{module}"), name)
    globals()[name] = value
    return value
