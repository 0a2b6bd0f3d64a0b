"""Old import path: the writer is :mod:`grantdocs.writers.xlsx.accounts_workbook`."""

from grantdocs.writers.xlsx.accounts_workbook import write_accounts_workbook

__all__ = ["write_accounts_workbook"]
