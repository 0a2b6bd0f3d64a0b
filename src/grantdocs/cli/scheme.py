"""``grantdocs scheme show``: what a scheme allows, from its TOML file.

Sub-goals and reason codes with their Bokmål and Nynorsk labels, and the
limits (amounts, percentages, deadlines) that validation and the documents use.
The labels are the scheme file's own; this module only lays them out.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from grantdocs import messages_cli as C
from grantdocs.cli.options import SCHEME_FILE, config_errors
from grantdocs.cli.usage import LocalGroup
from grantdocs.i18n import part

if TYPE_CHECKING:
    from grantdocs.scheme import Scheme

LANGS = ("nb", "nn")


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _filled(text: str, values: dict[str, str]) -> str:
    """The scheme's placeholders ({measure_min} ...) filled in, as the letters show them."""
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def scheme_summary(rules: Scheme) -> dict[str, Any]:
    """The scheme's codes, labels and limits as plain data (what ``--json`` prints)."""
    from grantdocs.scheme import load_issuer, scheme_values

    issuer = load_issuer()
    values = {lang: scheme_values(rules, issuer, lang) for lang in LANGS}
    limits = rules.limits
    return {
        "id": rules.id,
        "year": rules.year,
        "name": {lang: rules.name(lang) for lang in LANGS},
        "chapter": rules.chapter,
        "post": rules.post,
        "sub_goals": [{"code": goal.code, **{lang: goal.text(lang) for lang in LANGS}}
                      for goal in rules.sub_goals],
        "reasons": [{"code": reason.code,
                     **{lang: _filled(reason.text(lang), values[lang]) for lang in LANGS},
                     "criterion": reason.criterion} for reason in rules.reasons],
        "limits": {
            "measure_min": _number(limits.measure_min),
            "project_budget_max": _number(limits.project_budget_max),
            "audit_threshold": _number(limits.audit_threshold),
            "deviation_explain_pct": _number(limits.deviation_explain_pct),
        },
        "deadlines": {
            "appeal_weeks": rules.appeal.deadline_weeks,
            "report_deadline_month_day": rules.reporting.deadline_month_day,
        },
    }


def _labelled(code: str, labels: dict[str, Any], width: int) -> list[str]:
    lines = []
    for index, lang in enumerate(LANGS):
        head = code.ljust(width) if index == 0 else " " * width
        lines.append(f"  {head}  {lang}: {labels[lang]}")
    return lines


def summary_lines(summary: dict[str, Any]) -> list[str]:
    """The summary as the text ``grantdocs scheme show`` prints."""
    names = " / ".join(summary["name"][lang] for lang in LANGS)
    lines = [f"{summary['id']} ({summary['year']}): {names}",
             part(C.SCHEME_CHAPTER, chapter=summary["chapter"], post=summary["post"]), "",
             part(C.SCHEME_SUB_GOALS)]
    width = max((len(g["code"]) for g in summary["sub_goals"]), default=0)
    for goal in summary["sub_goals"]:
        lines += _labelled(goal["code"], goal, width)
    lines += ["", part(C.SCHEME_REASONS)]
    width = max((len(r["code"]) for r in summary["reasons"]), default=0)
    for reason in summary["reasons"]:
        lines += _labelled(reason["code"], reason, width)
    lines += ["", part(C.SCHEME_LIMITS)]
    for key, value in {**summary["limits"], **summary["deadlines"]}.items():
        lines.append(f"  {key}: {value}")
    return lines


@click.group(cls=LocalGroup)
def scheme() -> None:
    """The scheme's rules: sub-goals, reason codes and limits."""


@scheme.command()
@click.option("--scheme", "scheme_file", type=SCHEME_FILE, metavar="FILE|NAME",
              help="Scheme rules (TOML), or a bundled scheme: imdi-integreringsarbeid-2022, "
                   "bjornafjorden-integreringsarbeid-2022. Default: IMDi's 2022 scheme.")
@click.option("--json", "as_json", is_flag=True, help="Print the same as JSON.")
@config_errors
def show(scheme_file: Path | None, as_json: bool) -> None:
    """Print the sub-goals, reason codes (Bokmål and Nynorsk labels) and limits of a scheme."""
    from grantdocs.scheme import load_scheme

    summary = scheme_summary(load_scheme(scheme_file))
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(summary_lines(summary)))
