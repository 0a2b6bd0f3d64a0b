"""#2: limits on returned workbooks, enforced while inflating; #6/#7/#18 around them.

The review's hostile set (tests/hostile/_bombs.py) is rebuilt small in tmp_path. Each file is
read by ``read-accounts`` in a process of its own whose time and peak memory are measured, and all
of them go through one checklist batch beside the good sample return.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from grantdocs.errors import AccountsError
from grantdocs.limits import MB, Limits
from grantdocs.readers.zipguard import read_regular_file, vetted_zip
from tests.hostile._bombs import hostile_set, long_comments
from tests.hostile._returns import DECISIONS, SAMPLE_RETURN, checklist, grantdocs

# One child process imports the command line and what reading a workbook needs, then forks
# a grandchild per file that runs ``grantdocs read-accounts FILE`` and exits. Each
# grandchild's own time and peak RSS (os.wait4) are measured, as a fresh ``python -m
# grantdocs`` process's would be, without paying the interpreter's start-up and imports
# fifteen times. A grandchild prints an escaping exception as the interpreter would.
_MEASURE = """
import json, os, sys, time, traceback
import openpyxl
from grantdocs.cli import cli
import grantdocs.readers.accounts_return
decisions, paths = sys.argv[1], sys.argv[2:]
for path in paths:
    err = path + ".stderr"
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 2)
            sys.argv = ["grantdocs", "read-accounts", path, "--decisions", decisions]
            cli.main(standalone_mode=True)
            code = 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status, usage = os.wait4(pid, 0)
    print(json.dumps({"path": path, "seconds": time.monotonic() - start,
                      "rss_kb": usage.ru_maxrss, "code": os.waitstatus_to_exitcode(status),
                      "stderr": open(err, encoding="utf-8").read()}), flush=True)
    os.unlink(err)
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return hostile_set(tmp_path_factory.mktemp("hostile"))


def test_each_hostile_return_costs_under_15_s_and_800_mb(hostile: list[Path]) -> None:
    """#2, #7: every file of the review's set is read (or refused) by read-accounts in under
    15 s and 800 MB peak RSS, with one message and no traceback. On 1096b4b an 11.6 KB file
    took 22 s and 2.1 GB, a 1.5 MB bomb 1.6 GB, and XML errors were tracebacks."""
    child = subprocess.run([sys.executable, "-c", _MEASURE, str(DECISIONS), *map(str, hostile)],
                           capture_output=True, text=True, timeout=600)
    assert child.returncode == 0, child.stderr
    measured = [json.loads(line) for line in child.stdout.splitlines()]
    assert [m["path"] for m in measured] == [str(p) for p in hostile]
    for path, m in zip(hostile, measured, strict=True):
        seconds, rss_kb, code, stderr = m["seconds"], m["rss_kb"], m["code"], m["stderr"]
        assert seconds < 15, (path.name, seconds)
        assert rss_kb < 800 * 1024, (path.name, rss_kb)
        assert "Traceback" not in stderr, (path.name, stderr[-2000:])
        assert code in (0, 1), (path.name, code, stderr)
        if code == 1:
            assert stderr.startswith("error: "), (path.name, stderr)


def test_checklist_batch_writes_the_good_return_beside_the_bad(hostile: list[Path],
                                                               tmp_path: Path) -> None:
    """#6: one folder with the good sample return and the whole hostile set: the good one's
    checklist is written, each bad one is a failed row, the run ends with exit 1, bounded in
    time. On 1096b4b a malformed workbook.xml aborted the batch with a traceback."""
    folder = hostile[0].parent
    good = folder / "a_good.xlsx"
    good.write_bytes(SAMPLE_RETURN.read_bytes())
    out = tmp_path / "out"
    start = time.monotonic()
    result = checklist(folder, out, "--format", "xlsx", timeout=120)
    assert time.monotonic() - start < 100
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    outputs = json.loads((out / "manifest.json").read_text("utf-8"))["outputs"]
    status = {Path(row["file"]).name: row["status"] for row in outputs if row.get("file")}
    assert status["a_good.xlsx"] == "written"
    assert (out / "22-00133-5_Aapen-dor-nettverk-mot-negativ-sosial-kontroll_kontroll.xlsx"
            ).is_file()
    for path in hostile:  # the readable ones (a far cell, an unresolved entity) are written
        assert status[path.name] in ("failed", "written"), path.name
    refused = [p for p in hostile if status[p.name] == "failed"]
    assert len(refused) >= 10
    assert all(row["error"] for row in outputs if row["status"] == "failed")
    good.unlink()


def test_fifo_given_as_a_return_fails_fast(tmp_path: Path) -> None:
    """#18: a FIFO given to read-accounts is refused at once (it used to block forever);
    in a checklist batch it is a failed row and the good return is still written."""
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    result = grantdocs("read-accounts", fifo, timeout=20)
    assert result.returncode in (1, 2)  # 2: the command line's own check of FILE
    assert "not a regular file" in result.stderr
    folder = tmp_path / "returns"
    folder.mkdir()
    os.mkfifo(folder / "b_pipe.xlsx")
    (folder / "a_good.xlsx").write_bytes(SAMPLE_RETURN.read_bytes())
    out = tmp_path / "out"
    batch = checklist(folder, out, "--format", "xlsx", timeout=60)
    assert batch.returncode == 0, batch.stderr
    assert len(list(out.glob("*_kontroll.xlsx"))) == 1
    for special in (fifo, "/dev/zero", "/dev/null"):  # the reader itself, behind the CLI
        with pytest.raises(AccountsError, match="not a regular file"):
            read_regular_file(special, Limits())


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_member_count_at_and_past_the_limit() -> None:
    """#2: a workbook of max_zip_members parts is read; one more part is refused."""
    limits = Limits(max_zip_members=12)
    assert zipfile.ZipFile(io.BytesIO(vetted_zip(_zip({f"p{n}": b"x" for n in range(12)}),
                                                 limits))).namelist() == [f"p{n}" for n in
                                                                          range(12)]
    with pytest.raises(AccountsError, match="GRANTDOCS_MAX_ZIP_MEMBERS"):
        vetted_zip(_zip({f"p{n}": b"x" for n in range(13)}), limits)


def test_inflated_size_is_counted_not_declared() -> None:
    """#2: the total inflated size is counted while inflating: a part whose declared size
    is patched to 10 bytes is still refused past max_inflated_mb, and passes at it."""
    content = os.urandom(600 * 1024).hex().encode()  # 1.2 MB, ratio about 2
    data = bytearray(_zip({"xl/big.xml": content}))
    for signature, at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = data.index(signature)
        data[start + at:start + at + 4] = (10).to_bytes(4, "little")  # declared size: 10
    with pytest.raises(AccountsError, match="GRANTDOCS_MAX_INFLATED_MB"):
        vetted_zip(bytes(data), Limits(max_inflated_mb=1.0))
    vetted = vetted_zip(_zip({"xl/big.xml": content}), Limits(max_inflated_mb=1.2))
    assert zipfile.ZipFile(io.BytesIO(vetted)).read("xl/big.xml") == content


def test_ratio_at_and_past_the_limit() -> None:
    """#2: a part that inflates past max_zip_ratio is refused while inflating."""
    bomb = _zip({"xl/worksheets/sheet1.xml": b" " * (20 * MB)})
    with pytest.raises(AccountsError, match="GRANTDOCS_MAX_ZIP_RATIO"):
        vetted_zip(bomb, Limits())
    assert len(vetted_zip(bomb, Limits(max_zip_ratio=2000))) > 20 * MB


def test_file_size_at_and_past_the_limit(tmp_path: Path) -> None:
    """#2: a returned file over max_return_mb is refused before it is parsed."""
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"x" * (MB + 1))
    with pytest.raises(AccountsError, match="GRANTDOCS_MAX_RETURN_MB"):
        read_regular_file(path, Limits(max_return_mb=1.0))
    path.write_bytes(b"x" * MB)
    assert len(read_regular_file(path, Limits(max_return_mb=1.0))) == MB


def test_cell_characters_at_and_past_the_limit(tmp_path: Path) -> None:
    """#2: a comment of max_return_cell_chars is read; one longer refuses the workbook."""
    at = long_comments(tmp_path / "at.xlsx", count=1, chars=2_000 - 2_000 % 11 + 11)
    env = {"GRANTDOCS_MAX_RETURN_CELL_CHARS": str(2_000 - 2_000 % 11 + 11)}
    assert grantdocs("read-accounts", at, env=env).returncode == 0
    env = {"GRANTDOCS_MAX_RETURN_CELL_CHARS": str(2_000 - 2_000 % 11 + 10)}
    past = grantdocs("read-accounts", at, env=env)
    assert past.returncode == 1 and "GRANTDOCS_MAX_RETURN_CELL_CHARS" in past.stderr


def test_rows_past_the_limit_are_never_read(tmp_path: Path) -> None:
    """#2: rows past max_return_rows are never read: the sample's signature is on rows 43-44,
    so at 44 rows it is read, and at 42 the row is not found (a warning); a cell at row
    1,048,576 on nine sheets costs nothing (tested in the hostile set)."""
    at = grantdocs("read-accounts", SAMPLE_RETURN, env={"GRANTDOCS_MAX_RETURN_ROWS": "44"})
    assert at.returncode == 0 and "no row labelled" not in at.stderr
    assert json.loads(at.stdout)["signed_by"] == "Samira Haddad"
    past = grantdocs("read-accounts", SAMPLE_RETURN, env={"GRANTDOCS_MAX_RETURN_ROWS": "42"})
    assert past.returncode == 0 and "no row labelled" in past.stderr
    assert json.loads(past.stdout)["signed_by"] is None


def test_openpyxl_parses_with_defusedxml() -> None:
    """#2: defusedxml is installed, so openpyxl parses every part with it."""
    assert openpyxl.DEFUSEDXML is True
