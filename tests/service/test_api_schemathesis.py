"""A property-based run of schemathesis against the live server's /openapi.json: no 5xx.

Every operation of the schema gets a bounded number of generated requests
(``--max-examples``: 3 make about 40 requests over the 15 operations, 8 made about 100 for
the same cover at twice the time), with a token, under a time limit; the only check is that
no answer is a server error, and the report must name every operation the schema has.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

from tests.service.conftest import Server


def test_no_generated_request_gets_a_5xx(server: Server, tmp_path: Path) -> None:
    tool = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert tool, "schemathesis is not installed (it is in the dev dependencies)"
    run = subprocess.run(
        [tool, "run", f"{server.url}/openapi.json", "--checks", "not_a_server_error",
         "--max-examples", "3", "--phases", "examples,fuzzing", "--seed", "12",
         "--workers", "1", "--request-timeout", "60",
         "-H", f"Authorization: Bearer {server.token}",
         "--report", "junit", "--report-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=240, cwd=tmp_path)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-6000:]
    junit = ElementTree.parse(next(tmp_path.glob("*.xml"))).getroot()
    tested = {case.get("name") for case in junit.iter("testcase")}
    with server.client() as client:
        paths = client.get("/openapi.json").json()["paths"]
    assert tested == {f"{method.upper()} {path}" for path, operations in paths.items()
                      for method in operations}, tested
    assert {"POST /api/v1/letters", "POST /api/v1/batches",
            "GET /api/v1/batches/{batch_id}/files.zip", "POST /api/v1/checklists",
            "POST /api/v1/repayment-claims", "POST /api/v1/stats"} <= tested, tested
    assert junit.get("failures") == "0" and junit.get("errors") == "0"
