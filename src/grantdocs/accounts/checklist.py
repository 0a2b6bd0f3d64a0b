"""Old import path: see :mod:`grantdocs.decide.checklist` and :mod:`grantdocs.documents`."""

from grantdocs.decide.checklist import (
    Checklist,
    CheckRow,
    Status,
    build_audit_procedures,
    build_checklist,
)
from grantdocs.documents import checklist_pdf_writer, render_audit_procedures, render_checklist

__all__ = [
    "CheckRow",
    "Checklist",
    "Status",
    "build_audit_procedures",
    "build_checklist",
    "checklist_pdf_writer",
    "render_audit_procedures",
    "render_checklist",
]
