"""The DOCX writer on small HTML fragments, unknown tags and document properties, read back
with python-docx; and on the letter templates themselves."""

from __future__ import annotations

import datetime
import re
import zipfile
from io import BytesIO
from typing import Any

import docx
import pytest

from grantdocs.writers.docx import DocxMeta, html_to_docx
from tests.helpers import docx_footer_text, make_case, rendered

NBSP = "\u00a0"
META = DocxMeta(
    title="Tilskuddsbrev", author="IMDi", language="nb-NO", created=datetime.datetime(2026, 1, 1)
)


def part_xml(data: bytes, name: str) -> str:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return archive.read(name).decode("utf-8")


def paragraphs(html: str) -> list[Any]:
    return list(docx.Document(BytesIO(html_to_docx(html, META))).paragraphs)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>  a \n b  </p>", ["a b"]),
        ("<p>a<strong> b </strong> c</p>", ["a b c"]),
        ("<p>a <br>  b</p>", ["a\nb"]),
        ("<div>loose <em>text</em><p>para</p>tail</div>", ["loose text", "para", "tail"]),
        ("<p>x<span><div>inner</div></span>y</p>", ["x\ninner\ny"]),
        (f"<p>{NBSP}kr{NBSP}5 </p>", [f"{NBSP}kr{NBSP}5"]),
        ("<p>a<!-- comment -->b</p>", ["ab"]),
        ("<p>bell\x07 nul\x00</p>", ["bell\ufffd nul\ufffd"]),
        ("", [""]),
        ("<table>stray<tr><td>cell</td></tr></table>", ["stray", ""]),
        ("<figure><p>chart</p><figcaption>Figure 1</figcaption></figure>", ["chart", "Figure 1"]),
        # Not text for the reader: never written.
        ("<p>a<script>s()</script><style>p{}</style><svg><text>z</text></svg>b</p>", ["ab"]),
    ],
)
def test_inline_subset(html: str, expected: list[str]) -> None:
    assert [p.text for p in paragraphs(html)] == expected


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # An unknown element holding blocks is a container ...
        ("<article><p>a</p><p>b</p></article>", ["a", "b"]),
        ("<section><custom-el><p>kept</p></custom-el></section>", ["kept"]),
        # ... any other is inline text, as in a browser for an unknown tag.
        ("<section><custom-el>kept</custom-el></section>", ["kept"]),
        ("<blockquote>quoted</blockquote>", ["quoted"]),
        ("<address>Storgata 1<br>0155 Oslo</address>", ["Storgata 1\n0155 Oslo"]),
        ("<pre>a  b\n  c</pre>", ["a b c"]),
        ("<p>a <u>b</u> <code>c</code> <b>d</b></p>", ["a b c d"]),
        ("<table><tfoot><tr><td>sum</td></tr></tfoot></table>", ["sum"]),
        ("<dl><dt>term</dt> <dd>meaning</dd></dl>", ["term meaning"]),
    ],
)
def test_unknown_tags_degrade_to_paragraphs_or_text(html: str, expected: list[str]) -> None:
    written = paragraphs(html)
    assert [p.text for p in written] == expected
    assert all(p.style.name == "Normal" for p in written)
    runs = [r for p in written for r in p.runs]
    assert not any(r.bold or r.italic or r.underline or r.font.name for r in runs)


def test_strong_is_bold_and_em_italic() -> None:
    (paragraph,) = paragraphs("<p><strong>bold</strong> and <em>italic</em></p>")
    assert [(r.text, bool(r.bold), bool(r.italic)) for r in paragraph.runs] == [
        ("bold", True, False),
        (" and ", False, False),
        ("italic", False, True),
    ]


def test_nested_lists_and_continuation_paragraphs() -> None:
    html = (
        "<ol start='3'><li>three<ul><li>sub</li></ul>after</li><li><p>four</p></li></ol>"
        "<ul><li>bullet</li></ul>"
    )
    document: Any = docx.Document(BytesIO(html_to_docx(html, META)))
    assert [(p.text, p.style.name) for p in document.paragraphs] == [
        ("three", "List Number"),
        ("sub", "List Bullet 2"),
        ("after", "List Continue"),
        ("four", "List Number"),
        ("bullet", "List Bullet"),
    ]
    numbering = document.part.numbering_part.element.xml
    assert '<w:startOverride w:val="3"/>' in numbering


def test_long_core_property_is_clipped() -> None:
    meta = DocxMeta(
        title="x" * 400, author="a", language="nb-NO", created=datetime.datetime(2026, 1, 1)
    )
    props = docx.Document(BytesIO(html_to_docx("<p>x</p>", meta))).core_properties
    assert len(props.title) == 255


def test_language_in_styles_and_core_properties() -> None:
    meta = DocxMeta(
        title="Tilskotsbrev",
        author="Bjørnafjorden kommune",
        language="nn-NO",
        created=datetime.datetime(2026, 5, 4, 12, 30),
    )
    data = html_to_docx("<p>Vi har fått søknaden.</p>", meta)
    styles = part_xml(data, "word/styles.xml")
    assert re.search(r'<w:rPrDefault><w:rPr>.*<w:lang w:val="nn-NO"', styles)
    document = docx.Document(BytesIO(data))
    props = document.core_properties
    assert props.title == "Tilskotsbrev"
    assert props.author == "Bjørnafjorden kommune"
    assert props.language == "nn-NO"
    expected = datetime.datetime(2026, 5, 4, 12, 30, tzinfo=datetime.UTC)
    assert props.created == props.modified == expected


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_real_letter_has_running_header_and_footer(lang: str) -> None:
    """The letter templates' <body> attributes become the DOCX header and footer."""
    case = make_case("granted", lang)
    document = docx.Document(BytesIO(rendered("granted", lang, "docx")))
    section = document.sections[0]
    header = section.header.paragraphs[0].text
    assert header.startswith("IMDi – Vår referanse: " + case.decision.case_number)
    footer = docx_footer_text(section.footer)
    assert "Side 1 av 1" in footer  # PAGE / NUMPAGES placeholders
    assert "Postboks 2984 Tøyen, 0608 Oslo" in footer and "Org.nr." in footer
    assert section.different_first_page_header_footer
    assert not "".join(p.text for p in section.first_page_header.paragraphs)
    assert footer == docx_footer_text(section.first_page_footer)
