"""A new issuer, as the README tells a municipality to make one, and its logo in the letters.

`grantdocs issuer init` writes the profile; the test fills it in the way the README's
"Issuer profile" steps say (every "" value, and the optional logo line with its "# "
removed), `issuer check` passes it, and a letter made with it shows the logo: in the
PDF an image XObject on page 1 with the logo's pixel size (pypdf), in the DOCX an inline
picture among the first paragraphs with the logo's very bytes (python-docx).
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from io import BytesIO
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from tests.helpers import ROOT, cli, make_case, pdftotext

LOGO_SIZE = (240, 96)

# What a caseworker in Sandnes types into the profile's "" values.
FILLED = {
    "id": "sandnes",
    "name.nb": "Sandnes kommune",
    "name.nn": "Sandnes kommune",
    "short_name.nb": "Sandnes kommune",
    "short_name.nn": "Sandnes kommune",
    "org_number": "964965137",
    "postcode": "4302",
    "city": "Sandnes",
    "name": "Ingrid Haaland",
    "title.nb": "kommunalsjef",
    "title.nn": "kommunalsjef",
}


def png(width: int, height: int) -> bytes:
    """An RGB PNG with a horizontal gradient, written by hand (no imaging library)."""
    rows = b"".join(b"\x00" + bytes(v for x in range(width) for v in (x % 256, 53, 91))
                    for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def fill_in(template: str) -> str:
    """Step 2 and 3 of the README: every "" value filled in, the logo line switched on."""
    lines = []
    for line in template.splitlines():
        match = re.fullmatch(r'([\w.]+) = ""', line)
        if match:
            line = f'{match.group(1)} = "{FILLED[match.group(1)]}"'
        elif line == 'address = [""]':
            line = 'address = ["Postboks 583"]'
        elif line == '# logo = "logo.png"':
            line = 'logo = "logo.png"'
        lines.append(line)
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def sandnes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sandnes")
    profile = folder / "sandnes.toml"
    made = cli("issuer", "init", profile)
    assert made.exit_code == 0, made.output
    profile.write_text(fill_in(profile.read_text("utf-8")), "utf-8")
    settings = [line for line in profile.read_text("utf-8").splitlines()
                if line and not line.startswith("#")]
    assert 'logo = "logo.png"' in settings and not any('""' in line for line in settings)
    (folder / "logo.png").write_bytes(png(*LOGO_SIZE))
    return profile


@pytest.fixture(scope="module")
def letter(sandnes: Path) -> dict[str, bytes]:
    """One grant letter from Sandnes as PDF and DOCX, made on the command line."""
    folder = sandnes.parent
    case = make_case("granted", "nb")
    (folder / "vedtak.json").write_text(
        json.dumps({"cases": [case.model_dump(mode="json")]}, ensure_ascii=False), "utf-8")
    run = cli("letters", folder / "vedtak.json", "--out", folder / "brev",
              "--format", "pdf,docx", "--issuer", sandnes, "--jobs", "1")
    assert run.exit_code == 0, run.output
    return {p.suffix: p.read_bytes() for p in (folder / "brev").iterdir()
            if p.suffix in (".pdf", ".docx")}


def test_the_template_fails_the_check_until_filled_in(tmp_path: Path) -> None:
    profile = tmp_path / "new.toml"
    assert cli("issuer", "init", profile).exit_code == 0
    again = cli("issuer", "init", profile)
    assert again.exit_code == 2 and "exists" in again.stderr
    check = cli("issuer", "check", profile)
    assert check.exit_code == 2
    for field in ("id", "name.nb", "name.nn", "org_number", "postcode", "city",
                  "[[signatories]] no. 1, name", "[[signatories]] no. 1, title.nn"):
        assert f"{profile}: {field}: empty; fill it in" in check.stderr, check.stderr


def test_every_template_field_is_in_the_readme_table() -> None:
    from grantdocs.issuer import ISSUER_TEMPLATE, Issuer

    readme = (ROOT / "README.md").read_text("utf-8")
    table = readme[readme.index("| Field | Required |"):]
    table = table[:table.index("\n\n")]
    first_cells = " ".join(row.split("|")[1] for row in table.splitlines()[2:])
    documented = set(re.findall(r"[a-z_]+", first_cells))
    fields = {f for f in Issuer.model_fields if f != "source_dir"}
    assert fields <= documented, fields - documented
    template = ISSUER_TEMPLATE.read_text("utf-8")
    for field in fields:  # every field is in the template, with a comment above it
        assert re.search(rf"^(# )?(\[\[)?{field}\b", template, re.M), field


def test_the_filled_in_profile_passes_the_check(sandnes: Path) -> None:
    check = cli("issuer", "check", sandnes)
    assert check.exit_code == 0, check.output
    assert "Sandnes kommune can be used" in check.stdout
    assert f"logo {LOGO_SIZE[0]} × {LOGO_SIZE[1]} pixels" in check.stdout


def test_the_pdf_letterhead_shows_the_logo(letter: dict[str, bytes]) -> None:
    page = PdfReader(BytesIO(letter[".pdf"])).pages[0]
    xobjects = page["/Resources"]["/XObject"]
    images = [xobjects[name].get_object() for name in xobjects
              if xobjects[name].get_object()["/Subtype"] == "/Image"]
    assert [(i["/Width"], i["/Height"]) for i in images] == [LOGO_SIZE]
    text = pdftotext(letter[".pdf"])
    assert text.lstrip().startswith("Sandnes kommune")
    assert "964 965 137" in text


def test_the_docx_letterhead_shows_the_same_image(letter: dict[str, bytes], sandnes: Path) -> None:
    document = docx.Document(BytesIO(letter[".docx"]))
    logo = (sandnes.parent / "logo.png").read_bytes()
    blips = []
    for paragraph in document.paragraphs[:3]:
        for blip in paragraph._p.xpath(".//a:blip"):
            rid = blip.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
            blips.append(document.part.related_parts[rid].blob)
    assert blips == [logo]
    shape = document.inline_shapes[0]
    assert round(shape.height.mm) == 16 and round(shape.width.mm) == 40  # the PDF's size
    assert document.paragraphs[0]._p.xpath(".//wp:docPr")[0].get("descr") == "Sandnes kommune"
    assert document.paragraphs[1].text == "Sandnes kommune"
