"""Documents derived from a decision: the annual report template and the repayment claim.

Both reuse the letter context (the same facts, in the recipient's written form)
and the same path as the letters: one rendered HTML from ``templates/<lang>/``,
then DOCX (and PDF for the claim) derived from it.
"""

from __future__ import annotations

from grantdocs.decide.repayment import Repayment
from grantdocs.errors import NotApplicable
from grantdocs.model import Case, DecisionKind
from grantdocs.render.document import DocumentRenderer, HtmlDocument
from grantdocs.rules import refuse_forbidden


def report_template_html(renderer: DocumentRenderer, case: Case,
                         lang: str | None = None) -> HtmlDocument:
    """The annual report template for a granted or partially granted case."""
    if case.decision.kind is DecisionKind.REJECTED:
        raise NotApplicable(f"{case.reference}: a rejection has no annual report")
    return renderer.render_html(case, "report-template.html", "report-template", lang=lang)


def render_report_template(case: Case, renderer: DocumentRenderer | None = None,
                           lang: str | None = None, *, check: bool = True) -> bytes:
    """The pre-filled annual report template as DOCX bytes, in the recipient's written form.

    Raises :class:`~grantdocs.errors.CaseRefused` for a case that breaks a scheme
    rule, unless ``check=False``.
    """
    renderer = renderer or DocumentRenderer()
    if check:
        refuse_forbidden(case, renderer.scheme)
    letter = report_template_html(renderer, case, lang)
    return renderer.convert(letter, case, "docx")


def repayment_claim_html(renderer: DocumentRenderer, case: Case, repayment: Repayment,
                         lang: str | None = None) -> HtmlDocument:
    account = repayment.account or renderer.issuer.bank_account or ""
    if not account:
        raise NotApplicable("the issuer profile has no bank_account for repayments")
    values = {**repayment.__dict__, "account": account}
    return renderer.render_html(claim_case(case, repayment), "repayment-claim.html",
                                "repayment-claim", {"repayment": values}, lang)


def claim_case(case: Case, repayment: Repayment) -> Case:
    """The claim is a new decision: same case, dated the day of the claim."""
    return case.model_copy(
        update={"decision": case.decision.model_copy(update={"date": repayment.claim_date})})


def render_repayment_claim(case: Case, repayment: Repayment, fmt: str = "pdf",
                           renderer: DocumentRenderer | None = None, *,
                           check: bool = True) -> bytes:
    """The repayment claim (a new decision, with reasons and appeal rights) as PDF or DOCX.

    Raises :class:`~grantdocs.errors.CaseRefused` for a case that breaks a scheme
    rule, unless ``check=False``.
    """
    renderer = renderer or DocumentRenderer()
    if check:
        refuse_forbidden(case, renderer.scheme)
    letter = repayment_claim_html(renderer, case, repayment)
    return renderer.convert(letter, claim_case(case, repayment), fmt)  # type: ignore[arg-type]
