"""The documents the writer tests have LibreOffice read, converted in one run per session."""

from __future__ import annotations

import datetime as dt

LETTERS = (("granted", "nb"), ("partial", "nb"), ("rejected", "nb"), ("partial", "nn"))
CHECKLIST_RECEIVED = dt.date(2023, 2, 20)


def documents() -> dict[str, bytes]:
    """Every DOCX and XLSX the tests look at through LibreOffice, by file name (the session's
    ``libreoffice_pdfs`` fixture, in tests/conftest.py, converts them in one run)."""
    from grantdocs.decide.checklist import build_checklist
    from grantdocs.documents import render_checklist
    from grantdocs.readers.accounts_return import read_accounts
    from grantdocs.reports import render_report_template
    from grantdocs.writers.docx import html_to_docx
    from grantdocs.writers.xlsx.accounts_workbook import write_accounts_workbook
    from tests.helpers import make_case, rendered
    from tests.workbooks import RETURN, sample_cases
    from tests.writers.test_docx import META, letter_html

    out = {f"letter-{kind}-{lang}.docx": rendered(kind, lang, "docx") for kind, lang in LETTERS}
    out["fragment-letter.docx"] = html_to_docx(letter_html(), META)
    case = next(c for c in sample_cases() if c.reference == "22/00133-5")
    accounts = read_accounts(RETURN, case)
    for lang in ("nb", "nn"):
        out[f"report-{lang}.docx"] = render_report_template(make_case("granted", lang))
        out[f"accounts-{lang}.xlsx"] = write_accounts_workbook(make_case(lang=lang))
        checklist = build_checklist(case, accounts, CHECKLIST_RECEIVED, lang=lang)
        out[f"checklist-{lang}.xlsx"] = render_checklist(checklist, "xlsx")
    out["accounts-filled.xlsx"] = RETURN.read_bytes()
    out["report-partial-nn.docx"] = render_report_template(make_case("partial", "nn"))
    return out
