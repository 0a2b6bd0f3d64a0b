"""The DOCX writer on a two-page letter like the templates render, read back with python-docx
and LibreOffice. Small fragments and unknown tags: test_docx_fragments.py."""

from __future__ import annotations

import datetime
import re
import subprocess
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

import docx
import pytest

from grantdocs.resources import TEMPLATES_DIR
from grantdocs.writers.docx import DocxMeta, html_to_docx
from tests.helpers import docx_footer_text, require_tool

NBSP = "\u00a0"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HOSTILE = "<script>alert(1)</script> {{ 7*7 }} =SUM(A1)"
HOSTILE_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} =SUM(A1)"

META = DocxMeta(
    title="Tilskuddsbrev – vedtak om tilskudd – 26/01234 – Foreningen Fellesskap",
    author="Integrerings- og mangfoldsdirektoratet",
    language="nb-NO",
    subject="Tilskuddsbrev, Integreringsarbeid i regi av sivilsamfunn",
    keywords="26/01234",
    created=datetime.datetime(2026, 11, 28, 0, 0, 0),
)


def letter_html(lang: str = "nb-NO", rows: int = 12) -> str:
    """A 2-page letter like the templates render: letterhead, refs, facts, lists, table."""
    budget = "\n".join(
        f"<tr><td>Post {i}: aktiviteter og materiell</td>"
        f'<td class="num">kr{NBSP}{i * 12}{NBSP}500</td>'
        f'<td class="num">kr{NBSP}{i * 10}{NBSP}000</td></tr>'
        for i in range(1, rows + 1)
    )
    paragraph = (
        "<p>Tilskuddet skal brukes til prosjektet «Språkkafé for alle» og skal bidra til å nå "
        "delmålene for ordningen. Midler som ikke er brukt, skal rapporteres og betales tilbake. "
        "Dere må gi oss beskjed straks dersom forutsetningene for tilskuddet endrer seg.</p>"
    )
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>Tilskuddsbrev – 26/01234</title>
<link rel="stylesheet" href="file:///etc/passwd">
<style>body {{ background: url("file:///etc/passwd") }}</style>
</head>
<body data-running-header="IMDi – Vår referanse: 26/01234 – 28.11.2026"
      data-running-footer="Integrerings- og mangfoldsdirektoratet ·
Postboks 2 Sentrum, 0101 OSLO · Org.nr. 987{NBSP}654{NBSP}321"
      data-page-word="Side" data-of-word="av">
<div class="letterhead">
<p class="issuer-name">Integrerings- og mangfoldsdirektoratet</p>
<p class="issuer-unit">Avdeling for tilskudd</p>
</div>
<div class="recipient">
<p>Foreningen Fellesskap</p>
<p>v/ Kari Nordmann</p>
<p>Storgata 1</p>
<p>0155 OSLO</p>
</div>
<table class="refs plain">
<thead>
<tr><th scope="col">Vår referanse</th><th scope="col">Deres referanse</th>
<th scope="col">Saksbehandler</th><th scope="col">Dato</th></tr>
</thead>
<tbody>
<tr><td>26/01234</td><td>–</td><td>Ola Hansen</td><td>28.11.2026</td></tr>
</tbody>
</table>
<h1>Tilskuddsbrev – vedtak om tilskudd</h1>
<p>Vi viser til søknaden deres datert 1. oktober 2026 om tilskudd.</p>
<h2>Vedtak</h2>
<p>Integrerings- og mangfoldsdirektoratet har vedtatt å gi Foreningen Fellesskap et tilskudd på
   <strong>kr{NBSP}450{NBSP}000</strong>   til  «Språkkafé for alle».</p>
<img src="file:///etc/passwd" alt="x">
<script>document.write("secret")</script>
<p class="hostile">{HOSTILE_ESCAPED}</p>
<table class="facts">
<tbody>
<tr><th scope="row">Tilskuddsmottaker</th><td>Foreningen Fellesskap</td></tr>
<tr><th scope="row">Innvilget beløp</th><td><strong>kr{NBSP}450{NBSP}000</strong></td></tr>
</tbody>
</table>
<h2>Formål og forventede resultater</h2>
{paragraph}
<ul>
<li>Delmål A: kvalifisering av innvandrere.</li>
<li>Delmål B: deltakelse i <em>frivillig arbeid</em>.</li>
</ul>
<p>Resultatmål:</p>
<ol>
<li>Første mål</li>
<li>Andre mål</li>
</ol>
<p>Andre liste:</p>
<ol>
<li>Tredje mål</li>
<li>Fjerde mål</li>
</ol>
<h2>Budsjett</h2>
<table class="data">
<thead>
<tr><th>Budsjettpost</th><th class="num">Søkt</th><th class="num">Innvilget</th></tr>
</thead>
<tbody>
{budget}
<tr><td colspan="2"><strong>Sum</strong></td><td class="num">kr{NBSP}780{NBSP}000</td></tr>
</tbody>
</table>
<h3>Rapportering</h3>
{paragraph * 3}
<p class="note">Prosjektregnskap for tilskudd på kr{NBSP}100{NBSP}000 eller mer
skal attesteres av revisor.</p>
<h2>Klagerett</h2>
{paragraph * 3}
<div class="signature">
<p>Med vennlig hilsen</p>
<p>Integrerings- og mangfoldsdirektoratet</p>
<div class="signers">
<p class="signer">Anne Leder<br>avdelingsdirektør</p>
</div>
<p class="e-signed">Dokumentet er elektronisk godkjent og har derfor ingen
håndskrevne signaturer.</p>
</div>
<section class="acceptance">
<h2>Akseptskjema</h2>
<p>Returneres til Integrerings- og mangfoldsdirektoratet, merket med vår referanse 26/01234.</p>
<table class="form plain">
<tbody>
<tr><th scope="row">Sted og dato</th><td></td></tr>
<tr><th scope="row">Underskrift</th><td></td></tr>
</tbody>
</table>
</section>
</body>
</html>
"""


@pytest.fixture(scope="module")
def letter_bytes() -> bytes:
    return html_to_docx(letter_html(), META)


@pytest.fixture(scope="module")
def letter(letter_bytes: bytes) -> Any:
    return docx.Document(BytesIO(letter_bytes))


def part_xml(data: bytes, name: str) -> str:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return archive.read(name).decode("utf-8")


def paragraphs_with_style(document: Any, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def test_headings_use_builtin_heading_styles(letter: Any) -> None:
    assert paragraphs_with_style(letter, "Heading 1") == ["Tilskuddsbrev – vedtak om tilskudd"]
    assert paragraphs_with_style(letter, "Heading 2")[:2] == [
        "Vedtak",
        "Formål og forventede resultater",
    ]
    assert paragraphs_with_style(letter, "Heading 3") == ["Rapportering"]
    assert not paragraphs_with_style(letter, "Title")


def test_lists_use_list_styles(letter: Any) -> None:
    assert paragraphs_with_style(letter, "List Bullet") == [
        "Delmål A: kvalifisering av innvandrere.",
        "Delmål B: deltakelse i frivillig arbeid.",
    ]
    assert paragraphs_with_style(letter, "List Number") == [
        "Første mål",
        "Andre mål",
        "Tredje mål",
        "Fjerde mål",
    ]
    italic = [r.text for p in letter.paragraphs for r in p.runs if r.italic]
    assert italic == ["frivillig arbeid"]


def test_each_ordered_list_restarts_at_one(letter_bytes: bytes, letter: Any) -> None:
    num_ids = []
    for paragraph in letter.paragraphs:
        if paragraph.style.name == "List Number":
            num_ids.append(paragraph._p.pPr.numPr.numId.val)
    assert num_ids[0] == num_ids[1] and num_ids[2] == num_ids[3]
    assert num_ids[0] != num_ids[2]
    numbering = part_xml(letter_bytes, "word/numbering.xml")
    for num_id in {num_ids[0], num_ids[2]}:
        match = re.search(rf'<w:num w:numId="{num_id}">(.*?)</w:num>', numbering)
        assert match, num_id
        assert '<w:startOverride w:val="1"/>' in match.group(1)


def test_table_with_repeating_bold_header_row(letter: Any) -> None:
    data = letter.tables[2]
    assert data.style.name == "Grantdocs Table"
    assert len(data.rows) == 14  # header, 12 rows, sum
    header_tr = data.rows[0]._tr
    assert header_tr.find(f"{{{W_NS}}}trPr/{{{W_NS}}}tblHeader") is not None
    assert data.rows[1]._tr.find(f"{{{W_NS}}}trPr/{{{W_NS}}}tblHeader") is None
    header_runs = [r for c in data.rows[0].cells for p in c.paragraphs for r in p.runs]
    assert header_runs and all(r.bold for r in header_runs)
    assert [c.text for c in data.rows[0].cells] == ["Budsjettpost", "Søkt", "Innvilget"]
    assert data.rows[1].cells[1].text == f"kr{NBSP}12{NBSP}500"
    # colspan="2" merges the first two cells of the sum row
    sum_row = data.rows[13].cells
    assert sum_row[0]._tc is sum_row[1]._tc
    assert sum_row[0].text == "Sum"


def test_plain_tables_have_no_borders(letter: Any) -> None:
    refs, facts = letter.tables[0], letter.tables[1]
    assert refs.style.name == "Normal Table"
    assert facts.style.name == "Grantdocs Table"
    # A first row of th only repeats too (no thead); row headers (th + td) do not.
    assert refs.rows[0]._tr.find(f"{{{W_NS}}}trPr/{{{W_NS}}}tblHeader") is not None
    assert facts.rows[0]._tr.find(f"{{{W_NS}}}trPr/{{{W_NS}}}tblHeader") is None


def test_header_and_footer_with_page_fields(letter_bytes: bytes, letter: Any) -> None:
    section = letter.sections[0]
    assert section.header.paragraphs[0].text == "IMDi – Vår referanse: 26/01234 – 28.11.2026"
    assert section.header.paragraphs[0].style.name == "Header"
    footer_text = docx_footer_text(section.footer)
    assert "Side 1 av 1" in footer_text  # the field placeholders
    assert f"Org.nr. 987{NBSP}654{NBSP}321" in footer_text
    # as in the PDF: the footer's text on the left, the page number on the right
    (cells,) = [row.cells for table in section.footer.tables for row in table.rows]
    assert f"Org.nr. 987{NBSP}654{NBSP}321" in cells[0].text
    assert cells[1].text == "Side 1 av 1"
    assert cells[1].paragraphs[0].alignment == 2  # right
    assert all(p.style.name == "Footer" for c in cells for p in c.paragraphs)
    footer_xml = section.footer._element.xml
    assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", footer_xml)
    assert re.search(r"<w:instrText[^>]*> NUMPAGES </w:instrText>", footer_xml)
    assert footer_xml.count('w:fldCharType="begin"') == 2
    assert footer_xml.count('w:fldCharType="end"') == 2
    # The first page has the letterhead: no running header there, the same footer.
    assert section.different_first_page_header_footer
    assert "Side 1 av 1" in docx_footer_text(section.first_page_footer)


def test_non_breaking_spaces_and_whitespace(letter: Any) -> None:
    texts = [p.text for p in letter.paragraphs]
    decision = next(t for t in texts if t.startswith("Integrerings- og mangfoldsdirektoratet har"))
    assert f"kr{NBSP}450{NBSP}000" in decision
    assert decision.endswith(f"tilskudd på kr{NBSP}450{NBSP}000 til «Språkkafé for alle».")
    assert "  " not in decision and "\n" not in decision
    bold = [r.text for p in letter.paragraphs for r in p.runs if r.bold]
    assert f"kr{NBSP}450{NBSP}000" in bold


def test_hostile_text_is_literal_and_nothing_is_fetched(letter_bytes: bytes, letter: Any) -> None:
    texts = [p.text for p in letter.paragraphs]
    assert HOSTILE in texts
    everything = "\n".join(texts)
    assert "secret" not in everything  # <script> content is dropped, not run
    assert "root:" not in everything
    with zipfile.ZipFile(BytesIO(letter_bytes)) as archive:
        names = archive.namelist()
        assert not any(name.startswith("word/media") for name in names)
        assert all(b"root:x:0:0" not in archive.read(name) for name in names)
        assert "passwd" not in archive.read("word/_rels/document.xml.rels").decode()


def test_conversion_opens_no_file_and_no_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins
    import socket

    html = letter_html()
    html_to_docx(html, META)  # the base package is built (and cached) before watching
    opened: list[str] = []
    real_open = builtins.open

    def watching_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    def no_connect(*_: Any, **__: Any) -> None:
        raise AssertionError("the DOCX writer tried to connect")

    monkeypatch.setattr(builtins, "open", watching_open)
    monkeypatch.setattr(socket.socket, "connect", no_connect)
    html_to_docx(html, META)
    docx_package = Path(docx.__file__).parent
    assert all(Path(path).is_relative_to(docx_package) for path in opened), opened


def test_core_properties(letter_bytes: bytes, letter: Any) -> None:
    props = letter.core_properties
    assert props.title == META.title
    assert props.author == META.author
    assert props.last_modified_by == META.author
    assert props.subject == META.subject
    assert props.keywords == META.keywords
    assert props.revision == 1
    assert props.created == META.created.replace(tzinfo=datetime.UTC)
    assert props.last_printed == META.created.replace(tzinfo=datetime.UTC)
    assert "python-docx" not in part_xml(letter_bytes, "docProps/core.xml")
    assert 'w:lang w:val="nb-NO"' in part_xml(letter_bytes, "word/styles.xml")


def test_page_is_a4_with_the_pdfs_margins(letter: Any) -> None:
    """The margins of letter.css's @page (top right bottom left, in mm), not Word's."""
    css = (TEMPLATES_DIR / "letter.css").read_text(encoding="utf-8")
    page = re.search(r"@page\s*\{[^}]*?margin:\s*([^;]+);", css)
    assert page
    top, right, bottom, left = (float(v.removesuffix("mm")) for v in page.group(1).split())
    section = letter.sections[0]
    assert round(section.page_width.mm) == 210
    assert round(section.page_height.mm) == 297
    margins = (section.top_margin, section.right_margin, section.bottom_margin,
               section.left_margin)
    assert [round(m.mm, 1) for m in margins] == [top, right, bottom, left]


def test_output_is_deterministic(letter_bytes: bytes) -> None:
    assert html_to_docx(letter_html(), META) == letter_bytes
    with zipfile.ZipFile(BytesIO(letter_bytes)) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert "docProps/thumbnail.jpeg" not in [info.filename for info in infos]


def test_page_breaks_signature_and_small_text(letter: Any) -> None:
    paragraphs = letter.paragraphs
    acceptance = next(p for p in paragraphs if p.text == "Akseptskjema")
    assert acceptance.paragraph_format.page_break_before
    signature_start = next(i for i, p in enumerate(paragraphs) if p.text == "Med vennlig hilsen")
    signature = paragraphs[signature_start : signature_start + 4]
    assert [p.text for p in signature][2] == "Anne Leder\navdelingsdirektør"
    assert all(p.paragraph_format.keep_with_next for p in signature[:-1])
    assert not signature[-1].paragraph_format.keep_with_next
    assert signature[-1].style.name == "Small"
    assert any(p.style.name == "Small" and "revisor" in p.text for p in paragraphs)


@pytest.fixture(scope="module")
def converted_pdf(libreoffice_pdfs: dict[str, Path]) -> Path:
    """This module's letter as LibreOffice exports it (in the session's one LibreOffice run)."""
    pdf = libreoffice_pdfs["fragment-letter.docx"]
    assert pdf.exists()
    return pdf


@pytest.mark.slow
def test_libreoffice_computes_page_fields(converted_pdf: Path) -> None:
    pdftotext = require_tool("pdftotext")
    text = subprocess.run(
        [pdftotext, "-layout", str(converted_pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "Side 1 av" in text
    pages = re.findall(r"Side (\d+) av (\d+)", text)
    assert len(pages) >= 2
    total = pages[0][1]
    assert [int(n) for n, _ in pages] == list(range(1, len(pages) + 1))
    assert all(count == total for _, count in pages)
    assert "Tilskuddsbrev – vedtak om tilskudd" in text
    assert HOSTILE in text.replace("\n", " ") or "<script>alert(1)</script>" in text
