"""A caseworker's own sheet gives every letter on the first try.

The sheet is built the way caseworkers build them (review 2026-12-ux, persona A):
two title rows above the headers, abbreviated and synonym headers in loose case
and spacing, real and typed dates, amounts such as "50 000,-", and written forms
such as "NN". ``grantdocs letters --format html`` runs once, through click, and
every letter is read back from the files it wrote.
"""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner

from grantdocs.cli import cli
from tests.readers.sheets import write_csv, write_workbook

HEADERS = ["Saksnr.", " vedtak ", "Dato", "Org.nr", "Søkjar", "adresse", "Postnr", "Poststed",
           "Kontonr", "Prosjekt", "Type", "Delmål", "Beløp søkt", "Tilsagn", "Målform",
           "Avslagsgrunn", "Begrunnelse", "saksbehandler", "Godkjent av ", "E-post"]

ROWS: list[list[object]] = [
    ["22/01001-1", "Innvilget", dt.date(2022, 3, 1), "974760673", "Sandnes Frivilligsentral",
     "Langgata 1", "4306", "Sandnes", "8601.11.17947", "Språkkafé for nye innbyggere",
     "prosjekt", "A", "50 000,-", "50 000,-", "NN", None, None, "Kari Lie", "Ola Hansen",
     "post@frivilligsentral.example.no"],
    ["22/01002-1", "delvis innvilget", "1.3.2022", 992676507, "Frivillig Mangfold Norge",
     "Storgata 37", 182, "Oslo", 15069824029, "Møteplass for kvinner", "Prosjekt", "a og c",
     "kr 80.000,-", "kr 60 000", "nb", "begrenset ramme",
     "Vi har prioritert møtene framfor studieturen.", "Kari Lie", "Ola Hansen",
     "post@mangfold.example.no"],
    ["22/01003-1", "avslag", dt.datetime(2022, 3, 1, 9, 30), "970104860", "Sámi Searvi Oslo",
     "Kirkegata 15", "0153", "Oslo", None, "Studietur", "enkelttiltak", None, "kr 25 000",
     None, "Bokmål", "Ikke frivillig", None, "Kari Lie", "Ola Hansen",
     "post@searvi.example.no"],
    ["22/01004-1", "innvilga", "01.03.2022", "974 760 673", "Ungdomslaget Vest", "Postboks 3",
     "4307", "Sandnes", "86011117947", "Leksehjelp på nynorsk", "enkelttiltak", "B", 30000,
     "30 000", "nynorsk", None, None, "Kari Lie", "Ola Hansen", "post@ungdom.example.no"],
    ["22/01005-1", "Innvilget", "2022-03-01", "992676507", "Kvinnenettverket", "Torget 2",
     "4306", "Sandnes", "15069824029", "Arbeidstrening", "prosjekt", "C", "60.000", "kr 60 000",
     None, None, None, "Kari Lie", "Ola Hansen", "post@kvinner.example.no"],
]


class _Text(HTMLParser):
    """The visible text and the lang attribute of an HTML letter."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.lang: str | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def read_letter(path: Path) -> tuple[str | None, str]:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    text = " ".join(" ".join(parser.parts).replace("\u00a0", " ").replace("\u202f", " ").split())
    return (parser.lang or "").split("-")[0] or None, text  # "nn-NO" -> "nn"


def _letters(out: Path) -> dict[str, tuple[str | None, str]]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    rows = manifest["outputs"] if isinstance(manifest, dict) else manifest
    return {row["reference"]: read_letter(out / row["path"]) for row in rows
            if row.get("format") == "html" and row.get("path")}


def test_caseworker_sheet_gives_every_letter_on_the_first_try(tmp_path: Path) -> None:
    titles: list[list[object]] = [["Sandnes kommune – tilskudd til integreringsarbeid 2022"],
                                  ["Vedtak fattet mars 2022"]]
    sheet = write_workbook(tmp_path / "sandnes-vedtak.xlsx",
                           {"Vedtak 2022": [*titles, HEADERS, *ROWS]})
    out = tmp_path / "brev"
    result = CliRunner().invoke(cli, ["letters", str(sheet), "--out", str(out),
                                      "--format", "html", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert ": error: " not in result.output
    letters = _letters(out)
    assert sorted(letters) == [row[0] for row in ROWS]

    lang, text = letters["22/01001-1"]
    assert lang == "nn"  # "NN"
    assert "Sandnes Frivilligsentral" in text and "50 000" in text
    assert "8601.11.17947" in text or "8601 11 17947" in text
    lang, text = letters["22/01002-1"]
    assert lang == "nb"
    assert "60 000" in text and "80 000" in text  # "kr 80.000,-" requested
    assert "Vi har prioritert møtene framfor studieturen." in text
    assert "0182" in text  # a postcode typed as a number keeps its leading zero
    lang, text = letters["22/01003-1"]
    assert lang == "nb"  # "Bokmål"
    assert "Sámi Searvi Oslo" in text
    assert "frivillige organisasjoner" in text  # the reason "Ikke frivillig" -> not-voluntary
    lang, text = letters["22/01004-1"]
    assert lang == "nn"  # "nynorsk"
    assert "30 000" in text and "Ungdomslaget Vest" in text
    lang, text = letters["22/01005-1"]
    assert lang == "nb"  # blank: the issuer's default
    assert "60 000" in text
    for _, text in letters.values():
        assert "1. mars 2022" in text or "01.03.2022" in text  # every date form, one date


def test_a_repeated_case_number_never_gives_two_letters(tmp_path: Path) -> None:
    rows = [ROWS[0], [*ROWS[3][:0], "22/01001-1", *ROWS[3][1:]], ROWS[4]]
    sheet = write_workbook(tmp_path / "dobbel.xlsx", {"Vedtak": [HEADERS, *rows]})
    other = write_csv(tmp_path / "mer.csv", [HEADERS, [
        "22/01005-1", *(v.isoformat() if isinstance(v, dt.date) else v for v in ROWS[0][1:])]])
    out = tmp_path / "brev"
    result = CliRunner().invoke(cli, ["letters", str(sheet), str(other), "--out", str(out),
                                      "--format", "html", "--jobs", "1"])
    assert result.exit_code == 1
    assert (f"{sheet}, row 3, Saksnr.: error: the case number '22/01001-1' is already used "
            "on row 2") in result.stderr
    assert (f"{other}, row 2, Saksnr.: error: the case number '22/01005-1' is already used "
            f"on {sheet}, row 4") in result.stderr
    letters = _letters(out)
    assert sorted(letters) == ["22/01001-1", "22/01005-1"]
    assert "Sandnes Frivilligsentral" in letters["22/01001-1"][1]  # the first row's letter
    assert "Kvinnenettverket" in letters["22/01005-1"][1]
    assert len(list(out.glob("*.html"))) == 2
