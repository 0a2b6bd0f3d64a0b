"""Old import path: the reader is :mod:`grantdocs.readers.accounts_return`."""

from grantdocs.readers.accounts_return import read_accounts, workbook_identifiers

__all__ = ["read_accounts", "workbook_identifiers"]
