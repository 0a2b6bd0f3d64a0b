"""#4: returned workbooks are signed (HMAC-SHA256 under the installation's key), not checksummed.

On 1096b4b the hidden sheet carried ``sha256(public facts)[:32]``: anyone could retarget a
return at another grantee, or change ``audit_required``, ``lang`` or a label, recompute that
checksum and be accepted (review §1.5). Every forgery here recomputes the old checksum too.
"""

from __future__ import annotations

import hashlib
import io
import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from grantdocs.cli import cli
from grantdocs.errors import AccountsError
from grantdocs.keys import ENV_KEY, ENV_KEY_FILE, ENV_PREVIOUS, SAMPLE_KEY, Keyring
from grantdocs.readers.accounts_return import read_accounts, workbook_identifiers
from grantdocs.writers.xlsx.accounts_workbook import write_accounts_workbook
from tests.hostile._returns import DECISIONS, SAMPLE_RETURN, checklist, grantdocs
from tests.workbooks import fill, sample_cases

REFUSED = "signature does not match"
# The identifiers 1096b4b's plain checksum covered, in its order.
_OLD_CHECKED = ("schema", "schema_version", "reference", "org_number", "grant", "lang",
                "audit_required")
OTHER = {"reference": "22/00087-3", "org_number": "992676507", "grant": "75000"}
OLD = "the-key-before-rotation-" + "o" * 30
NEW = "the-key-after-rotation-" + "n" * 30


def forged(path: Path, hidden: dict[str, str], visible: dict[str, object] | None = None,
           source: Path | bytes = SAMPLE_RETURN) -> Path:
    """``source`` with hidden rows (and visible facts, by label) changed, and the plain
    checksum of 1096b4b recomputed and stored, as the review's forgeries did."""
    wb = load_workbook(io.BytesIO(source) if isinstance(source, bytes) else source)
    ids_ws = wb["grantdocs"]
    rows = {str(r[0].value): r[1] for r in ids_ws.iter_rows(min_col=1, max_col=2)}
    for key, value in hidden.items():
        rows[key].value = value
    ids = {key: "" if cell.value is None else str(cell.value) for key, cell in rows.items()}
    text = "\n".join(f"{k}={ids[k]}" for k in _OLD_CHECKED)
    checksum = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
    ids_ws.append(["checksum", checksum])
    ws = wb[wb.sheetnames[0]]
    for label, value in (visible or {}).items():
        for row in range(1, 20):
            if ws.cell(row=row, column=1).value == label:
                ws.cell(row=row, column=2, value=value)
    out = io.BytesIO()
    wb.save(out)
    path.write_bytes(out.getvalue())
    return path


def _case(reference: str):  # type: ignore[no-untyped-def]
    return next(c for c in sample_cases() if c.reference == reference)


def test_return_moved_to_another_grantee_is_refused(tmp_path: Path) -> None:
    """The review's other_grantee.xlsx: Åpen dør's return retargeted at 22/00087-3 (Frivillig
    Mangfold Norge, public facts) in the hidden and the visible sheet, checksum recomputed.
    1096b4b accepted it for 22/00087-3; now it is refused, with and without the decision."""
    path = forged(tmp_path / "other_grantee.xlsx", OTHER,
                  {"Saksnummer (vår referanse)": "22/00087-3",
                   "Organisasjonsnummer": "992 676 507", "Innvilget tilskudd": 75_000})
    for case in (None, _case("22/00087-3")):
        with pytest.raises(AccountsError, match=REFUSED):
            read_accounts(path, case)
    result = grantdocs("read-accounts", path, "--decisions", DECISIONS, timeout=60)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and REFUSED in result.stderr
    for advice in ("not made by this installation", "altered", "the workbook they were sent",
                   ENV_PREVIOUS):
        assert advice in result.stderr


def test_valid_return_presented_for_another_decision_is_refused() -> None:
    """Grantee A's genuine, validly signed return given for grantee B's decision."""
    a_return = SAMPLE_RETURN.read_bytes()
    assert read_accounts(a_return, _case("22/00133-5")).unspent == 29_000
    with pytest.raises(AccountsError, match=r"belongs to another decision than 22/00087-3"):
        read_accounts(a_return, _case("22/00087-3"))


@pytest.mark.parametrize("hidden", [
    {"audit_required": "false"},                     # audit_false.xlsx
    {"lang": "nn"},                                  # lang_nn.xlsx
    {"grant": "900000"},
    {"label.table.total": "Tolketjenester"},         # label_moved.xlsx: not covered before
    {"layout.sheet": "Extra"},                       # not covered before
    {"line.1.budget": "1"},                          # amounts the workbook states
    {"signature": "0" * 64},
], ids=lambda h: next(iter(h)))
def test_altered_hidden_rows_with_recomputed_checksum_are_refused(
        tmp_path: Path, hidden: dict[str, str]) -> None:
    path = forged(tmp_path / "altered.xlsx", hidden)
    with pytest.raises(AccountsError, match=REFUSED):
        workbook_identifiers(path)


def test_unsigned_and_truncated_hidden_sheets_are_refused(tmp_path: Path) -> None:
    """A hidden sheet without its signature row (1096b4b's format), or cut short."""
    for cut in ("signature", "label.facts.reference"):
        wb = load_workbook(SAMPLE_RETURN)
        ws = wb["grantdocs"]
        row = next(r[0].row for r in ws.iter_rows(max_col=1) if r[0].value == cut)
        ws.delete_rows(row)
        out = io.BytesIO()
        wb.save(out)
        with pytest.raises(AccountsError, match=REFUSED):
            read_accounts(out.getvalue())


def test_forged_return_fails_alone_in_a_checklist_batch(tmp_path: Path) -> None:
    """Two forgeries beside the genuine return: two failed rows saying why, one checklist."""
    folder = tmp_path / "returns"
    folder.mkdir()
    (folder / "a_good.xlsx").write_bytes(SAMPLE_RETURN.read_bytes())
    forged(folder / "b_other.xlsx", OTHER, {"Saksnummer (vår referanse)": "22/00087-3",
                                            "Organisasjonsnummer": "992 676 507",
                                            "Innvilget tilskudd": 75_000})
    forged(folder / "c_audit.xlsx", {"audit_required": "false"})
    out = tmp_path / "out"
    result = checklist(folder, out, "--format", "xlsx", timeout=90)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    rows = json.loads((out / "manifest.json").read_text("utf-8"))["outputs"]
    status = {Path(r["file"]).name: (r["status"], r["error"]) for r in rows if r.get("file")}
    assert status["a_good.xlsx"][0] == "written"
    for name in ("b_other.xlsx", "c_audit.xlsx"):
        assert status[name][0] == "failed" and REFUSED in status[name][1]
    assert [p.name for p in out.glob("*_kontroll.xlsx")] == [
        "22-00133-5_Aapen-dor-nettverk-mot-negativ-sosial-kontroll_kontroll.xlsx"]


def test_rotation_old_signatures_pass_only_with_previous_keys(tmp_path: Path) -> None:
    """A return signed before the key was rotated: accepted while the old key is in
    GRANTDOCS_PREVIOUS_KEYS, refused without it; new workbooks are signed with the new key."""
    case = _case("22/00133-5")
    path = tmp_path / "old.xlsx"
    path.write_bytes(fill(write_accounts_workbook(case, keyring=Keyring.from_text(OLD))))
    rotated = {ENV_KEY: NEW, ENV_PREVIOUS: f"{OLD}, {SAMPLE_KEY}"}
    accepted = grantdocs("read-accounts", path, env=rotated, timeout=60)
    assert accepted.returncode == 0, accepted.stderr
    assert json.loads(accepted.stdout)["reference"] == "22/00133-5"
    refused = grantdocs("read-accounts", path, env={ENV_KEY: NEW, ENV_PREVIOUS: ""},
                        timeout=60)
    assert refused.returncode == 1 and REFUSED in refused.stderr
    new = write_accounts_workbook(case, keyring=Keyring.from_text(NEW, (OLD,)))
    with pytest.raises(AccountsError, match=REFUSED):
        read_accounts(new, case, keyring=Keyring.from_text(OLD))


def test_cli_key_from_env_or_from_its_key_file(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Without GRANTDOCS_SECRET_KEY the CLI makes its key file (0600) on first use, signs
    with it and reads back with it; the sample key does not verify those workbooks, and the
    key file does not verify the sample. GRANTDOCS_KEY_FILE chooses the file."""
    monkeypatch.delenv(ENV_KEY)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    runner = CliRunner()
    out = tmp_path / "acc"
    one = tmp_path / "one.json"  # the sample return's decision: one workbook to sign
    doc = json.loads(DECISIONS.read_text("utf-8"))
    doc["cases"] = [c for c in doc["cases"] if c["decision"]["case_number"] == "22/00133-5"]
    one.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    made = runner.invoke(cli, ["accounts-workbooks", str(one), "--out", str(out),
                                "-j1", "-q"])
    assert made.exit_code == 0, made.output
    key_file = tmp_path / "config" / "grantdocs" / "secret.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    workbook = next(out.glob("22-00133-5_*_regnskap.xlsx"))
    own = Keyring.from_text(key_file.read_text())
    assert workbook_identifiers(workbook, keyring=own)["reference"] == "22/00133-5"
    with pytest.raises(AccountsError, match=REFUSED):
        workbook_identifiers(workbook, keyring=Keyring.from_text(SAMPLE_KEY))
    back = runner.invoke(cli, ["read-accounts", str(workbook)])
    assert back.exit_code == 0 and json.loads(back.stdout)["grant"] == "250000"
    sample = runner.invoke(cli, ["read-accounts", str(SAMPLE_RETURN)])
    assert sample.exit_code == 1 and REFUSED in sample.stderr
    with_env = runner.invoke(cli, ["read-accounts", str(SAMPLE_RETURN)],
                             env={ENV_KEY: SAMPLE_KEY})
    assert with_env.exit_code == 0, with_env.stderr
    chosen = tmp_path / "chosen.key"
    elsewhere = runner.invoke(cli, ["read-accounts", str(workbook)],
                              env={ENV_KEY_FILE: str(chosen)})
    assert elsewhere.exit_code == 1 and REFUSED in elsewhere.stderr
    assert stat.S_IMODE(chosen.stat().st_mode) == 0o600
    # a new key: the workbook signed with the old one is written again, not kept
    rotated = runner.invoke(cli, ["accounts-workbooks", str(one), "--out", str(out),
                                  "-j1", "--json"], env={ENV_KEY: NEW})
    assert json.loads(rotated.stdout)["written"] == len(list(out.glob("*.xlsx"))) == 1
    workbook_identifiers(workbook, keyring=Keyring.from_text(NEW))
    key_file.chmod(0o644)
    loose = runner.invoke(cli, ["read-accounts", str(workbook)])
    assert loose.exit_code == 2 and "chmod 600" in loose.stderr
    refused = runner.invoke(cli, ["accounts-workbooks", str(one), "--out", str(out),
                                  "-j1", "-q"])
    assert refused.exit_code == 2 and "chmod 600" in refused.stderr
