"""Benchmark: grantdocs letters against naive WeasyPrint, the layout floor, WeasyPrint's own
write_pdf of the same HTML, and docxtpl + soffice.

Run ``./run.sh bench`` or ``.venv/bin/python bench/letters.py [--n 200]``. See bench/README.md for
the method. Everything is measured in one run on this machine; nothing is estimated.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.conftest import make_case  # noqa: E402

from grantdocs.letters import LetterRenderer  # noqa: E402
from grantdocs.model import Case  # noqa: E402
from grantdocs.resources import TEMPLATES_DIR  # noqa: E402

GRANTDOCS = [sys.executable, "-m", "grantdocs"]


def cases(n: int, kind: str = "rejected") -> list[Case]:
    """``n`` valid two-page letters (rejections), differing in case number and recipient."""
    return [make_case(kind, "nn" if i % 3 == 0 else "nb",
                      decision={"case_number": f"22/{i + 1:05d}-1"},
                      organisation={"name": f"Frivillig Forening nr. {i + 1}"})
            for i in range(n)]


def timed(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def naive_html(html: str, css: str) -> str:
    """The letter HTML with the package's stylesheet inline and a system font instead of ours."""
    css = re.sub(r'"Grantdocs Sans"', '"DejaVu Sans"', css)
    return html.replace("</head>", f"<style>{css}</style></head>", 1)


def bench_naive(htmls: list[str]) -> float:
    from weasyprint import HTML

    css = (TEMPLATES_DIR / "letter.css").read_text("utf-8")
    docs = [naive_html(h, css) for h in htmls]
    HTML(string=docs[0], base_url=TEMPLATES_DIR.as_uri() + "/").write_pdf()  # warm-up
    return timed(lambda: [HTML(string=d, base_url=TEMPLATES_DIR.as_uri() + "/").write_pdf()
                          for d in docs])


def bench_floor(htmls: list[str], renderer: LetterRenderer) -> float:
    from weasyprint import HTML

    writer = renderer.pdf_writer()
    base = TEMPLATES_DIR.as_uri() + "/"

    def one(h: str) -> None:
        HTML(string=h, base_url=base, url_fetcher=writer._fetcher).render(
            stylesheets=writer._stylesheets, font_config=writer._fonts)

    one(htmls[0])
    return timed(lambda: [one(h) for h in htmls])


def weasyprint_direct(htmls: list[str]) -> Callable[[str], bytes]:
    """(f): WeasyPrint's own ``write_pdf``, set up once the way the package's writer is.

    The same HTML, the same two stylesheets (the shipped font's @font-face rules with the
    running texts, and ``letter.css``) parsed once into ``CSS`` objects with one
    ``FontConfiguration``, the same PDF/A-2a variant with tags, and no presentational
    hints. WeasyPrint's default URL fetcher and pydyf's default compression are used: no
    grantdocs code runs in the timed calls.
    """
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from grantdocs.writers.pdf import PDF_VARIANT, base_css

    fonts = FontConfiguration()
    sheets = [CSS(string=base_css(), font_config=fonts),
              CSS(filename=str(TEMPLATES_DIR / "letter.css"), font_config=fonts)]
    base = TEMPLATES_DIR.as_uri() + "/"

    def one(h: str) -> bytes:
        pdf: bytes = HTML(string=h, base_url=base).write_pdf(
            stylesheets=sheets, font_config=fonts, pdf_variant=PDF_VARIANT, pdf_tags=True,
            presentational_hints=False)
        return pdf

    one(htmls[0])  # warm-up
    return one


def bench_weasyprint(htmls: list[str]) -> float:
    one = weasyprint_direct(htmls)
    return timed(lambda: [one(h) for h in htmls])


def bench_pipeline(source: Path, jobs: int, n: int, fmt: str = "pdf") -> float:
    """One whole run_batch (planning, rendering, hashing, atomic writes, manifest).

    Like (a) and (d) it runs warm: a 10-letter batch first fills the process's
    caches (fonts, parsed CSS, templates), as in a long-running service or any
    batch after its first letters. Worker processes of ``jobs > 1`` are started
    inside the timed run.
    """
    from grantdocs import run_batch

    with tempfile.TemporaryDirectory() as warm, tempfile.TemporaryDirectory() as out:
        small = Path(warm) / "cases.json"
        doc = json.loads(source.read_text("utf-8"))
        small.write_text(json.dumps({**doc, "cases": doc["cases"][:10]}), "utf-8")
        run_batch([small], Path(warm) / "out", (fmt,), jobs=jobs)
        t = timed(lambda: run_batch([source], out, (fmt,), jobs=jobs))
        written = json.loads((Path(out) / "manifest.json").read_text())["summary"]["written"]
        assert written == n, f"{written} of {n} letters written"
    return t


def docxtpl_template(renderer: LetterRenderer, work: Path) -> Path:
    """Our DOCX writer's letter with the recipient and reference turned into {{ }} fields."""
    case = make_case("rejected", decision={"case_number": "22/99999-9"},
                     organisation={"name": "Organisasjon Plassholder"})
    data = renderer.render(case, "docx")
    template = work / "template.docx"
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as src, \
            zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename.startswith("word/") and item.filename.endswith(".xml"):
                text = body.decode("utf-8")
                text = text.replace("Organisasjon Plassholder", "{{ organisation }}")
                text = text.replace("22/99999-9", "{{ reference }}")
                body = text.encode("utf-8")
            dst.writestr(item, body)
    return template


PDFA_TAGGED = ('pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"},'
               '"UseTaggedPDF":{"type":"boolean","value":"true"}}')


def bench_docxtpl(renderer: LetterRenderer, n: int,
                  convert_to: str = "pdf") -> tuple[float, float, int] | None:
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    from docxtpl import DocxTemplate

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        template = docxtpl_template(renderer, work)
        docs = work / "docx"
        docs.mkdir()

        def fill() -> None:
            for i in range(n):
                tpl = DocxTemplate(template)
                tpl.render({"organisation": f"Frivillig Forening nr. {i + 1}",
                            "reference": f"22/{i + 1:05d}-1"})
                tpl.save(docs / f"letter-{i:05d}.docx")

        t_fill = timed(fill)
        pdfs = work / "pdf"
        profile = (work / "lo-profile").as_uri()
        files = sorted(str(p) for p in docs.glob("*.docx"))
        t_convert = timed(lambda: subprocess.run(
            [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", convert_to,
             "--outdir", str(pdfs), *files], check=True, capture_output=True, timeout=1800))
        converted = len(list(pdfs.glob("*.pdf")))
    return t_fill, t_convert, converted


def bench_docx(renderer: LetterRenderer, batch: list[Case]) -> float:
    renderer.render(batch[0], "docx")
    return len(batch) / timed(lambda: [renderer.render(c, "docx") for c in batch])


def bench_xlsx(n: int) -> tuple[float, str]:
    granted = [make_case("granted", decision={"case_number": f"22/{i + 1:05d}-1"})
               for i in range(n)]
    import importlib

    # The writer's home moved from accounts/ to writers/xlsx/ in issue 8; measure wherever it is.
    for module in ("grantdocs.writers.xlsx.accounts_workbook", "grantdocs.writers.xlsx",
                   "grantdocs.accounts.workbook"):
        try:
            write: Callable[[Case], bytes] = importlib.import_module(
                module).write_accounts_workbook
        except (ImportError, AttributeError):
            continue
        write(granted[0])
        t = timed(lambda w=write: [w(c) for c in granted])
        return n / t, f"{module}.write_accounts_workbook (accounts workbook)"
    import io

    from openpyxl import Workbook

    def one(case: Case) -> bytes:
        wb = Workbook()
        ws = wb.active
        ws.append(["Post", "Budsjett", "Regnskap", "Avvik"])
        for row in range(2, 22):
            ws.append([f"Post {row}", 1000 * row, None, f"=C{row}-B{row}"])
        ws["A1"] = case.reference
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    t = timed(lambda: [one(c) for c in granted])
    return n / t, "openpyxl, a comparable 20-row budget workbook (no accounts module found)"


def help_time() -> float:
    exe = Path(sys.executable).parent / "grantdocs"
    cmd = [str(exe), "--help"] if exe.exists() else [*GRANTDOCS, "--help"]
    times = []
    for _ in range(5):
        times.append(timed(lambda: subprocess.run(cmd, check=True, capture_output=True)))
    return statistics.median(times)


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__,
        epilog="Peak memory on PDF output (1,000 and 5,000 letters) is a benchmark of its own: "
               ".venv/bin/python bench/memory.py (see bench/README.md).")
    parser.add_argument("--n", type=int, default=200, help="letters per measurement")
    parser.add_argument("--rounds", type=int, default=3,
                        help="interleaved rounds of (a)-(d) and (f); each keeps its fastest")
    parser.add_argument("--only", metavar="KEYS", default="",
                        help="measure only these of a,b,c,d,f (e.g. b,f for the (b)/(f) ratio "
                             "alone, a few minutes); skips (e), DOCX, XLSX and --help")
    args = parser.parse_args()
    n = args.n
    only = {k.strip() for k in args.only.split(",") if k.strip()}
    if only - set("abcdf"):
        parser.error(f"--only takes a, b, c, d and f, not {', '.join(sorted(only - set('abcdf')))}")
    started = time.perf_counter()

    from grantdocs.writers.pdf import harfbuzz_subsetting_available

    print(f"grantdocs letter benchmark: N={n} two-page letters, {os.cpu_count()} CPUs, "
          f"Python {sys.version.split()[0]}", flush=True)
    import weasyprint

    print(f"WeasyPrint {weasyprint.__version__}; HarfBuzz subsetting: "
          f"{'yes' if harfbuzz_subsetting_available() else 'NO (fontTools fallback)'}", flush=True)

    renderer = LetterRenderer()
    batch = cases(n)
    htmls = [renderer.html(c).html for c in batch]
    pages = renderer.pdf_writer().write_counted(htmls[0])[1]
    print(f"letter: {pages} pages\n", flush=True)

    # (a)-(d) and (f) run in interleaved rounds and each keeps its fastest round: on a shared, noisy
    # machine a slow spell then hits every measurement alike instead of one of them.
    results: dict[str, float] = {}
    labels = {
        "a": "(a) naive WeasyPrint write_pdf, DejaVu Sans, no PDF/A:",
        "b": "(b) grantdocs run_batch, jobs=1 (PDF/A-2a, tagged):    ",
        "c": "(c) grantdocs run_batch, jobs=2 (wall):                ",
        "d": "(d) layout floor, render() alone:                      ",
        "f": "(f) WeasyPrint write_pdf, same HTML/CSS/fonts, PDF/A-2a:",
    }
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "cases.json"
        source.write_text(json.dumps({"schema_version": "1", "cases": [
            c.model_dump(mode="json") for c in batch]}, ensure_ascii=False), "utf-8")
        for round_ in range(1, args.rounds + 1):
            steps: dict[str, Callable[[], float]] = {
                "a": lambda: bench_naive(htmls),
                "b": lambda: bench_pipeline(source, 1, n),
                "c": lambda: bench_pipeline(source, 2, n),
                "d": lambda: bench_floor(htmls, renderer),
                "f": lambda: bench_weasyprint(htmls),
            }
            measured = {k: step() for k, step in steps.items() if not only or k in only}
            print(f"round {round_}: " + ", ".join(
                f"({k}) {v / n * 1000:.1f}" for k, v in measured.items()) + " ms/letter",
                flush=True)
            for key, value in measured.items():
                results[key] = min(results.get(key, value), value)
    print(f"\nfastest of {args.rounds} rounds:")
    for key, label in labels.items():
        if key in results:
            print(f"{label} {results[key] / n * 1000:6.1f} ms/letter", flush=True)
    if only:
        print("\nratios:")
        for a, b, what, target in (("a", "b", "naive / grantdocs", ">= 1.2"),
                                   ("b", "d", "grantdocs / layout floor", "<= 1.3"),
                                   ("b", "c", "jobs=1 / jobs=2", ">= 1.8"),
                                   ("b", "f", "grantdocs / WeasyPrint direct", "<= 1.1")):
            if a in results and b in results:
                value = results[a] / results[b]
                bound = float(target.split()[1])
                ok = value >= bound if target.startswith(">") else value <= bound
                print(f"  {f'({a})/({b}) {what}':38} {value:6.2f}   target {target:7} "
                      f"{verdict(ok)}")
        print(f"\ntotal benchmark time: {time.perf_counter() - started:.0f} s")
        return
    for key, convert_to, label in (("e", "pdf", "pdf"),
                                   ("e2", PDFA_TAGGED, "PDF/A-2 tagged (same output class)")):
        docxtpl = bench_docxtpl(renderer, n, convert_to)
        if docxtpl is None:
            print("(e) docxtpl + soffice: soffice not installed, skipped", flush=True)
            break
        fill, convert, converted = docxtpl
        assert converted == n, f"soffice converted {converted} of {n}"
        results[key] = fill + convert
        print(f"({key}) docxtpl + soffice --convert-to {label} (one call, {converted} files): "
              f"{results[key] / n * 1000:6.1f} ms/letter "
              f"(docxtpl {fill / n * 1000:.1f}, soffice {convert / n * 1000:.1f})", flush=True)

    docx_rate = bench_docx(renderer, batch[: max(50, n // 2)])
    xlsx_rate, xlsx_how = bench_xlsx(max(20, n // 10))
    print(f"\nDOCX: {docx_rate:.1f} letters/s per core (LetterRenderer, format docx)")
    print(f"XLSX: {xlsx_rate:.1f} workbooks/s per core via {xlsx_how}", flush=True)

    help_s = help_time()
    print(f"\n`grantdocs --help`: {help_s:.3f} s (median of 5)")

    print("\nratios (targets from issues 4 and 8):")
    rows: list[tuple[str, float | None, str, bool | None]] = [
        ("(a)/(b) naive / grantdocs", results["a"] / results["b"], ">= 1.2", None),
        ("(b)/(d) grantdocs / layout floor", results["b"] / results["d"], "<= 1.3", None),
        ("(e)/(b) docxtpl+soffice / grantdocs",
         results["e"] / results["b"] if "e" in results else None, ">= 2", None),
        ("(e2)/(b) same, soffice PDF/A-2 tagged",
         results["e2"] / results["b"] if "e2" in results else None, ">= 2", None),
        ("(b)/(c) jobs=1 / jobs=2", results["b"] / results["c"], ">= 1.8", None),
        ("(b)/(f) grantdocs / WeasyPrint direct", results["b"] / results["f"], "<= 1.1", None),
    ]
    for name, value, target, _ in rows:
        if value is None:
            print(f"  {name:38} {'n/a':>6}   target {target}")
            continue
        bound = float(target.split()[1])
        ok = value >= bound if target.startswith(">") else value <= bound
        print(f"  {name:38} {value:6.2f}   target {target:7} {verdict(ok)}")
    print(f"  {'DOCX letters/s per core':38} {docx_rate:6.1f}   target >= 30   "
          f"{verdict(docx_rate >= 30)}")
    print(f"  {'grantdocs --help (s)':38} {help_s:6.3f}   target < 0.3   "
          f"{verdict(help_s < 0.3)}")
    print(f"\ntotal benchmark time: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
