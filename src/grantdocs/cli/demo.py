"""``grantdocs demo``: every document kind on the bundled samples, as a round would go."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from grantdocs import messages as M
from grantdocs import messages_cli as C
from grantdocs.catalog import Message
from grantdocs.cli.options import FOLDER, IntRange, config_errors


@click.command()
@click.option("--out", "out_dir", default="out", show_default=True, type=FOLDER,
              help="Output folder.")
@click.option("--jobs", "-j", type=IntRange(min=1), default=None,
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
    import os

    from grantdocs.batch import BatchResult, run_batch
    from grantdocs.decide.stats import compute_stats
    from grantdocs.documents import render_stats
    from grantdocs.files import atomic_write
    from grantdocs.i18n import coded, language
    from grantdocs.keys import ENV_KEY, ENV_PREVIOUS, SAMPLE_KEY
    from grantdocs.products import (
        ACCOUNTS_WORKBOOKS,
        LETTERS,
        REPORT_TEMPLATES,
        checklists,
        repayment_claims,
    )
    from grantdocs.readers.accounts_return import read_accounts
    from grantdocs.render.stats import headline_lines
    from grantdocs.resources import samples_dir
    from grantdocs.validate import check_inputs

    def say(message: str) -> None:
        if not quiet:
            click.echo(message, err=True)

    def report(label: Message, result: BatchResult, folder: Path) -> None:
        s = result.summary()
        skipped = M.SKIPPED(count=s["skipped"]) if s["skipped"] else ""
        say(coded(C.DEMO_RESULT(kind=label(), written=s["written"], kept=s["kept"],
                                skipped=skipped, failed=s["failed"], folder=str(folder))))

    # The sample return is signed with the public sample key (samples/README.md); so is
    # every workbook the demo writes (never send them to grantees). Set here, before any
    # worker starts, so the workers sign and verify with it too.
    os.environ[ENV_KEY] = SAMPLE_KEY
    os.environ.pop(ENV_PREVIOUS, None)
    samples = samples_dir()
    decisions = samples / "decisions.json"
    results = []
    for label, product, folder, formats in (
        (C.DEMO_LETTERS, LETTERS, "letters", ("pdf", "docx")),
        (C.DEMO_REPORT_TEMPLATES, REPORT_TEMPLATES, "report-templates", ("docx",)),
        (C.DEMO_ACCOUNTS, ACCOUNTS_WORKBOOKS, "accounts", ("xlsx",)),
    ):
        result = run_batch([decisions], out_dir / folder, formats, kind=product, jobs=jobs)
        report(label, result, out_dir / folder)
        results.append(result)

    # the grantee's return: a received date in February after the grant year
    returns = sorted((samples / "returns").glob("*.xlsx"))
    received = {read_accounts(r).reference: dt.date(2023, 2, 20) for r in returns}
    result = run_batch(returns, out_dir / "checklists", ("pdf", "xlsx"), jobs=jobs,
                       kind=checklists([decisions], received_on=received))
    report(C.DEMO_CHECKLISTS, result, out_dir / "checklists")
    results.append(result)

    claimed = dt.date(2023, 3, 6)  # two weeks after the return arrived
    result = run_batch(returns, out_dir / "claims", ("pdf", "docx"), jobs=jobs,
                       kind=repayment_claims([decisions], received_on=received,
                                             claim_date=claimed))
    report(C.DEMO_CLAIMS, result, out_dir / "claims")
    results.append(result)

    round_cases = [c.case for c in check_inputs([samples / "round-2022" / "decisions.csv"])
                   if c.case is not None]
    stats = compute_stats(round_cases)
    for fmt in ("pdf", "xlsx"):
        target = out_dir / "statistics" / f"tildelinger-2022.{fmt}"
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, render_stats(stats, fmt, "nb"))
    figures = "; ".join(headline_lines(stats, "nn" if language() == "nn" else "nb"))
    say(coded(C.DEMO_STATISTICS(folder=str(out_dir / "statistics"), figures=figures)))
    sys.exit(max(r.exit_code for r in results))
