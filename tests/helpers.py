"""What the test modules share: test cases, the command line, and the independent readers.

One home for helpers that used to be copied between test modules (and for those
that modules imported from each other). Fixtures stay in ``conftest.py``.

- cases: :func:`make_case`, the bundled :data:`SAMPLES`; renders shared within a session:
  :func:`rendered`, :func:`pdf_renders_shared`;
- the command line: :func:`cli` in process (click's CliRunner, about 0.05 s a
  call), :func:`in_process` the same with :func:`subprocess.run`'s result, and
  :func:`grantdocs` as a real process (for what is about the process:
  signals, workers, stdin), :func:`summary_of` their ``--json`` summary;
- outputs read back: :func:`manifest`, :func:`manifest_rows`, :func:`sha256`,
  :func:`pdftotext`, :func:`docx_text`, :func:`html_text`, :func:`flat`, :func:`row_of`,
  :func:`column_a`;
- the spelling check: :func:`allow_list`, :func:`unknown_words`, :func:`misspelled`
  (hunspell).
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from click.testing import Result

    from grantdocs.letters import LetterRenderer
    from grantdocs.model import Case

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SPELLING = Path(__file__).resolve().parent / "spelling"

# --- cases -----------------------------------------------------------------------------------

NB_TEXT = {
    "title": "Møteplasser og språkkafé for nye landsmenn",
    "target_groups": ["nyankomne flyktninger", "frivillige i nærmiljøet"],
    "result_goals": ["40 deltakere på språkkafeen hver uke", "10 nye frivillige rekruttert"],
    "conditions": ["Prosjektet skal samarbeide med kommunen om rekruttering."],
    "reason_text": "Vi har lagt vekt på at tiltaket når få deltakere sammenlignet med budsjettet.",
}
NN_TEXT = {
    "title": "Møteplassar og språkkafé for nye landsmenn",
    "target_groups": ["nykomne flyktningar", "frivillige i nærmiljøet"],
    "result_goals": ["40 deltakarar på språkkafeen kvar veke", "10 nye frivillige rekrutterte"],
    "conditions": ["Prosjektet skal samarbeide med kommunen om rekruttering."],
    "reason_text": "Vi har lagt vekt på at tiltaket når få deltakarar samanlikna med budsjettet.",
}


def make_case(kind: str = "granted", lang: str = "nb", *, granted: int | None = None,
              requested: int = 450_000, **overrides: Any) -> Case:
    """A valid case of ``kind`` in ``lang``; ``overrides`` replace top-level sections' fields."""
    from grantdocs.model import Case

    text = NB_TEXT if lang == "nb" else NN_TEXT
    if granted is None:
        granted = {"granted": requested, "partial": requested // 2, "rejected": 0}[kind]
    data: dict[str, Any] = {
        "organisation": {
            "org_number": "974760673", "name": "Sámi Searvi Ŋuvttat", "address": "Storgata 33 A",
            "postcode": "0184", "city": "Oslo", "contact_person": "Áilu Čuđe",
            "email": "post@example.no", "bank_account": "86011117947", "language": lang,
        },
        "application": {
            "reference": "S-2022-0042", "title": text["title"], "kind": "project",
            "sub_goals": ["A", "B"], "amount_requested": str(requested), "annual_budget": "800000",
            "date_applied": "2022-01-15", "period_start": "2022-03-01", "period_end": "2022-12-31",
            "target_groups": text["target_groups"], "result_goals": text["result_goals"],
        },
        "decision": {
            "case_number": "22/00123-4", "kind": kind, "date": "2022-03-15",
            "amount_granted": str(granted),
            "reason_codes": [] if kind == "granted" else ["limited-funds", "unrealistic-budget"],
            "reason_text": None if kind == "granted" else text["reason_text"],
            "conditions": text["conditions"] if kind != "rejected" else [],
            "payment_date": "2022-04-01" if kind != "rejected" else None,
            "caseworker": "Ola Søreide", "approver": "Ingrid Haaland",
        },
    }
    for section, values in overrides.items():
        data[section] = {**data[section], **values}
    return Case.model_validate(data)


@cache
def shared_renderer() -> LetterRenderer:
    """One renderer for the whole session (fonts and stylesheets are loaded once)."""
    from grantdocs.letters import LetterRenderer

    return LetterRenderer()


@cache
def rendered(kind: str, lang: str, fmt: str) -> bytes:
    """The standard test letter of ``kind`` in ``lang`` as ``fmt``, rendered once per session."""
    return shared_renderer().render(make_case(kind, lang), fmt)  # type: ignore[arg-type]


@contextmanager
def pdf_renders_shared(factory: pytest.TempPathFactory) -> Iterator[None]:
    """Within this block, a PDF whose HTML (and writer) some process of this test session has
    rendered already is read from that render instead of being rendered again; so is a DOCX
    whose HTML and metadata some process has converted.

    For tests whose point is what a command writes, not the HTML-to-PDF conversion itself:
    the demo writes the same 24 sample letters as :func:`sample_letters` (about 5
    CPU-seconds). The conversion is deterministic (tests/test_letters.py,
    tests/render/test_stats.py render twice and compare the bytes; tests/writers/test_docx.py
    converts twice), so the bytes are those a render would give. Renders are kept by the
    SHA-256 of the writer's templates folders, its stylesheets (their contents) and the HTML
    (a DOCX: of its metadata and the HTML), in the session's shared temporary folder, so xdist
    workers and the engine's forked worker processes share them. A render that fails is not
    kept.
    """
    from grantdocs.writers import docx as docx_writer
    from grantdocs.writers.pdf import PdfWriter
    from tests.pdfa_hook import session_folder

    store = session_folder(factory.getbasetemp()) / "pdf-renders"
    store.mkdir(exist_ok=True)
    render = PdfWriter.write_counted
    convert = docx_writer.html_to_docx

    def shared(self: Any, html: str) -> tuple[bytes, int]:
        def made() -> bytes:
            data, pages = render(self, html)
            return pages.to_bytes(4, "big") + data

        kept = _kept(store / _render_key(self, html), made)
        return kept[4:], int.from_bytes(kept[:4], "big")

    def shared_docx(html: str, meta: Any) -> bytes:
        key = hashlib.sha256(f"docx\n{meta!r}\n{html}".encode()).hexdigest()
        return _kept(store / key, lambda: convert(html, meta))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(PdfWriter, "write_counted", shared)
        patch.setattr(docx_writer, "html_to_docx", shared_docx)
        yield


def _kept(path: Path, make: Callable[[], bytes]) -> bytes:
    """The bytes kept at ``path``, else ``make()``'s, kept there (whole or absent for every
    reader)."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    data = make()
    part = path.with_name(f".{path.name}.{os.getpid()}")
    part.write_bytes(data)
    os.replace(part, path)
    return data


def _render_key(writer: Any, html: str) -> str:
    from urllib.parse import unquote, urlsplit

    digest = hashlib.sha256()
    for folder in writer._templates:
        digest.update(f"{folder}\n".encode())
    for sheet in writer._stylesheets:
        url = sheet.base_url or ""
        digest.update(f"{url}\n".encode())
        if url.startswith("file:"):
            digest.update(Path(unquote(urlsplit(url).path)).read_bytes())
    digest.update(html.encode("utf-8"))
    return digest.hexdigest()


# --- the command line ------------------------------------------------------------------------


def cli(*args: str | Path) -> Result:
    """``grantdocs ARGS`` in this process; ``.exit_code``, ``.stdout`` and ``.stderr`` apart."""
    from click.testing import CliRunner

    from grantdocs.cli import cli as command

    return CliRunner().invoke(command, [str(a) for a in args])


def grantdocs(*args: str | Path, cwd: Path | None = None,
              timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """``grantdocs ARGS`` as a real process: for what is about the process itself."""
    return subprocess.run([sys.executable, "-m", "grantdocs", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=timeout)


def in_process(*args: str | Path, env: Mapping[str, str] | None = None,
               timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    """``grantdocs ARGS`` run in this process, with the result :func:`subprocess.run` gives.

    For tests of what a command does rather than of its process: click's CliRunner spares
    the Python start-up and imports of a child process (about 0.6 CPU-seconds a call).
    ``env`` is added to the environment for the call. An exception that escapes the
    command is printed on stderr as the interpreter would print it, so the tests'
    "no Traceback" checks still see it. With ``GRANTDOCS_TEST_SUBPROCESS=1`` the command
    runs as a real ``python -m grantdocs`` child again, bounded by ``timeout`` (to point the
    same tests at another checkout with ``PYTHONPATH=<old>/src``).
    """
    argv = [str(a) for a in args]
    if os.environ.get("GRANTDOCS_TEST_SUBPROCESS"):
        return subprocess.run([sys.executable, "-m", "grantdocs", *argv], capture_output=True,
                              text=True, timeout=timeout or 600, stdin=subprocess.DEVNULL,
                              env={**os.environ, **(env or {})}, check=False)
    from click.testing import CliRunner

    from grantdocs.cli import cli as command

    result = CliRunner().invoke(command, argv, env=dict(env or {}))
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return subprocess.CompletedProcess(["grantdocs", *argv], result.exit_code, result.stdout,
                                       stderr)


def summary_of(stdout: str) -> dict[str, Any]:
    """The ``--json`` summary a bulk command prints on stdout."""
    data: dict[str, Any] = json.loads(stdout)
    return data


def require_tool(name: str) -> str:
    """The path of a tool the project's set-up installs; fail loudly when it is missing."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: run the tests through ./run.sh test, "
                    "which installs it")
    return path


# --- outputs read back -----------------------------------------------------------------------


def manifest(out: Path) -> dict[str, Any]:
    """``manifest.json`` of an output folder."""
    data: dict[str, Any] = json.loads((out / "manifest.json").read_text("utf-8"))
    return data


def manifest_rows(out: Path) -> list[dict[str, Any]]:
    """The manifest's rows: every output, failed and skipped record."""
    rows: list[dict[str, Any]] = manifest(out)["outputs"]
    return rows


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def html_text(page: str) -> str:
    """The text of an HTML document as a reader sees it (lxml), without its styles and scripts."""
    from lxml import html

    root = html.document_fromstring(page)
    for hidden in root.xpath("//style | //script | //head/title"):
        hidden.drop_tree()
    return str(root.text_content())


def flat(text: str) -> str:
    """Fold line breaks and (non-breaking) spaces, so phrases can be found across lines."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


_PDF_TEXTS: dict[tuple[str, bool], str] = {}  # (SHA-256 of the PDF, layout) -> its text


def pdftotext(data: bytes, *, layout: bool = False) -> str:
    """The text of a PDF as poppler's pdftotext reads it.

    Each distinct PDF is read once per test process (pdftotext reads the same bytes the
    same way; a run costs about 40 ms of CPU): the session's shared renders, such as
    :func:`rendered`'s letters, are read by several tests each.
    """
    key = (hashlib.sha256(data).hexdigest(), layout)
    text = _PDF_TEXTS.get(key)
    if text is None:
        args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + ["-", "-"]
        text = subprocess.run(args, input=data, capture_output=True,
                              check=True).stdout.decode()
        _PDF_TEXTS[key] = text
    return text


def docx_text(data: bytes) -> str:
    """All text of a DOCX as python-docx reads it: body paragraphs, tables, header, footer."""
    import docx

    document = docx.Document(BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        parts.extend(p.text for p in section.header.paragraphs)
        parts.extend(p.text for p in section.footer.paragraphs)
        for table in section.footer.tables:  # the footer's text and page number, side by side
            parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def docx_footer_text(footer: Any) -> str:
    """The text of a DOCX footer (python-docx): its paragraphs and its table's cells."""
    parts = [p.text for p in footer.paragraphs]
    for table in footer.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(part for part in parts if part)


def row_of(ws: Any, label: str) -> int:
    """The row of an openpyxl worksheet whose column A holds ``label``."""
    for row in range(1, ws.max_row + 1):
        if ws.cell(row=row, column=1).value == label:
            return row
    raise KeyError(label)


def column_a(ws: Any) -> list[str]:
    """Column A of an openpyxl worksheet, empty cells left out."""
    return [str(c.value) for c in ws["A"] if c.value is not None]


# --- the spelling check ----------------------------------------------------------------------

WORD = re.compile(r"[^\W\d_]+")


def allow_list(lang: str) -> set[str]:
    """The committed words hunspell may not know (tests/spelling/<lang>.txt)."""
    lines = (SPELLING / f"{lang}.txt").read_text("utf-8").splitlines()
    return {w.strip() for w in lines if w.strip() and not w.startswith("#")}


def name_words(lang: str) -> set[str]:
    """Words of proper names: the test organisation and people, the issuers, the appeal body."""
    from grantdocs.scheme import load_issuer, load_scheme

    case = make_case("granted", lang)
    org = case.organisation
    names = [org.name, org.address or "", org.city or "", org.contact_person or "",
             case.decision.caseworker, case.decision.approver or ""]
    for issuer_name in ("imdi", "bjornafjorden"):
        issuer = load_issuer(issuer_name)
        names += [issuer.name(lang), issuer.city, *issuer.address]
        names += [s.name for s in issuer.signatories]
    names.append(load_scheme().appeal.body(lang))
    return {w for name in names for w in WORD.findall(name)}


def unknown_words(text: str, lang: str) -> set[str]:
    """Words of ``text`` that hunspell's dictionary of ``lang`` (nb_NO, nn_NO) does not know."""
    require_tool("hunspell")
    skip = allow_list(lang) | name_words(lang)
    text = re.sub(r"\S+@\S+|www\.\S+", " ", text)  # e-mail and web addresses
    words = {
        w for w in WORD.findall(text)
        if len(w) > 1 and w not in skip and all(ord(c) < 256 for c in w)
    }
    return misspelled(words, lang)


_SPELLERS: dict[str, subprocess.Popen[str]] = {}
_VERDICTS: dict[tuple[str, str], bool] = {}  # (dictionary, word) -> hunspell knows it
# A word no dictionary knows: hunspell -l lists it after the words of one request, so its
# line marks where the answer to that request ends.
_END = "Zqxjzqxjzqxj"


@atexit.register
def _close_spellers() -> None:
    """End the test process's hunspell processes, at its exit: every verdict has been read,
    so they are killed, not waited for (at the end of its input hunspell takes 0.2-0.4 s to
    free its dictionary, each in turn, after the last test)."""
    for speller in _SPELLERS.values():
        if speller.stdin is not None:
            speller.stdin.close()
        speller.kill()
    for speller in _SPELLERS.values():
        speller.wait(5)


def _speller(dictionary: str) -> subprocess.Popen[str]:
    speller = _SPELLERS.get(dictionary)
    if speller is None or speller.poll() is not None:
        # hunspell -l: only the verdict, no suggestions (hunspell -a computes suggestions
        # for each word it does not know, some 25 ms a word for the Norwegian
        # dictionaries). stdbuf -oL: hunspell -l writes each line at once, not when its
        # output buffer fills.
        speller = subprocess.Popen([require_tool("stdbuf"), "-oL", require_tool("hunspell"),
                                    "-d", dictionary, "-i", "utf-8", "-l"],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                   encoding="utf-8")
        _SPELLERS[dictionary] = speller
    return speller


def misspelled(words: Iterable[str], lang: str) -> set[str]:
    """Those of ``words`` (each a run of letters) that hunspell's ``lang`` dictionary does not
    know, as ``hunspell -l`` lists them.

    One ``hunspell -l`` per dictionary and test process reads them, and each word's verdict
    is kept: loading a dictionary costs about 0.2 CPU-seconds, and the suite checks some
    thirty texts.
    """
    dictionary = {"nb": "nb_NO", "nn": "nn_NO"}[lang]
    asked = set(words)
    todo = {w for w in asked if (dictionary, w) not in _VERDICTS}
    if todo:
        speller = _speller(dictionary)
        assert speller.stdin is not None and speller.stdout is not None
        source = speller.stdin

        def feed() -> None:  # from a thread: hunspell answers while it reads
            source.write("".join(f"{word}\n" for word in [*sorted(todo), _END]))  # a word a line
            source.flush()

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        unknown: set[str] = set()
        while (line := speller.stdout.readline()) != f"{_END}\n":
            assert line, f"hunspell -d {dictionary} ended"
            word = line.rstrip("\n")
            assert word in todo, f"hunspell -d {dictionary} split a word: {word!r}"
            unknown.add(word)
        for word in todo:
            _VERDICTS[dictionary, word] = word not in unknown
        writer.join(60)
    return {w for w in asked if not _VERDICTS[dictionary, w]}
