"""Files are judged by their content: the accepted kinds pass (images cleaned), every malicious or
broken one is refused with a message that says why."""

import io

import pytest
from PIL import Image

from app.files import inspection
from app.files.inspection import DOCX, JPEG, ODT, PDF, PNG, TEXT, Rejected
from tests.files import samples

EVERYTHING = {PDF, DOCX, ODT, TEXT, PNG, JPEG, inspection.WEBP, inspection.PPTX, inspection.XLSX}


def test_a_pdf_is_a_document_with_its_pages_counted():
    found = inspection.inspect(samples.pdf(["One", "Two", "Three"]), EVERYTHING)
    assert (found.mimetype, found.kind, found.pages, found.extension) == (PDF, "document", 3, "pdf")


def test_an_arabic_pdf_is_accepted():
    found = inspection.inspect(samples.pdf(["النفاذ إلى المعلومات", "بناء القدرات"], arabic=True), EVERYTHING)
    assert found.pages == 2


@pytest.mark.parametrize("make, mimetype", [(samples.docx, DOCX), (samples.odt, ODT)])
def test_office_documents_are_recognised_by_content(make, mimetype):
    assert inspection.inspect(make(), EVERYTHING).mimetype == mimetype


def test_plain_text_in_any_script_is_text():
    assert inspection.inspect("Consultation notes — ملاحظات — 笔记".encode(), EVERYTHING).mimetype == TEXT


def test_a_photo_loses_its_exif_is_turned_upright_and_gets_a_thumbnail():
    original = samples.jpeg_with_exif(size=(64, 32))
    assert b"SpyCam Industries" in original
    found = inspection.inspect(original, EVERYTHING)
    assert found.kind == "image" and b"SpyCam" not in found.data and b"Exif" not in found.data
    with Image.open(io.BytesIO(found.data)) as cleaned:
        assert cleaned.size == (32, 64) and not cleaned.getexif()  # orientation 6 applied
    with Image.open(io.BytesIO(found.thumbnail)) as thumbnail:
        assert max(thumbnail.size) <= 480
    assert (found.width, found.height) == (32, 64)


@pytest.mark.parametrize(
    "data, message",
    [
        (samples.zip_bomb_docx, "compression bomb"),
        (samples.billion_laughs_docx, "entity bomb"),
        (lambda: samples.SVG_WITH_SCRIPT, "not accepted"),
        (lambda: samples.HTML_AS_PDF, "not accepted"),
        (lambda: samples.GIF_JS_POLYGLOT, "not accepted"),
        (samples.decompression_bomb_png, "too large"),
        (samples.encrypted_pdf, "encrypted"),
        (lambda: samples.pdf(["A"] * 3)[:400], "damaged"),
        (lambda: samples.docx()[:2000], "damaged"),
        (lambda: b"", "empty"),
    ],
    ids=[
        "zip bomb",
        "billion laughs",
        "svg with script",
        "html named pdf",
        "gif/js polyglot",
        "decompression bomb",
        "encrypted pdf",
        "truncated pdf",
        "truncated docx",
        "empty",
    ],  # fmt: skip
)
def test_malicious_and_broken_files_are_refused_with_a_reason(data, message):
    with pytest.raises(Rejected, match=message):
        inspection.inspect(data(), EVERYTHING)


def test_a_type_not_allowed_in_this_place_is_refused():
    with pytest.raises(Rejected, match="not accepted here"):
        inspection.inspect(samples.docx(), {PNG, JPEG})
