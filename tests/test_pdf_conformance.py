"""PDF/A-2a, tagging, language, title and fonts, checked with pikepdf and page-validation."""

from __future__ import annotations

import io

import page
import pikepdf
import pytest

from grantdocs.letters import LetterRenderer
from tests.helpers import make_case, rendered


@pytest.fixture(scope="module", params=[("granted", "nb"), ("partial", "nn"), ("rejected", "nb")],
                ids=lambda p: "-".join(p))
def pdf_bytes(request: pytest.FixtureRequest) -> bytes:
    kind, lang = request.param
    return rendered(kind, lang, "pdf")


def test_pdfa_2a_has_no_violation(pdf_bytes: bytes) -> None:
    report = page.validate_pdf_bytes(pdf_bytes, profile="2a")
    failures = [(f.rule_id, f.message) for f in report.failures]
    assert report.is_compliant, failures


def test_catalog_language_tags_and_title(pdf_bytes: bytes) -> None:
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        root = pdf.Root
        assert str(root.Lang) in ("nb-NO", "nn-NO")
        assert bool(root.MarkInfo.Marked) is True
        assert "/StructTreeRoot" in root
        assert len(root.StructTreeRoot.K) > 0
        assert "/OutputIntents" in root and len(root.OutputIntents) == 1
        title = str(pdf.docinfo["/Title"])
        assert title.startswith(("Tilskuddsbrev", "Tilskotsbrev", "Vedtak om avslag"))
        with pdf.open_metadata() as xmp:
            assert xmp["dc:title"] == title
            assert xmp["pdfaid:part"] == "2"
            assert xmp["pdfaid:conformance"] == "A"
        metadata = root.Metadata
        assert "/Filter" not in metadata  # uncompressed XMP, as strict validators want


def test_every_font_is_embedded_with_unicode_map(pdf_bytes: bytes) -> None:
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        fonts = {}
        for pg in pdf.pages:
            for font in pg.Resources.get("/Font", {}).values():
                fonts[str(font.BaseFont)] = font
        assert fonts, "no fonts found"
        for base, font in fonts.items():
            assert "Grantdocs-Sans" in base, f"a system font slipped in: {base}"
            assert "/ToUnicode" in font
            descendant = font.DescendantFonts[0]
            descriptor = descendant.FontDescriptor
            assert any(k in descriptor for k in ("/FontFile2", "/FontFile3", "/FontFile")), base


def test_sami_and_norwegian_letters_use_the_shipped_font(renderer: LetterRenderer) -> None:
    """á č đ ŋ š ŧ ž and æ ø å render from our font, not from a system fallback."""
    case = make_case("granted", "nb", organisation={"name": "Čáhppes Šuvŋŋát Ŧeađži Žár ÆØÅ"})
    data = renderer.render(case, "pdf")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        names = {str(f.BaseFont) for p in pdf.pages for f in p.Resources.Font.values()}
    assert all("Grantdocs-Sans" in n for n in names), names
    from tests.helpers import pdftotext

    assert "Čáhppes Šuvŋŋát Ŧeađži Žár ÆØÅ" in pdftotext(data)


def test_header_and_footer_carry_reference_and_page_numbers(pdf_bytes: bytes) -> None:
    from tests.helpers import pdftotext

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        pages = len(pdf.pages)
    text = pdftotext(pdf_bytes)
    for number in range(1, pages + 1):
        assert f"Side {number} av {pages}" in text
    if pages > 1:
        assert "Vår referanse: 22/00123-4" in text  # running header from page 2


def test_long_tables_repeat_their_header(renderer: LetterRenderer) -> None:
    """A table that splits across pages repeats its header row (thead as table-header-group)."""
    from grantdocs.writers.pdf import PdfWriter
    from tests.helpers import pdftotext

    rows = "".join(f"<tr><td>Post {i}</td><td>kr {i}</td></tr>" for i in range(120))
    html = (f'<!DOCTYPE html><html lang="nb-NO"><head><title>T</title></head><body><h1>T</h1>'
            f'<table class="data"><thead><tr><th>Budsjettpost</th><th>Beløp</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></body></html>")
    data, pages = PdfWriter().write_counted(html)
    assert pages >= 2
    assert pdftotext(data).count("Budsjettpost") == pages
