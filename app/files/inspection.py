"""What an uploaded file really is, decided by its content, never by its name or the browser's
claim, and whether it is safe to keep: office files are ZIP archives (refused when they would expand
too far or hide encrypted parts; their XML is parsed with defusedxml, so entity bombs are refused), PDFs
must open unencrypted, images are decoded within a pixel limit and re-encoded without their metadata
(EXIF, GPS), with a thumbnail. Markup (HTML, SVG, XML) is never taken as text."""

import io
import re
import warnings
import zipfile
from dataclasses import dataclass

import filetype
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as parse_xml_safely
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from app.core.refusals import Refused

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
TEXT = "text/plain"
PNG, JPEG, WEBP = "image/png", "image/jpeg", "image/webp"

EXTENSIONS = {
    PDF: "pdf",
    DOCX: "docx",
    PPTX: "pptx",
    XLSX: "xlsx",
    ODT: "odt",
    TEXT: "txt",
    PNG: "png",
    JPEG: "jpg",
    WEBP: "webp",
}
IMAGES = {PNG: "PNG", JPEG: "JPEG", WEBP: "WEBP"}
# The XML parts each office format keeps its text in (parsed safely to refuse entity bombs).
MAIN_XML = {
    DOCX: ("word/document.xml",),
    PPTX: ("ppt/presentation.xml",),
    XLSX: ("xl/workbook.xml",),
    ODT: ("content.xml",),
}
MARKUP = re.compile(
    rb"^\s*(?:\xef\xbb\xbf)?\s*<\s*(?:!doctype|html|svg|\?xml|script|head|body)\b", re.IGNORECASE
)
THUMBNAIL_SIZE = (480, 480)


class Rejected(Refused):
    """The file is refused; the message says why, for the person who sent it."""


@dataclass
class Limits:
    zip_entries: int = 2_000
    zip_bytes: int = 200 * 1024 * 1024
    zip_ratio: int = 100
    image_pixels: int = 40_000_000


@dataclass
class Inspected:
    mimetype: str
    kind: str  # "image" or "document"
    data: bytes  # what is stored: images re-encoded, documents as sent
    pages: int | None = None
    width: int | None = None
    height: int | None = None
    thumbnail: bytes | None = None

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.mimetype]


def detect(data: bytes) -> str | None:
    """The MIME type the content says, or None. UTF-8 text without NUL bytes or markup is text/plain."""
    guess = filetype.guess(data)
    if guess is not None:
        return guess.mime
    if b"\x00" in data[:65536] or MARKUP.match(data[:1024]):
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return TEXT


def inspect(data: bytes, allowed: set[str], limits: Limits | None = None) -> Inspected:
    """Check `data` against the allowed types and the safety rules; Rejected says why not."""
    limits = limits or Limits()
    if not data:
        raise Rejected(_l("The file is empty."))
    mimetype = detect(data)
    if mimetype is None or mimetype not in allowed:
        raise Rejected(_l("This kind of file is not accepted here."))
    if mimetype in IMAGES:
        return _image(data, mimetype, limits)
    if mimetype == PDF:
        return Inspected(PDF, "document", data, pages=_pdf_pages(data))
    if mimetype in MAIN_XML:
        _check_office(data, mimetype, limits)
    return Inspected(mimetype, "document", data)


def _pdf_pages(data: bytes) -> int:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise Rejected(_l("The PDF is encrypted or password-protected: send it without a password."))
        return len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise Rejected(_l("The PDF is damaged or incomplete.")) from error


def _check_office(data: bytes, mimetype: str, limits: Limits) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise Rejected(_l("The document is damaged or incomplete.")) from error
    if len(entries) > limits.zip_entries or sum(entry.file_size for entry in entries) > limits.zip_bytes:
        raise Rejected(_l("The document would expand far beyond its size (a compression bomb)."))
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise Rejected(_l("The document is encrypted or password-protected: send it without a password."))
        if entry.compress_size and entry.file_size / entry.compress_size > limits.zip_ratio:
            raise Rejected(_l("The document would expand far beyond its size (a compression bomb)."))
    for name in MAIN_XML[mimetype]:
        try:
            parse_xml_safely(archive.read(name))
        except KeyError as error:
            raise Rejected(_l("The document is damaged or incomplete.")) from error
        except DefusedXmlException as error:
            raise Rejected(_l("The document holds XML that expands without end (an entity bomb).")) from error
        except Exception as error:  # ParseError and zlib errors of a damaged part
            raise Rejected(_l("The document is damaged or incomplete.")) from error


def _too_large(limits: Limits) -> Rejected:
    return Rejected(
        _l("The image is too large (%(pixels)d megapixels at most).", pixels=limits.image_pixels // 1_000_000)
    )


def _image(data: bytes, mimetype: str, limits: Limits) -> Inspected:
    """Decode within the pixel limit, turn upright, re-encode without metadata; a thumbnail too."""
    try:
        with warnings.catch_warnings():  # Pillow only warns of a bomb below twice its own limit
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > limits.image_pixels:
                    raise _too_large(limits)
                image.load()
                upright = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise _too_large(limits) from error
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise Rejected(_l("The image is damaged or incomplete.")) from error
    thumbnail = upright.copy()
    thumbnail.thumbnail(THUMBNAIL_SIZE)
    return Inspected(
        mimetype, "image", _encoded(upright, IMAGES[mimetype]), width=upright.width, height=upright.height,
        thumbnail=_encoded(thumbnail, IMAGES[mimetype]),
    )  # fmt: skip


def _encoded(image: Image.Image, format_name: str) -> bytes:
    """The pixels only (and a palette's colours): a new image carries no EXIF, GPS, XMP or comments."""
    if format_name == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    pixels = Image.frombytes(image.mode, image.size, image.tobytes())
    if image.mode == "P":
        pixels.putpalette(image.getpalette())
    output = io.BytesIO()
    pixels.save(output, format=format_name, **({"quality": 90} if format_name in ("JPEG", "WEBP") else {}))
    return output.getvalue()
