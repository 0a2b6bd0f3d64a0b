"""``grantdocs demo``: every document kind on the bundled samples, as a round would go."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from grantdocs.cli.options import config_errors


@click.command()
@click.option("--out", "out_dir", default="out", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Output folder.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the number of CPUs).")
@click.option("--quiet", "-q", is_flag=True)
@config_errors
def demo(out_dir: Path, jobs: int | None, quiet: bool) -> None:
    """Run grantdocs on the bundled samples: the whole round trip.

    letters/ (PDF/A and DOCX), report-templates/ and accounts/ (what grantees get),
    checklists/ and claims/ (from the sample return, a filled-in workbook with a
    deviation and unspent money), and statistics/ for the 2022 round.
    """
    import datetime as dt

    from grantdocs.accounts import is_reportable, read_accounts, write_accounts_workbook
    from grantdocs.accounts.checklist import build_checklist, render_checklist
    from grantdocs.batch import atomic_write, check_inputs, run_batch
    from grantdocs.letters import LetterRenderer, safe_stem
    from grantdocs.reports import render_repayment_claim, repayment_claim, write_report_templates
    from grantdocs.resources import samples_dir
    from grantdocs.scheme import load_scheme
    from grantdocs.stats import compute_stats, headline_lines, render_stats

    def say(message: str) -> None:
        if not quiet:
            click.echo(message, err=True)

    samples = samples_dir()
    decisions = samples / "decisions.json"
    result = run_batch([decisions], out_dir / "letters", ("pdf", "docx"), jobs=jobs)
    s = result.summary()
    say(f"letters: {s['written']} written, {s['kept']} unchanged, {s['failed']} failed "
        f"-> {out_dir / 'letters'}")

    cases = [c.case for c in check_inputs([decisions]) if c.case is not None]
    renderer = LetterRenderer()
    reports = write_report_templates(cases, out_dir / "report-templates", renderer)
    say(f"report templates: {len(reports)} -> {out_dir / 'report-templates'}")
    (out_dir / "accounts").mkdir(parents=True, exist_ok=True)
    workbooks = 0
    for case in filter(is_reportable, cases):
        name = f"{safe_stem(case.reference, case.organisation.name)}_regnskap.xlsx"
        atomic_write(out_dir / "accounts" / name, write_accounts_workbook(case, load_scheme()))
        workbooks += 1
    say(f"accounts workbooks: {workbooks} -> {out_dir / 'accounts'}")

    for returned in sorted((samples / "returns").glob("*.xlsx")):
        probe = read_accounts(returned)
        case = next(c for c in cases if c.reference == probe.reference)
        accounts = read_accounts(returned, case)
        received = dt.date(case.decision.date.year + 1, 2, 20)
        stem = safe_stem(case.reference, case.organisation.name)
        checklist = build_checklist(case, accounts, received, load_scheme())
        for fmt in ("pdf", "xlsx"):
            target = out_dir / "checklists" / f"{stem}_kontroll.{fmt}"
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(target, render_checklist(checklist, fmt))
        say(f"checklist for {case.reference}: unspent {accounts.unspent} kr "
            f"-> {out_dir / 'checklists'}")
        if accounts.unspent > 0:
            claim = repayment_claim(case, accounts.unspent, received=received,
                                    claim_date=received + dt.timedelta(days=14))
            for fmt in ("pdf", "docx"):
                target = out_dir / "claims" / f"{stem}_tilbakebetaling.{fmt}"
                target.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(target, render_repayment_claim(case, claim, fmt, renderer))
            say(f"repayment claim for {case.reference} -> {out_dir / 'claims'}")

    round_cases = [c.case for c in check_inputs([samples / "round-2022" / "decisions.csv"])
                   if c.case is not None]
    stats = compute_stats(round_cases)
    for fmt in ("pdf", "xlsx"):
        target = out_dir / "statistics" / f"tildelinger-2022.{fmt}"
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, render_stats(stats, fmt, "nb"))  # type: ignore[arg-type]
    say("statistics 2022: " + "; ".join(headline_lines(stats, "nb")))
    sys.exit(result.exit_code)
