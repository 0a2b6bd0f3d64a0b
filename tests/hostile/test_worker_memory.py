"""#13: each worker has an address-space limit (RLIMIT_AS, GRANTDOCS_WORKER_MEMORY_MB, 2 GiB by
default), so a record that needs more memory fails alone with a message that says so."""

from __future__ import annotations

import resource
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from grantdocs.batch import Job, OutputFile, Rendered, Settings, run_batch
from grantdocs.errors import ConfigError
from tests.batch.stub import Stub, reference, write_cases


@dataclass(frozen=True)
class Hungry(Stub):
    """Writes the worker's RLIMIT_AS; the record ``hog`` asks for 3 GiB."""

    hog: str = ""

    def render(self, state: Any, job: Job, fmts: Sequence[str]) -> Rendered:
        if job.reference == self.hog:
            bytearray(3 << 30)
        soft = resource.getrlimit(resource.RLIMIT_AS)[0]
        files = tuple(OutputFile(name, "granted", fmt, f"{soft}\n".encode())
                      for name, fmt in zip(self.names(job, fmts), fmts, strict=True))
        return Rendered(job.reference, "nb", files)


def hungry(hog: str = "") -> Hungry:
    return Hungry("stub", "Stub", ("txt",), frozenset({"granted"}), ("*/letter-*.html",),
                  preload=("tests.batch.stub",), hog=hog)


def _limits(out: Path) -> set[int]:
    return {int(p.read_text().strip()) for p in out.glob("*.txt")}


def test_the_default_limit_is_2_gib(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """#13: every worker runs under RLIMIT_AS = 2 GiB unless told otherwise."""
    monkeypatch.delenv("GRANTDOCS_WORKER_MEMORY_MB", raising=False)
    out = tmp_path / "out"
    result = run_batch([write_cases(tmp_path / "in.json", 4)], out, ("txt",), kind=hungry(),
                       jobs=2, settings=Settings())
    assert result.count("written") == 4
    assert _limits(out) == {2048 << 20}


def test_a_record_over_the_memory_limit_fails_alone(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """#13: with a 512 MB limit, the record that wants 3 GiB is a failed row; the rest are
    written, by workers under that limit."""
    monkeypatch.setenv("GRANTDOCS_WORKER_MEMORY_MB", "512")
    out = tmp_path / "out"
    result = run_batch([write_cases(tmp_path / "in.json", 4)], out, ("txt",),
                       kind=hungry(hog=reference(1)), jobs=2, settings=Settings())
    assert result.count("written") == 3
    failed = [o for o in result.outputs if o.status == "failed"]
    assert [o.reference for o in failed] == [reference(1)]
    assert "more memory than a worker may use (512 MB)" in (failed[0].error or "")
    assert "GRANTDOCS_WORKER_MEMORY_MB" in (failed[0].error or "")
    assert _limits(out) == {512 << 20}


@pytest.mark.parametrize("value", ["lots", "-5", "100"])
def test_a_bad_limit_is_a_config_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       value: str) -> None:
    """#13: the limit is checked before any worker starts."""
    monkeypatch.setenv("GRANTDOCS_WORKER_MEMORY_MB", value)
    with pytest.raises(ConfigError, match="GRANTDOCS_WORKER_MEMORY_MB"):
        run_batch([write_cases(tmp_path / "in.json", 2)], tmp_path / "out", ("txt",),
                  kind=hungry(), jobs=2, settings=Settings())
