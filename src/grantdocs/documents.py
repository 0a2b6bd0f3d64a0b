"""From a decided checklist or a round's statistics to the bytes of one output format.

Each function chains the render step (HTML, in :mod:`grantdocs.render`) and a
writer (PDF/A in :mod:`grantdocs.writers.pdf`, XLSX in :mod:`grantdocs.writers.xlsx`),
the way :class:`grantdocs.letters.LetterRenderer` does for letters::

    checklist = build_checklist(case, read_accounts("retur.xlsx", case), received=date(2023, 2, 20))
    pdf = render_checklist(checklist, "pdf")
    xlsx = render_stats(compute_stats(cases), "xlsx", "nn")
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from grantdocs.accounts_model import AccountsReturn
from grantdocs.decide.checklist import Checklist, build_audit_procedures
from grantdocs.decide.stats import RoundStats
from grantdocs.model import Case
from grantdocs.render.checklist import checklist_html
from grantdocs.render.environment import template_dirs
from grantdocs.render.stats import StatsLang, stats_html
from grantdocs.scheme import Scheme

if TYPE_CHECKING:
    from grantdocs.writers.pdf import PdfWriter

Format = Literal["pdf", "xlsx", "html"]
FORMATS: tuple[Format, ...] = ("pdf", "xlsx", "html")
StatsFormat = Literal["pdf", "xlsx"]


def checklist_pdf_writer(dirs: tuple[Path, ...]) -> PdfWriter:
    """The PDF writer for checklists in ``dirs`` (checklist.css), shared in the process."""
    from grantdocs.writers.pdf import shared_writer

    return shared_writer(dirs, stylesheet="checklist.css")


def render_checklist(checklist: Checklist, fmt: Format = "pdf") -> bytes:
    """The checklist (or auditor's procedures) as PDF/A, HTML or XLSX bytes."""
    if fmt == "xlsx":
        from grantdocs.writers.xlsx.checklist import checklist_xlsx

        return checklist_xlsx(checklist)
    html = checklist_html(checklist)
    if fmt == "html":
        return html.encode("utf-8")
    if fmt == "pdf":
        return checklist_pdf_writer(checklist.templates).write(html)
    raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def render_audit_procedures(
    case: Case, scheme: Scheme | None = None, accounts: AccountsReturn | None = None,
    fmt: Format = "pdf", *, lang: str | None = None,
) -> bytes:
    """The auditor's procedures for ``case`` as PDF/A, HTML or XLSX bytes."""
    return render_checklist(build_audit_procedures(case, scheme, accounts, lang=lang), fmt)


def render_stats(stats: RoundStats, fmt: StatsFormat = "pdf", lang: StatsLang = "nb", *,
                 templates: Path | str | None = None, subtitle: str | None = None) -> bytes:
    """The statistics as PDF/A-2a (tagged, inline SVG charts) or XLSX bytes, in nb or nn.

    ``templates`` is an override folder searched before the bundled templates;
    ``subtitle`` (e.g. the scheme's name and year) goes under the title.
    """
    if lang not in ("nb", "nn"):
        raise ValueError(f"unknown language {lang!r}: use 'nb' or 'nn'")
    if fmt == "xlsx":
        from grantdocs.writers.xlsx.stats import stats_xlsx

        return stats_xlsx(stats, lang, templates=templates, subtitle=subtitle)
    if fmt != "pdf":
        raise ValueError(f"unknown format {fmt!r}: use 'pdf' or 'xlsx'")
    from grantdocs.writers.pdf import shared_writer

    writer = shared_writer(template_dirs(templates), stylesheet="stats.css")
    data: bytes = writer.write(stats_html(stats, lang, templates=templates, subtitle=subtitle))
    return data
