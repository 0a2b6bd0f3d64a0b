"""The control checklist and the auditor's procedures as one semantic HTML document each.

The rows are decided in :mod:`grantdocs.decide.checklist`; the layout is
``templates/_report.html``, extended per written form by
``templates/<lang>/checklist.html`` and ``templates/<lang>/audit-procedures.html``.
"""

from __future__ import annotations

from grantdocs.decide.checklist import Checklist
from grantdocs.model import Language
from grantdocs.render.environment import render_template


def checklist_html(checklist: Checklist) -> str:
    """The checklist (or the auditor's procedures) as HTML, ready for the PDF writer."""
    name = "checklist.html" if checklist.kind == "control" else "audit-procedures.html"
    context = {"c": checklist, "lang": checklist.lang, "lang_tag": Language(checklist.lang).tag}
    return render_template(f"{checklist.lang}/{name}", context, checklist.templates)
