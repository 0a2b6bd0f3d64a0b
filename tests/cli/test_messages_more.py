"""The rest of the CLI's own words follow the language too: whole-file errors, batch summaries."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from grantdocs.cli import cli
from tests.helpers import SAMPLES


def _run(lang: str, *args: str) -> tuple[int, str]:
    run = CliRunner().invoke(cli, list(args), env={"GRANTDOCS_LANG": lang})
    return run.exit_code, run.stderr


def test_a_file_that_cannot_be_read_is_said_in_nynorsk(tmp_path: Path) -> None:
    odd = tmp_path / "vedtak.ods"
    odd.write_bytes(b"x")
    code, err = _run("nn", "validate", str(odd))
    assert code == 2
    assert err.startswith(f"feil: {odd}: ukjend filtype '.ods'; bruk ein av "), err
    assert err.rstrip().endswith("lagra ho frå Excel som .xlsx [GD-E091]"), err


def test_json_shape_errors_in_bokmal(tmp_path: Path) -> None:
    source = tmp_path / "round.json"
    sample = json.loads((SAMPLES / "decisions.json").read_text("utf-8"))
    sample["extra"] = 1
    sample["cases"] = sample["cases"][:1]
    source.write_text(json.dumps(sample), "utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text('{"cases": [1]}', "utf-8")
    code, err = _run("nb", "validate", str(source), str(bad))
    assert code == 1, err
    assert (f"{source}, extra: advarsel: den ukjente nøkkelen 'extra' på øverste nivå blir "
            "ikke lest (fjern den eller sjekk stavemåten) [GD-W024]") in err
    assert (f"{bad}, rad 1: feil: sak 1 er en int, ikke et objekt med organisation, "
            "application og decision [GD-E098]") in err


def test_a_letters_batch_summary_in_nynorsk(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, err = _run("nn", "accounts-workbooks", str(SAMPLES / "decisions.json"), "--out",
                     str(out), "--jobs", "1")
    assert code == 0, err
    last = err.strip().splitlines()[-1]
    assert last.startswith("16 skrivne, 0 uendra, 8 hoppa over, 0 mislukka i "), last
    assert last.endswith("(0 feil, 2 åtvaringar) [GD-I003]"), last
