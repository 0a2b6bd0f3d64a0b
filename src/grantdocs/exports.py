"""A whole round as open data, in one file: the library call behind ``grantdocs export``.

:func:`export_round` reads and checks every decision (as the letters do), keeps
the awards (granted and partially granted decisions), and writes them in one
of two forms, chosen by the output file's suffix:

* ``"360giving"``: the 360Giving Data Standard, ``.json`` (a data package) or
  ``.csv`` (flattened, with the standard's column titles);
* ``"tilskudd"``: the columns tilskudd.no publishes, ``.csv`` or ``.xlsx``.

The file is written atomically. Invalid records are reported and left out
(``exit_code`` 1), like the letters of the same input; the valid awards are
still written. A case number given twice is invalid the second time
(:func:`grantdocs.validate.check_inputs`), so every grant identifier is unique.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from grantdocs import messages_cli as C
from grantdocs.catalog import Text
from grantdocs.errors import ConfigError, Issue
from grantdocs.model import Case

EXPORTS: dict[str, tuple[str, ...]] = {"360giving": ("json", "csv"), "tilskudd": ("csv", "xlsx")}


@dataclass
class ExportResult:
    """What an export wrote: the file, how many awards and their total, and the issues found."""

    path: Path
    awards: int
    total: Decimal
    issues: list[Issue] = field(default_factory=list)
    failed: int = 0  # invalid records, left out

    @property
    def exit_code(self) -> int:
        return 1 if self.failed or any(i.is_error for i in self.issues) else 0

    def summary(self) -> dict[str, object]:
        return {"path": str(self.path), "awards": self.awards, "total": int(self.total)
                if self.total == self.total.to_integral_value() else float(self.total),
                "failed": self.failed, "exit_code": self.exit_code}


def export_format(export: str, out: Path) -> str:
    """The format of ``out`` for ``export`` (its suffix), or a ConfigError that says which ones."""
    if export not in EXPORTS:
        raise ConfigError(C.EXPORT_UNKNOWN(export=repr(export), known=", ".join(EXPORTS)))
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in EXPORTS[export]:
        suffixes = ["." + f for f in EXPORTS[export]]
        shown: str | Text = suffixes[0]
        if len(suffixes) > 1:
            shown = C.OR(first=", ".join(suffixes[:-1]), last=suffixes[-1])
        raise ConfigError(C.EXPORT_SUFFIX(file=str(out), export=export, suffixes=shown))
    return fmt


def export_round(export: str, inputs: Sequence[Path | str], out: Path | str, *,
                 scheme: Path | None = None, issuer: Path | None = None,
                 templates: Path | None = None, id_prefix: str | None = None,
                 sheet: str | None = None, columns: Path | None = None) -> ExportResult:
    """Write the awards of the decisions in ``inputs`` to ``out`` as ``export``; see the module.

    ``sheet`` and ``columns`` say how spreadsheets are read, as for the letters.
    """
    from grantdocs.decide.opendata import open_data_labels, round_awards
    from grantdocs.files import atomic_write
    from grantdocs.render.environment import template_dirs
    from grantdocs.scheme import load_issuer, load_scheme
    from grantdocs.validate import check_inputs
    from grantdocs.writers import opendata

    out = Path(out)
    fmt = export_format(export, out)
    rules, profile = load_scheme(scheme), load_issuer(issuer)
    lang = profile.default_language.value
    labels = open_data_labels(lang, template_dirs(templates))
    cases: list[Case] = []
    issues: list[Issue] = []
    failed = 0
    for checked in check_inputs(list(inputs), scheme, sheet=sheet, columns=columns):
        issues.extend(checked.issues)
        if checked.case is None:
            failed += 1
        else:
            cases.append(checked.case)
    awards = round_awards(cases, rules, profile, lang=lang, labels=labels["giving360"],
                          id_prefix=id_prefix)
    if export == "360giving":
        data = opendata.giving360_json(awards) if fmt == "json" else opendata.giving360_csv(awards)
    elif fmt == "csv":
        data = opendata.tilskudd_csv(awards, labels["tilskudd"])
    else:
        from grantdocs.writers.xlsx.tilskudd import tilskudd_xlsx

        data = tilskudd_xlsx(awards, labels["tilskudd"])
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(out, data)
    return ExportResult(out, len(awards), sum((a.amount for a in awards), Decimal(0)),
                        issues, failed)
