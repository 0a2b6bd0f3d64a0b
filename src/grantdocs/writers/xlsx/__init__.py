"""The XLSX documents, written with openpyxl.

* :mod:`~grantdocs.writers.xlsx.cells`: reproducible bytes, literal text cells and
  the one set of Norwegian number formats every workbook uses;
* :mod:`~grantdocs.writers.xlsx.accounts_workbook`: the accounts workbook a grantee fills in;
* :mod:`~grantdocs.writers.xlsx.checklist`: the control checklist and the auditor's procedures;
* :mod:`~grantdocs.writers.xlsx.stats`: a round's allocation statistics.

Reading a returned accounts workbook is :mod:`grantdocs.readers.accounts_return`.
"""
