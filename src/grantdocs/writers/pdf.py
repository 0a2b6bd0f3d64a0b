"""PDF writer: WeasyPrint, PDF/A-2a (tagged), the shipped font, and a locked-down fetcher.

One :class:`PdfWriter` per process holds what is costly to build: the font
configuration, the parsed stylesheets and the fetcher. WeasyPrint is imported
lazily, so commands that do not render start fast.

* PDF/A-2a: tagged (structure tree, /MarkInfo), /Lang from ``<html lang>``, title
  from ``<title>``, sRGB output intent. The XMP metadata stream is written
  uncompressed, which PDF/A-2 allows and some validators insist on.
* The fetcher refuses the network and every file outside the package and the
  chosen templates folders; a refused URL stops the render with an error.
* Output is deterministic: dates come from the document (``dcterms.created``)
  and the file identifier is a hash of the content.
"""

from __future__ import annotations

import atexit
import logging
import threading
import weakref
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from grantdocs.errors import ResourceRefused
from grantdocs.resources import FONTS_DIR, PACKAGE_DIR, TEMPLATES_DIR

PDF_VARIANT = "pdf/a-2a"

_FONT_FACES = (
    ("NotoSans-Regular.ttf", "normal", "normal"),
    ("NotoSans-Bold.ttf", "bold", "normal"),
    ("NotoSans-Italic.ttf", "normal", "italic"),
    ("NotoSans-BoldItalic.ttf", "bold", "italic"),
)

log = logging.getLogger(__name__)



# The running header and footer: their texts are <body>'s data attributes (one source per
# written form, which the DOCX writer reads too), set as named strings for the stylesheets'
# margin boxes: string(running-header), string(running-footer), string(page-word) and
# string(of-word). string() boxes cost far less to lay out than running elements.
RUNNING_TEXT_CSS = (
    "body { string-set: running-header attr(data-running-header), "
    "running-footer attr(data-running-footer), page-word attr(data-page-word), "
    "of-word attr(data-of-word); }"
)

# The footer every document shares: the running footer bottom left, "Side 1 av 2" bottom
# right, both under a thin rule. The document's stylesheet (letter.css, checklist.css,
# stats.css) sets the page's size and margins and the boxes' width and margin-top.
PAGE_FOOTER_CSS = """@page {
  @bottom-left { content: string(running-footer);
                 vertical-align: top; padding-top: 1.5mm; border-top: 0.4pt solid #999;
                 font-size: 7.5pt; color: #555; }
  @bottom-right { content: string(page-word) " " counter(page) " "
                           string(of-word) " " counter(pages);
                  text-align: right;
                  vertical-align: top; padding-top: 1.5mm; border-top: 0.4pt solid #999;
                  font-size: 7.5pt; color: #555; }
}"""


def base_css() -> str:
    """What every document's stylesheet builds on: the shipped font, the running texts and
    the page footer that shows them."""
    return f"{font_face_css()}\n{RUNNING_TEXT_CSS}\n{PAGE_FOOTER_CSS}"


def font_face_css() -> str:
    """@font-face rules for the font the package ships (family "Grantdocs Sans")."""
    rules = []
    for file, weight, style in _FONT_FACES:
        uri = (FONTS_DIR / file).as_uri()
        rules.append(
            f'@font-face {{ font-family: "Grantdocs Sans"; src: url("{uri}"); '
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules)


def harfbuzz_subsetting_available() -> bool:
    """True when WeasyPrint can subset fonts with HarfBuzz (libharfbuzz-subset0)."""
    try:
        from weasyprint.text.ffi import harfbuzz_subset
    except ImportError:
        return False
    return harfbuzz_subset is not None


def _make_fetcher(allowed: Sequence[Path]) -> Any:
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    roots = tuple(p.resolve() for p in allowed)
    cache: dict[Path, tuple[tuple[int, int], bytes]] = {}

    class Refused(FatalURLFetchingError):  # type: ignore[misc]
        pass

    class LocalOnlyFetcher(URLFetcher):  # type: ignore[misc]
        """Serve ``file:`` URLs inside the allowed folders from memory; refuse everything else.

        Files are read directly (never through urllib), and kept: fonts and
        images are read once per process, and again only when they change.
        """

        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme != "file":
                raise Refused(f"refused to fetch {url[:200]!r}: only packaged files may be used")
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in roots) or not path.is_file():
                raise Refused(f"refused to read {str(path)[:200]!r}: outside the allowed folders")
            stat = path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
            cached = cache.get(path)
            if cached is None or cached[0] != stamp:  # read again when edited on disk
                cached = cache[path] = (stamp, path.read_bytes())
            return URLFetcherResponse(path.as_uri(), cached[1])

    return LocalOnlyFetcher(allowed_protocols=("file",), allow_redirects=False)


def _finish_pdf(document: Any, pdf: Any) -> None:
    """Finisher, run on the PDF's objects just before they are written.

    * The XMP metadata stream is left uncompressed, which PDF/A-2 allows and
      some validators insist on.
    * Every other compressed stream is deflated here at zlib level 6 instead of
      pydyf's level 9: half the time for 1-2 % more bytes. The stream then
      holds the compressed bytes with its /FlateDecode filter, which is what
      pydyf would have written.
    """
    import pydyf

    reference = pdf.catalog.get("Metadata")
    metadata = None
    if reference is not None:
        text = reference.decode() if isinstance(reference, bytes) else str(reference)
        metadata = pdf.objects[int(text.split()[0])]
        metadata.compress = False
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream) and obj.compress and obj is not metadata:
            raw = b"\n".join(pydyf._to_bytes(item) for item in obj.stream)
            obj.stream = [unambiguous_stream_data(obj, raw)]
            obj.compress = False


def unambiguous_stream_data(stream: Any, raw: bytes) -> bytes:
    """The bytes to write between ``stream`` and ``endstream``, deflated when possible.

    pydyf writes a LF before ``endstream``. Data that itself ends in a CR then
    reads as ending in a CR-LF end-of-line, so the stream's /Length looks one
    byte too long and PDF/A-2 validation fails (rule STREAM-LENGTH). A deflated
    stream ends in the Adler-32 of its *uncompressed* data, so about one stream
    in 256 ends in CR whatever the compression level. Such a stream is stored
    uncompressed instead (its raw bytes almost never end in CR; a content stream
    whose raw bytes do gets a harmless trailing space).
    """
    deflated = zlib.compress(raw, 6)
    if not deflated.endswith(b"\r"):
        stream.extra["Filter"] = "/FlateDecode"
        return deflated
    stream.extra.pop("Filter", None)
    return raw + b" " if raw.endswith(b"\r") else raw


def unambiguous_stream_ends() -> None:
    """Make pydyf write CR-LF, not LF, before ``endstream`` when a stream's data ends in CR.

    :func:`unambiguous_stream_data` covers the streams the finisher sees; the
    object stream (``/ObjStm``) and the cross-reference stream that pydyf
    builds and deflates while writing the file are not among them, and one
    PDF in about a hundred had an object stream ending in CR (rule
    STREAM-LENGTH). With a CR-LF end-of-line the data, CR included, is
    exactly /Length bytes again. Applied once per process; pydyf is pinned.
    """
    import pydyf

    original = pydyf.Stream.data
    if getattr(original.fget, "grantdocs_unambiguous", False):
        return
    tail = b"\nendstream"

    def data(self: Any) -> bytes:
        written: bytes = original.__get__(self)
        if written.endswith(tail) and written[:-len(tail)].endswith(b"\r"):
            return written[:-len(tail)] + b"\r" + tail
        return written

    data.grantdocs_unambiguous = True  # type: ignore[attr-defined]
    pydyf.Stream.data = property(data)


_LIVE_WRITERS: weakref.WeakSet[PdfWriter] = weakref.WeakSet()


@atexit.register
def _release_fonts() -> None:
    """Drop font configurations while WeasyPrint's C bindings still exist.

    Otherwise a FontConfiguration kept in a cache is finalised during
    interpreter shutdown and prints a harmless but noisy TypeError.
    """
    for writer in list(_LIVE_WRITERS):
        writer.close()


class PdfWriter:
    """Renders HTML to PDF/A with cached fonts, stylesheets and fetcher.

    Not thread-safe across threads (WeasyPrint is not); a lock serialises use.
    """

    def __init__(
        self,
        templates: Sequence[Path] = (TEMPLATES_DIR,),
        stylesheet: str = "letter.css",
        extra_allowed: Sequence[Path] = (),
    ) -> None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        if not harfbuzz_subsetting_available():
            log.warning(
                "WeasyPrint cannot load libharfbuzz-subset.so.0 and falls back to fontTools "
                "subsetting, which is 3-4x slower: install the Debian package libharfbuzz-subset0"
            )
        self._lock = threading.Lock()
        self._templates = tuple(Path(t).resolve() for t in templates)
        self._fetcher = _make_fetcher([PACKAGE_DIR, *self._templates, *extra_allowed])
        self._fonts = FontConfiguration()
        css_file = next(
            (d / stylesheet for d in self._templates if (d / stylesheet).is_file()), None
        )
        if css_file is None:
            raise FileNotFoundError(f"stylesheet {stylesheet} not found in {self._templates}")
        self._stylesheets = [
            CSS(string=base_css(), font_config=self._fonts, url_fetcher=self._fetcher),
            CSS(filename=str(css_file), font_config=self._fonts, url_fetcher=self._fetcher),
        ]
        unambiguous_stream_ends()
        _LIVE_WRITERS.add(self)

    def close(self) -> None:
        """Release the fonts and stylesheets; the writer cannot render afterwards."""
        self._stylesheets = []
        self.__dict__.pop("_fonts", None)

    def write(self, html: str) -> bytes:
        """Render one HTML document to PDF/A-2a bytes."""
        return self.write_counted(html)[0]

    def write_counted(self, html: str) -> tuple[bytes, int]:
        """Render one HTML document; return the PDF/A-2a bytes and the page count."""
        from weasyprint import HTML
        from weasyprint.urls import FatalURLFetchingError

        with self._lock:
            try:
                document = HTML(
                    string=html, base_url=self._templates[0].as_uri() + "/",
                    url_fetcher=self._fetcher,
                ).render(
                    stylesheets=self._stylesheets,
                    font_config=self._fonts,
                    pdf_variant=PDF_VARIANT,
                    presentational_hints=False,
                )
                pdf: bytes = document.write_pdf(
                    pdf_variant=PDF_VARIANT, finisher=_finish_pdf
                )
            except FatalURLFetchingError as exc:  # a BaseException: it would end the batch
                raise ResourceRefused(
                    f"{exc}; a template may use only the packaged files and those in "
                    "--templates") from None
            return pdf, len(document.pages)


_SHARED: dict[tuple[object, ...], PdfWriter] = {}


def shared_writer(
    templates: Sequence[Path] = (TEMPLATES_DIR,),
    stylesheet: str = "letter.css",
    extra_allowed: Sequence[Path] = (),
) -> PdfWriter:
    """The process's writer for these folders and stylesheet, built on first use.

    Building one (font configuration, parsed CSS) costs a few hundred
    milliseconds; every renderer, batch run and document kind in the process
    shares it. A stylesheet edited on disk (size or time changed) gets a new one.
    """
    dirs = tuple(Path(t).resolve() for t in templates)
    css = next((d / stylesheet for d in dirs if (d / stylesheet).is_file()), None)
    stamp = (css.stat().st_mtime_ns, css.stat().st_size) if css else None
    key = (dirs, stylesheet, tuple(Path(p).resolve() for p in extra_allowed), css, stamp)
    writer = _SHARED.get(key)
    if writer is None:
        writer = _SHARED[key] = PdfWriter(dirs, stylesheet, extra_allowed)
    return writer
