"""Write samples/returns/: a grantee's filled-in accounts workbook for one sample grant.

grantdocs writes the workbook for 22/00133-5 (Åpen dør, kr 250 000, Bokmål); then
this script fills it in with openpyxl the way a person would: budget and actual
amounts, one amount typed as text ("kr 12 500"), a row inserted inside the cost
table, one deviation above the scheme's threshold left unexplained, unspent money,
the auditor block and the signature.

    python tools/make_return_sample.py           # write samples/returns/
    python tools/make_return_sample.py --check   # check that it is up to date

Deterministic: the same bytes on every run. Signed with the public sample key
(``grantdocs.keys.SAMPLE_KEY``; samples/README.md), not the installation's: to read the
sample, set ``GRANTDOCS_SECRET_KEY`` to it (``./run.sh demo`` does).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import re
import sys
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from grantdocs.keys import SAMPLE_KEY, Keyring  # noqa: E402
from grantdocs.model import Case  # noqa: E402
from grantdocs.readers.accounts_return import read_accounts  # noqa: E402
from grantdocs.writers.xlsx.accounts_workbook import write_accounts_workbook  # noqa: E402
from grantdocs.writers.xlsx.cells import workbook_bytes  # noqa: E402

OUT = ROOT / "samples" / "returns"
REFERENCE = "22/00133-5"
FILE = "22-00133-5_Apen-dor-regnskap.xlsx"
SAVED = dt.datetime(2023, 2, 12, 18, 30)

# (category, budget, actual as typed, comment)
FILLED: dict[str, tuple[int, object, str | None]] = {
    "Lønn og honorarer": (120_000, 118_000, None),
    "Frivillige (utgifter)": (12_000, "kr 12 500", None),
    "Leie av lokaler": (30_000, 30_000, None),
    "Aktiviteter og materiell": (40_000, 52_000, None),  # +30 %, not explained
    "Reise": (10_000, 9_000, None),
    "Informasjon og markedsføring": (15_000, 14_000, None),
    "Administrasjon": (10_000, 10_000, None),
    "Andre kostnader": (5_000, 4_500, None),
}
INSERTED = ("Tolketjenester", None, 6_000,
            "Tolk på to samlinger; ikke i budsjettet, avtalt med IMDi 12.05.2022")
INSERT_AFTER = "Aktiviteter og materiell"
OTHER_INCOME = 20_000
OWN_CONTRIBUTION = 15_000
AUDITOR = ("Kari Nilsen", "Revisjon Vest AS", "statsautorisert", dt.datetime(2023, 2, 10))
SIGNED = ("Samira Haddad", dt.datetime(2023, 2, 12))
SAMPLE_KEYRING = Keyring.from_text(SAMPLE_KEY, source="the public sample key")


def sample_case() -> Case:
    doc = json.loads((ROOT / "samples" / "decisions.json").read_text("utf-8"))
    for data in doc["cases"]:
        if data["decision"]["case_number"] == REFERENCE:
            return Case.model_validate(data)
    raise SystemExit(f"{REFERENCE} not in samples/decisions.json")


def row_of(ws: Worksheet, label: str) -> int:
    for row in range(1, ws.max_row + 1):
        if ws.cell(row=row, column=1).value == label:
            return row
    raise KeyError(label)


def insert_row(ws: Worksheet, at: int) -> None:
    """Insert a row before ``at`` and move formula references, as Excel does on insert."""
    ws.insert_rows(at)

    def shift(match: re.Match[str]) -> str:
        column, number = match.group(1), int(match.group(2))
        return f"{column}{number + 1 if number >= at else number}"

    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.value = re.sub(r"\b([A-F])(\d+)\b", shift, cell.value)


def fill_in(ws: Worksheet) -> None:
    """The grantee's entries on the accounts sheet: amounts, comments, the inserted row,
    the other income and own contribution, the auditor and the signature."""
    for name, (budget, actual, comment) in FILLED.items():
        row = row_of(ws, name)
        ws.cell(row=row, column=2, value=budget)
        ws.cell(row=row, column=3, value=actual)
        ws.cell(row=row, column=6, value=comment)
    at = row_of(ws, INSERT_AFTER) + 1
    insert_row(ws, at)
    name, budget, actual, comment = INSERTED
    for column, value in ((1, name), (2, budget), (3, actual), (6, comment)):
        ws.cell(row=at, column=column, value=value)
    ws.cell(row=row_of(ws, "Andre inntekter (andre tilskudd, salg, deltakeravgift)"),
            column=3, value=OTHER_INCOME)
    ws.cell(row=row_of(ws, "Egeninnsats og egne midler"), column=3, value=OWN_CONTRIBUTION)
    for label, value in zip(("Revisorens navn", "Revisjonsselskap",
                             "Statsautorisert eller registrert", "Dato for revisoruttalelsen"),
                            AUDITOR, strict=True):
        ws.cell(row=row_of(ws, label), column=2, value=value)
    signed_by = "Underskrevet av (styreleder, daglig leder eller den som har fullmakt)"
    ws.cell(row=row_of(ws, signed_by), column=2, value=SIGNED[0])
    ws.cell(row=row_of(ws, "Dato"), column=2, value=SIGNED[1])


def filled_workbook() -> bytes:
    wb = load_workbook(io.BytesIO(write_accounts_workbook(sample_case(), keyring=SAMPLE_KEYRING)))
    fill_in(wb["Regnskap"])
    wb.properties.creator = "Åpen dør"
    return workbook_bytes(wb, SAVED)


README = """# A grantee's returned accounts workbook

`{file}` is the accounts workbook grantdocs wrote for decision {reference} (Åpen dør –
nettverk mot negativ sosial kontroll, kr 250 000, Bokmål), filled in the way a grantee
would. It is synthetic, made by `tools/make_return_sample.py`.

What it exercises:
- the default cost categories (the sample application has no budget lines), with the
  grantee's budget and actual amounts;
- "Frivillige (utgifter)" typed as text: `kr 12 500`;
- an inserted row inside the cost table: "Tolketjenester" (kr 6 000, explained);
- "Aktiviteter og materiell" 30 % over budget with no explanation (Avvik in the checklist);
- unspent money: costs kr 256 000 − other income kr 20 000 − own contribution kr 15 000 =
  kr 221 000 grant-funded, so kr 29 000 of the kr 250 000 grant is to be repaid;
- the auditor block filled in (the grant is at least kr 100 000).

Its hidden sheet is signed with the **public sample key** (`samples/README.md`), not with
your installation's secret key, so grantdocs refuses it unless that key is set:

    export GRANTDOCS_SECRET_KEY={key}
    grantdocs read-accounts samples/returns/{file} --decisions samples/decisions.json
    grantdocs checklist --decisions samples/decisions.json --return samples/returns/{file} \\
        --received 2023-02-20 --out out/checklists
"""


def build() -> dict[str, bytes]:
    return {FILE: filled_workbook(),
            "README.md": README.format(file=FILE, reference=REFERENCE,
                                       key=SAMPLE_KEY).encode("utf-8")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="check, do not write")
    args = parser.parse_args(argv)
    files = build()
    problems = []
    if args.check:
        for name, data in files.items():
            if not (OUT / name).is_file() or (OUT / name).read_bytes() != data:
                problems.append(f"samples/returns/{name} is missing or out of date")
    else:
        OUT.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (OUT / name).write_bytes(data)
            print(f"wrote samples/returns/{name}")
    accounts = read_accounts(files[FILE], sample_case(), keyring=SAMPLE_KEYRING)
    print(f"read back: costs {accounts.total_actual}, unspent {accounts.unspent}, "
          f"{len(accounts.errors)} errors, {len(accounts.warnings)} warnings")
    if accounts.unspent != 29_000 or accounts.total_actual != 256_000 or accounts.errors:
        problems.append(f"unexpected read-back: {accounts.model_dump_json()}")
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
