"""Decide what a document says, from the records and the scheme: no templates, no file formats.

* :mod:`~grantdocs.decide.checklist`: the rows of the caseworker's control checklist
  and of the auditor's procedures;
* :mod:`~grantdocs.decide.stats`: a round's allocation statistics;
* :mod:`~grantdocs.decide.repayment`: a repayment claim's figures;
* :mod:`~grantdocs.decide.archive` and :mod:`~grantdocs.decide.opendata`: the typed
  records that the archive and open-data writers turn into bytes.

The HTML of checklists and statistics is rendered in :mod:`grantdocs.render`, their
bytes written in :mod:`grantdocs.writers`, and :mod:`grantdocs.documents` chains the two.
"""
