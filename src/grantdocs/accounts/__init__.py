"""Old import paths, kept until every caller uses the new homes (see the modules named below)."""

from __future__ import annotations

from grantdocs.accounts_model import AccountLine, AccountsReturn, AuditorBlock, is_reportable
from grantdocs.errors import AccountsError
from grantdocs.readers.accounts_return import read_accounts
from grantdocs.writers.xlsx.accounts_workbook import write_accounts_workbook

__all__ = [
    "AccountLine",
    "AccountsError",
    "AccountsReturn",
    "AuditorBlock",
    "is_reportable",
    "read_accounts",
    "write_accounts_workbook",
]
