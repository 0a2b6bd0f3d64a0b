"""An issuer's logo: which files may be one, and the size it is drawn at in the letterhead.

The logo is a PNG or JPEG file in the issuer profile's own folder. It is read
once, checked by its first bytes (not its name) and its header, and handed to
the writers as bytes with its pixel size: the PDF's fetcher may read that one
file and nothing beside it, and the DOCX writer embeds the same bytes. Both
draw it at the same size (:attr:`LogoImage.width_mm`, :attr:`LogoImage.height_mm`).
"""

from __future__ import annotations

import stat
import struct
from dataclasses import dataclass
from pathlib import Path

from grantdocs import messages_issuer as I
from grantdocs.catalog import Text

MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_LOGO_PIXELS = 8000  # per side
# The box the letterhead gives a logo: this high, unless that makes it wider than allowed.
LOGO_HEIGHT_MM = 16.0
LOGO_MAX_WIDTH_MM = 70.0

_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
SUFFIXES = (".png", ".jpg", ".jpeg")


class LogoProblem(ValueError):
    """Why a file cannot be a logo (the message says what to do); ``text`` is its message."""

    def __init__(self, text: Text) -> None:
        super().__init__(str(text))
        self.text = text


@dataclass(frozen=True)
class LogoImage:
    """A checked logo: its file, bytes, type and pixel size."""

    path: Path
    data: bytes
    kind: str  # "png" or "jpeg"
    width_px: int
    height_px: int

    @property
    def content_type(self) -> str:
        return f"image/{self.kind}"

    @property
    def data_uri(self) -> str:
        """The image inline (``data:image/png;base64,...``), for an HTML file of its own."""
        import base64

        return f"data:{self.content_type};base64,{base64.b64encode(self.data).decode('ascii')}"

    @property
    def width_mm(self) -> float:
        return round(min(LOGO_MAX_WIDTH_MM,
                         LOGO_HEIGHT_MM * self.width_px / self.height_px), 2)

    @property
    def height_mm(self) -> float:
        return round(self.width_mm * self.height_px / self.width_px, 2)


def _png_size(data: bytes) -> tuple[int, int]:
    if len(data) < 33 or data[12:16] != b"IHDR":
        raise LogoProblem(I.LOGO_PNG_NO_HEADER())
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    if depth not in (1, 2, 4, 8, 16) or colour not in (0, 2, 3, 4, 6):
        raise LogoProblem(I.LOGO_PNG_DAMAGED())
    return width, height


def _jpeg_size(data: bytes) -> tuple[int, int]:
    """Width and height from the first start-of-frame segment; CMYK is refused."""
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            break
        marker = data[i + 1]
        if marker == 0xFF:  # padding
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2:i + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width, components = struct.unpack(">HHB", data[i + 5:i + 10])
            if components == 4:
                raise LogoProblem(I.LOGO_CMYK())
            return width, height
        i += 2 + length
    raise LogoProblem(I.LOGO_JPEG_NO_SIZE())


def sniff_image(data: bytes) -> tuple[str, int, int]:
    """("png" or "jpeg", width, height) of image bytes, or a LogoProblem."""
    if data.startswith(_PNG):
        kind, (width, height) = "png", _png_size(data)
    elif data.startswith(_JPEG):
        kind, (width, height) = "jpeg", _jpeg_size(data)
    else:
        raise LogoProblem(I.LOGO_NOT_IMAGE())
    if not (0 < width <= MAX_LOGO_PIXELS and 0 < height <= MAX_LOGO_PIXELS):
        raise LogoProblem(I.LOGO_TOO_MANY_PIXELS(width=width, height=height,
                                                 most=MAX_LOGO_PIXELS))
    return kind, width, height


def read_logo(folder: Path, name: str) -> LogoImage:
    """The logo ``name`` of a profile in ``folder``, checked; a LogoProblem says what is wrong.

    It must be a regular file inside ``folder`` (the PDF fetcher may read that one
    file, so it may never name a folder or a file elsewhere), named .png, .jpg or
    .jpeg, at most :data:`MAX_LOGO_BYTES`, and really a PNG or JPEG image.
    """
    root = folder.resolve()
    path = (root / name).resolve()
    if not name.strip() or path == root or not path.is_relative_to(root):
        raise LogoProblem(I.LOGO_OUTSIDE(folder=str(root)))
    if path.suffix.lower() not in SUFFIXES:
        raise LogoProblem(I.LOGO_SUFFIX(suffixes=", ".join(SUFFIXES)))
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise LogoProblem(I.LOGO_NOT_REGULAR())
        if info.st_size > MAX_LOGO_BYTES:
            raise LogoProblem(I.LOGO_TOO_LARGE(limit=MAX_LOGO_BYTES // (1024 * 1024)))
        data = path.read_bytes()
    except FileNotFoundError:
        raise LogoProblem(I.LOGO_NO_FILE(folder=str(root))) from None
    except OSError as exc:
        raise LogoProblem(I.LOGO_CANNOT_READ(reason=str(exc.strerror))) from None
    kind, width, height = sniff_image(data)
    return LogoImage(path, data, kind, width, height)
