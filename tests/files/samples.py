"""Real files made for the tests: documents of each accepted kind, and the malicious ones."""

import io
import zipfile
from pathlib import Path

from docx import Document
from fpdf import FPDF
from odf.opendocument import OpenDocumentText
from odf.text import P
from PIL import Image
from pypdf import PdfReader, PdfWriter

ARABIC_FONT = Path("/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf")
LATIN_FONT = Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")


def pdf(pages: list[str], arabic: bool = False) -> bytes:
    """A PDF with one text per page (Arabic shaped right to left with the Noto Naskh font)."""
    document = FPDF()
    document.add_font("body", fname=str(ARABIC_FONT if arabic else LATIN_FONT))
    document.set_font("body", size=14)
    if arabic:
        document.set_text_shaping(True)
    for text in pages:
        document.add_page()
        document.multi_cell(0, 10, text, align="R" if arabic else "L")
    return bytes(document.output())


def encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf(["Secret minutes"]))))
    writer.encrypt("a password")
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def docx(text: str = "A thematic paper on digital inclusion.") -> bytes:
    document = Document()
    document.add_paragraph(text)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def odt(text: str = "A concept note for a workshop.") -> bytes:
    document = OpenDocumentText()
    document.text.addElement(P(text=text))
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def pptx(slides: list[str]) -> bytes:
    """A presentation with one text box per slide."""
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    for text in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank
        slide.shapes.add_textbox(Inches(1), Inches(1), Inches(6), Inches(1)).text_frame.text = text
    output = io.BytesIO()
    deck.save(output)
    return output.getvalue()


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    """A workbook with the given sheets of rows."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def jpeg_with_exif(size=(64, 32)) -> bytes:
    """A photo with a camera name and a rotation in its EXIF (orientation 6: turn 90° clockwise)."""
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Industries"  # Make
    exif[0x0112] = 6  # Orientation
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif.tobytes())
    return output.getvalue()


def png(size=(40, 40)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(output, format="PNG")
    return output.getvalue()


def decompression_bomb_png() -> bytes:
    """100 megapixels of one colour: a few kilobytes that would take hundreds of MB to decode."""
    output = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(output, format="PNG", optimize=True)
    return output.getvalue()


def zip_bomb_docx() -> bytes:
    """A real DOCX with one more part: 60 MB of zeros that compress a thousandfold."""
    archive = io.BytesIO(docx())
    output = io.BytesIO()
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            target.writestr(entry, source.read(entry.filename))
        target.writestr("word/media/padding.bin", b"\0" * 60_000_000)
    return output.getvalue()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>&lol4;</w:body></w:document>"""


def billion_laughs_docx() -> bytes:
    """A DOCX whose document.xml defines entities that expand exponentially."""
    archive = io.BytesIO(docx())
    output = io.BytesIO()
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            body = BILLION_LAUGHS if entry.filename == "word/document.xml" else source.read(entry.filename)
            target.writestr(entry, body)
    return output.getvalue()


SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HTML_AS_PDF = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
GIF_JS_POLYGLOT = b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=1;alert(document.domain);//" + b"\x00" * 16
