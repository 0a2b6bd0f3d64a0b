"""Scale-out: two ``grantdocs worker`` processes on one Redis queue and one PostgreSQL
database share one batch, and every output appears once.

The PostgreSQL cluster (initdb in a temporary folder, a free port, fsync off) and
the Redis server (127.0.0.1, a free port, nothing saved) are started here and
stopped afterwards; ``./run.sh test`` installs Debian's packages for them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from grantdocs.service.context import batch_folder
from grantdocs.service.jobs import queue_depth, submit_batch
from grantdocs.service.settings import ServiceSettings
from tests.service.jobs_support import (
    assert_each_once,
    batch_row,
    chunk_rows,
    make_batch,
    postgres,
    read_zip,
    redis_server,
    settings_for,
    start_worker,
    stop,
    upload_records,
    wait_for,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceSettings]:
    """A data folder, a PostgreSQL database and a Redis queue, as machines would share them."""
    with postgres() as database_url, redis_server() as queue_url:
        yield settings_for(tmp_path_factory.mktemp("shared") / "data", database_url, queue_url)


def test_two_workers_on_one_queue_share_a_batch_each_output_once(
        shared: ServiceSettings, tmp_path: Path) -> None:
    assert shared.database_url.startswith("postgresql+psycopg://")
    # Four valid records (sheet rows 2-5) and the sample's record whose organisation number
    # is wrong, here row 6; one record a chunk, so four chunks for the two workers to share.
    batch_id = make_batch(shared, upload_records(tmp_path, (1, 2, 3, 4, 9)), formats="pdf")
    workers = [start_worker(shared, name, tmp_path / f"{name}.log",
                            env={"GRANTDOCS_CHUNK_SIZE": "1"}) for name in ("a", "b")]
    try:
        for name in ("a", "b"):
            wait_for(f"worker {name} to start",
                     lambda n=name: "Huey consumer started" in (tmp_path / f"{n}.log")
                     .read_text(), 60, tuple(workers))
        submit_batch(shared, batch_id)
        wait_for("the batch", lambda: batch_row(shared, batch_id).status == "done", 120,
                 tuple(workers))
    finally:
        for worker in workers:
            stop(worker)
    chunks = chunk_rows(shared, batch_id)
    assert len(chunks) == 4 and {c.status for c in chunks} == {"done"}
    assert {c.worker for c in chunks} == {"a", "b"}  # each worker rendered some
    batch = batch_row(shared, batch_id)
    assert (batch.total, batch.written, batch.failed) == (5, 4, 1)
    zipped = read_zip(batch_folder(shared.data_dir, batch_id) / "files.zip")
    assert_each_once(zipped, 4)
    assert sorted(r["row"] for r in zipped.manifest) == list(range(2, 7))
    assert queue_depth(shared) == 0
    logs = (tmp_path / "a.log").read_text() + (tmp_path / "b.log").read_text()
    assert logs.count("records written") == 4  # each chunk finished (and counted) once
