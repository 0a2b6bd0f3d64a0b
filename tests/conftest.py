"""Shared fixtures. The shared helper functions live in tests/helpers.py."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from grantdocs.keys import ENV_KEY, ENV_KEY_FILE, ENV_PREVIOUS, SAMPLE_KEY
from tests.cpu_hook import (  # noqa: F401 (hooks: CPU seconds per test, GRANTDOCS_TEST_CPU)
    pytest_runtest_call,
    pytest_runtest_setup,
    pytest_runtest_teardown,
)

# Modules that still import these from here; new code imports them from tests.helpers.
from tests.helpers import (  # noqa: F401
    ROOT,
    SAMPLES,
    docx_text,
    make_case,
    pdf_renders_shared,
    pdftotext,
    rendered,
    require_tool,
    shared_renderer,
)
from tests.pdfa_hook import (
    every_pdf_passes_pdfa_2a,  # noqa: F401 (a fixture)
    session_folder,
    validate_renders_so_far,
)

if TYPE_CHECKING:
    from grantdocs.letters import LetterRenderer

# Messages in English, whatever the machine's locale; tests of other languages set their own.
os.environ["GRANTDOCS_LANG"] = "en"

# The tests sign and verify accounts workbooks with the public sample key that
# samples/returns/ is signed with (samples/README.md), in this process and every child
# it starts; no test reads or makes a key file in the user's config folder.
os.environ[ENV_KEY] = SAMPLE_KEY
os.environ.pop(ENV_PREVIOUS, None)
os.environ.pop(ENV_KEY_FILE, None)


def pytest_configure(config: pytest.Config) -> None:
    if _is_xdist_controller(config):
        # The controller runs no test: it spawns the workers as soon as this returns.
        # Each worker collects (imports) every test module itself, rewriting and caching
        # its share (see below), and sets hypothesis up for the tests it runs.
        return
    _rewrite_test_modules_once(config)
    # No per-example deadline for the property tests (hypothesis's default is 200 ms): with
    # three copies of the suite on 2 cores (issue 8's robustness check) an example may wait
    # that long for a core without anything being wrong. The number of examples stays the
    # default.
    from hypothesis import settings as hypothesis_settings

    hypothesis_settings.register_profile("grantdocs", deadline=None)
    hypothesis_settings.load_profile("grantdocs")


@pytest.hookimpl(trylast=True)  # after xdist's, which starts the workers
def pytest_sessionstart(session: pytest.Session) -> None:
    _remove_old_runs_meanwhile(session.config)
    if _is_xdist_controller(session.config):
        # hypothesis's pytest plugin imports hypothesis (0.35 CPU-s) for its terminal
        # summary: the controller imports it now, while its workers start and collect,
        # and not after the last test.
        import hypothesis.internal.observability  # noqa: F401


def _remove_old_runs_meanwhile(config: pytest.Config) -> None:
    """Remove the temporary folders of older runs now, in a thread, not after the last test.

    pytest keeps the folders of the last 3 runs (/tmp/pytest-of-<user>/pytest-N) and
    deletes the older ones when the session finishes, after the last test: some 3,000 files
    of a run of this suite, 0.3-2 s of wall time in which no test runs. Here the process
    that owns the session's folder (the xdist controller, idle while its workers collect,
    or the one process of ``-n 0``) deletes them at the start, with pytest's own clean-up
    (what it deletes, and its locks: a folder in use by a running session is never
    touched), so the one at the end finds nothing left. Folders of runs that start in
    between are left to that one, as before.
    """
    import threading

    try:
        from _pytest.pathlib import LOCK_TIMEOUT, cleanup_numbered_dir
    except ImportError:  # another pytest: it cleans up at the end, as before
        return
    factory = getattr(config, "_tmp_path_factory", None)
    if hasattr(config, "workerinput") or factory is None or factory._given_basetemp:
        return  # an xdist worker (its folder is the controller's), or --basetemp
    base = factory.getbasetemp()  # made now if not yet, as pytest makes it
    dead_before = base.stat().st_mtime - LOCK_TIMEOUT
    cleaning = threading.Thread(
        target=cleanup_numbered_dir, name="remove old pytest runs", daemon=True,
        args=(base.parent, "pytest-", factory._retention_count, dead_before))
    cleaning.start()
    config.add_cleanup(cleaning.join)


def pytest_runtest_logfinish() -> None:
    """After each test: validate the PDF/As it rendered in this process (tests/pdfa_hook.py)."""
    validate_renders_so_far()


def _is_xdist_controller(config: pytest.Config) -> bool:
    """True in the process of ``pytest -n N`` (N > 0) that hands the tests to its workers."""
    return not hasattr(config, "workerinput") and bool(
        getattr(config.option, "numprocesses", None))


def pytest_collection_finish(session: pytest.Session) -> None:
    """The test process's garbage collector: what is imported by now stays (``gc.freeze``),
    and a young-generation collection runs every 50,000 allocations, not every 700.

    WeasyPrint, openpyxl and the parsers allocate millions of short-lived objects; with
    the defaults, collections that find next to nothing took about 7 % of this process's
    CPU. The servers, commands and scripts the tests start as new interpreters run with
    Python's defaults, as users run them; engine workers forked from this process (and
    the in-process fallback) inherit the setting, which changes when memory is reclaimed,
    not what any test checks.
    """
    gc.set_threshold(50_000, 20, 100)
    gc.freeze()


def _rewrite_test_modules_once(config: pytest.Config) -> None:
    """Leave each test module's assertion-rewritten code in its ``__pycache__`` before
    collection, each xdist worker starting at its own share of the modules.

    pytest rewrites the asserts of every test module it imports (about 4 CPU-seconds for
    this suite) and caches the result (tests/__init__.py turns caching on whatever
    ``PYTHONDONTWRITEBYTECODE`` says; the files are git-ignored). Both workers import the
    modules in the same order, so on a fresh checkout each would rewrite every one; here
    worker N of M begins N/M of the way down the list, so they share the work and find the
    others' results, and later runs only read them (the xdist controller, which imports no
    test module, leaves it to them). pytest checks each cached file against its source, as
    it always does.
    """
    try:
        from _pytest.assertion.rewrite import (
            PYC_TAIL,
            _read_pyc,
            _rewrite_test,
            _write_pyc,
            assertstate_key,
            get_cache_dir,
        )
    except ImportError:  # another pytest: it rewrites them itself
        return
    state = config.stash.get(assertstate_key, None)
    if state is None:  # --assert=plain
        return
    ignored = [Path(p).resolve() for p in config.getoption("ignore") or ()]
    found: set[Path] = set()
    for arg in config.args:  # the folders and files asked for (testpaths if none)
        path = Path(config.invocation_params.dir, arg.split("::")[0]).resolve()
        files = [path] if path.is_file() else [*path.rglob("test_*.py"),
                                                *path.rglob("conftest.py")]
        found.update(f for f in files if not any(f.is_relative_to(i) for i in ignored))
    modules = sorted(found)
    share = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    start = len(modules) * share // max(workers, 1)
    for module in modules[start:] + modules[:start]:
        cache = get_cache_dir(module)
        pyc = cache / (module.name[:-3] + PYC_TAIL)
        if _read_pyc(module, pyc) is not None:
            continue
        source_hash, code = _rewrite_test(module, config)
        try:
            cache.mkdir(parents=True, exist_ok=True)
        except OSError:  # a read-only checkout: pytest rewrites them at import, as before
            return
        _write_pyc(state, code, source_hash, pyc)


@pytest.fixture(scope="session")
def renderer() -> LetterRenderer:
    """The session's one renderer, the same that :func:`tests.helpers.rendered` uses."""
    return shared_renderer()


def once_per_session(factory: pytest.TempPathFactory, name: str,
                     make: Callable[[Path], dict[str, Any]]) -> dict[str, Any]:
    """``make(folder)`` run once per test session, its (JSON) result shared by every process.

    The first xdist worker that asks runs it, in a folder under its own temporary folder
    (so the PDF/A hook validates the PDFs it leaves); the others wait for it under a lock
    and read the same result (a session without xdist runs it itself). Whoever uses the
    folder must not change it: copy it first.
    """
    import fcntl
    import json

    shared = session_folder(factory.getbasetemp())
    pointer = shared / f"{name}.json"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if pointer.is_file():
            known: dict[str, Any] = json.loads(pointer.read_text("utf-8"))
            return known
        made = make(factory.mktemp(name))
        pointer.write_text(json.dumps(made), "utf-8")
    return made


@pytest.fixture
def shared_pdf_renders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """:func:`tests.helpers.pdf_renders_shared` for the test that asks for it."""
    with pdf_renders_shared(tmp_path_factory):
        yield


@pytest.fixture(scope="session")
def sample_letters(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 24 sample letters as PDF with their arkivmelding, written once per test session.

    ``grantdocs letters samples/decisions.json --archive -j 2``, run in process by the first
    xdist worker that asks (:func:`once_per_session`). Tests read it and never change it.
    """
    from click.testing import CliRunner

    from grantdocs.cli import cli

    def make(folder: Path) -> dict[str, Any]:
        out = folder / "letters"
        with pdf_renders_shared(tmp_path_factory):  # the demo writes the same letters
            run = CliRunner().invoke(cli, ["letters", str(SAMPLES / "decisions.json"),
                                           "--out", str(out), "--archive", "-j", "2", "-q"],
                                     catch_exceptions=False)
        assert run.exit_code == 0, run.output
        return {"out": str(out)}

    return Path(once_per_session(tmp_path_factory, "sample-letters", make)["out"])


@pytest.fixture(scope="session")
def libreoffice_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """File name (``letter-granted-nb.docx`` ...) → the PDF LibreOffice made of it: every
    document of :func:`tests.writers.conftest.documents`, in one LibreOffice run."""
    from tests.libreoffice import convert_once
    from tests.writers.conftest import documents

    return convert_once(tmp_path_factory, documents)
