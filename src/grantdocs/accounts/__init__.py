"""Grantees' accounts: the pre-filled workbook, reading it back, and the control checklist.

>>> data = write_accounts_workbook(case)            # doctest: +SKIP
>>> accounts = read_accounts("retur.xlsx", case)    # doctest: +SKIP
>>> checklist = build_checklist(case, accounts, received=date(2023, 2, 20))  # doctest: +SKIP
>>> pdf = render_checklist(checklist, "pdf")        # doctest: +SKIP
"""

from __future__ import annotations

from grantdocs.accounts.model import AccountLine, AccountsReturn, AuditorBlock
from grantdocs.accounts.readback import read_accounts
from grantdocs.accounts.workbook import is_reportable, write_accounts_workbook
from grantdocs.errors import AccountsError

__all__ = [
    "AccountLine",
    "AccountsError",
    "AccountsReturn",
    "AuditorBlock",
    "is_reportable",
    "read_accounts",
    "write_accounts_workbook",
]
