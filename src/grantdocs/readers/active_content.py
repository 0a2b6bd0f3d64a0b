"""Active content in a file a grantee returns: what would run or reach out when a
caseworker opens it, found so the file is refused instead of kept.

Each check takes bytes that already passed the zip guard (:mod:`grantdocs.readers.zipguard`:
members and inflated size bounded) or the report size limit, and returns the kind of
active content found (a short code) or None:

* :func:`office_active` (DOCX, XLSX, ODT): macros (``vbaProject.bin``, ``Basic/``,
  ``Scripts/``, a macro-enabled content type), embedded or linked OLE objects and ActiveX
  controls, external workbook links (``xl/externalLinks/``), any relationship to an
  outside target that is not a plain hyperlink (an attached template, a frame, an external
  image or OLE object), DDE and INCLUDE fields in a document, and in an ODT any element
  that runs or embeds (event listeners, objects, applets, DDE) or loads from outside;
* :func:`formulas_active` (the accounts workbook): a formula whose text reaches outside
  the sheet or calls a function that the workbook grantdocs makes never uses (DDE
  ``cmd|...``, ``HYPERLINK``, ``WEBSERVICE``, references to other workbooks), and any
  formula in the comment column, where the workbook grantdocs makes has none. Arithmetic
  typed into an amount cell (``=1200+800``) stays allowed: the reader uses its saved
  result, as issue 9's formula policy says;
* :func:`pdf_active`: JavaScript, launch, embedded files, forms that submit or import,
  rich media, XFA, and an open action or additional actions other than going to a page,
  found by walking the document's objects with pypdf (at most :data:`PDF_OBJECTS`).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from xml.etree import ElementTree

_HYPERLINK = "/hyperlink"
_MEMBERS = re.compile(r"(^|/)(vbaProject\.bin|vbaData\.xml)$|(^|/)(embeddings|activeX)/"
                      r"|^xl/externalLinks/|^(Basic|Scripts)/|^Object \d+|^ObjectReplacements/",
                      re.I)
_TYPES = re.compile(rb"macroEnabled|vbaProject|oleObject|activeX", re.I)
_FIELDS = re.compile(r"\b(DDE|DDEAUTO|INCLUDETEXT|INCLUDEPICTURE|IMPORT|LINK)\b", re.I)
_ODT_REFUSED = {"event-listener", "object", "object-ole", "applet", "plugin",
                "floating-frame", "dde-connection", "dde-connection-decl", "dde-link",
                "dde-source", "script", "section-source"}
_XLINK = "{http://www.w3.org/1999/xlink}href"
_OUTSIDE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|/|\\|\.\./)")
_ODT_XML = ("content.xml", "styles.xml", "settings.xml", "meta.xml")
# The functions of the accounts workbook's formulas (writers/xlsx/accounts_workbook.py)
# and plain arithmetic a grantee may type.
_FUNCTIONS = {"IF", "OR", "AND", "NOT", "N", "SUM", "MAX", "MIN", "ROUND", "ABS"}
_CELL = re.compile(r"^\$?[A-Z]{1,3}\$?\d{1,7}$")
_NAME = re.compile(r"[A-Za-z_\\][A-Za-z0-9_.\\]*")
_STRINGS = re.compile(r'"(?:[^"]|"")*"')
# A defined name grantdocs writes: print titles and areas of the workbook's own sheets.
_SHEET_AREA = re.compile(r"^(?:'[^'\[\]|]+'|[^\W\d][\w.]*)!\$?[A-Z]{0,3}\$?\d{0,7}"
                         r"(?::\$?[A-Z]{0,3}\$?\d{0,7})?$")
PDF_OBJECTS = 200_000

_PDF_KEYS = {"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia",
             "/XFA", "/SubmitForm", "/ImportData", "/GoToE", "/GoToR", "/Sound", "/Movie"}
_PDF_ACTIONS = {"/OpenAction", "/AA"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _elements(data: bytes) -> Iterator[ElementTree.Element]:
    for _event, element in ElementTree.iterparse(io.BytesIO(data), events=("end",)):
        yield element


def _external_relationship(data: bytes) -> bool:
    for element in _elements(data):
        attrib = element.attrib
        if _local(element.tag) == "Relationship" \
                and attrib.get("TargetMode", "").lower() == "external" \
                and not attrib.get("Type", "").endswith(_HYPERLINK):
            return True
    return False


def _fields(data: bytes) -> bool:
    instructions: list[str] = []
    for element in _elements(data):
        name = _local(element.tag)
        if name == "instrText":
            instructions.append(element.text or "")
        elif name == "fldSimple":
            for key, value in element.attrib.items():
                if _local(key) == "instr":
                    instructions.append(value)
    return _FIELDS.search(" ".join(instructions)) is not None


def _odt_active(data: bytes) -> bool:
    for element in _elements(data):
        name = _local(element.tag)
        if name in _ODT_REFUSED:
            return True
        href = element.attrib.get(_XLINK, "")
        if href and name != "a" and _OUTSIDE.match(href.strip()):
            return True
    return False


def office_active(data: bytes) -> str | None:
    """``macros``, ``objects``, ``external`` or ``fields`` for a DOCX, XLSX or ODT that
    holds them (see the module doc), else None. A part that is not well-formed XML where
    XML must be is ``damaged``."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        for name in names:
            if _MEMBERS.search(name):
                lower = name.lower()
                return "macros" if "vba" in lower or lower.startswith(("basic/", "scripts/")) \
                    else "external" if "externallinks" in lower else "objects"
        try:
            if "[Content_Types].xml" in names \
                    and _TYPES.search(archive.read("[Content_Types].xml")):
                return "macros"
            for name in names:
                if name.endswith(".rels") and _external_relationship(archive.read(name)):
                    return "external"
            for name in names:
                if name.startswith("word/") and name.endswith(".xml") \
                        and _fields(archive.read(name)):
                    return "fields"
            for name in _ODT_XML:
                if "mimetype" in names and name in names and _odt_active(archive.read(name)):
                    return "objects"
        except ElementTree.ParseError:  # expat bounds entity expansion (billion laughs)
            return "damaged"
    return None


def formula_allowed(text: str) -> bool:
    """Whether a formula (without its ``=``) is only arithmetic on this sheet's cells with
    the accounts workbook's own functions."""
    if any(mark in text for mark in "|[]!{}'#@"):
        return False
    bare = _STRINGS.sub('""', text)
    for match in _NAME.finditer(bare.replace("$", "")):
        word = match.group(0).upper()
        called = bare.replace("$", "")[match.end():].lstrip().startswith("(")
        if not (word in _FUNCTIONS if called else _CELL.match(word)):
            return False
    return True


def formulas_active(data: bytes, comment_column: int) -> str | None:
    """``formulas`` if a worksheet of the XLSX ``data`` has a formula that is not allowed
    (:func:`formula_allowed`) or any formula in column ``comment_column``, or a defined
    name that reaches outside; else None."""
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    comments = chr(ord("A") + comment_column - 1)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") or name == "xl/workbook.xml") \
                    or not name.endswith(".xml"):
                continue
            column = ""
            for event, element in ElementTree.iterparse(
                    io.BytesIO(archive.read(name)), events=("start", "end")):
                tag = element.tag
                if event == "start":
                    if tag == f"{main}c":
                        cell = element.attrib.get("r", "")
                        column = re.sub(r"\d", "", cell).upper()
                    continue
                text = element.text or ""
                if tag in (f"{main}f", f"{main}definedName", f"{main}formula1",
                           f"{main}formula2", f"{main}formula"):
                    if tag == f"{main}f" and column == comments:
                        return "formulas"
                    shown = text.strip()
                    if tag == f"{main}definedName":
                        if not all(_SHEET_AREA.match(part.strip())
                                   for part in shown.split(",")):
                            return "formulas"
                    elif shown and not formula_allowed(shown):
                        return "formulas"
                if tag == f"{main}row":
                    element.clear()
    return None


def pdf_active(data: bytes) -> str | None:
    """``script`` for a PDF with JavaScript, launch, embedded files, submitting forms,
    rich media or actions on opening (see the module doc); ``damaged`` for one pypdf
    cannot read or with more than :data:`PDF_OBJECTS` objects; else None."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        stack: list[object] = [reader.trailer]
        seen: set[tuple[int, int]] = set()
        visited = 0
        while stack:
            item = stack.pop()
            if isinstance(item, IndirectObject):
                key = (item.idnum, item.generation)
                if key in seen:
                    continue
                seen.add(key)
                item = item.get_object()
            visited += 1
            if visited > PDF_OBJECTS:
                return "damaged"
            if isinstance(item, DictionaryObject):
                for name, value in item.items():
                    if name in _PDF_KEYS:
                        return "script"
                    if name in _PDF_ACTIONS:
                        target = value.get_object() if isinstance(value, IndirectObject) \
                            else value
                        if not isinstance(target, ArrayObject) and not (
                                isinstance(target, DictionaryObject)
                                and target.get("/S") == NameObject("/GoTo")):
                            return "script"
                    if name == "/S" and value in _PDF_KEYS:
                        return "script"
                    stack.append(value)
            elif isinstance(item, ArrayObject):
                stack.extend(item)
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, OSError,
            RecursionError, IndexError):
        return "damaged"
    return None
