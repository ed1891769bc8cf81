"""The text of a document, page by page, read in a process of its own with a time and memory bound
(a malicious PDF can make a parser loop or swell), off the request: the `files.extract` job.

    python -I app/files/extraction.py <path> <mimetype> <max pages>   # prints a JSON list of page texts

The child runs this file as a script in isolated mode: it imports the parsers only, not the app
(starting the app would cost a second per document).
"""

import io
import json
import resource
import subprocess
import sys
import unicodedata
from pathlib import Path

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT = "text/plain"
EXTRACTABLE = {PDF, DOCX, ODT, PPTX, XLSX, TEXT}


class ExtractionFailed(Exception):
    """The extractor ran out of time or memory, or could not read the file."""


def pages_of(data: bytes, mimetype: str, max_pages: int) -> list[str]:
    """Each page's text (NFKC: a PDF's Arabic presentation forms become plain letters)."""
    if mimetype == PDF:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data), strict=False)
        texts = [page.extract_text() or "" for page in reader.pages[:max_pages]]
    elif mimetype == DOCX:
        from docx import Document

        texts = ["\n".join(paragraph.text for paragraph in Document(io.BytesIO(data)).paragraphs)]
    elif mimetype == ODT:
        from odf import teletype, text
        from odf.opendocument import load

        document = load(io.BytesIO(data))
        texts = ["\n".join(teletype.extractText(p) for p in document.getElementsByType(text.P))]
    elif mimetype == PPTX:
        texts = _slides(data)[:max_pages]
    elif mimetype == XLSX:
        texts = _sheets(data)[:max_pages]
    elif mimetype == TEXT:
        texts = [data.decode("utf-8", errors="replace")]
    else:
        texts = []
    return [unicodedata.normalize("NFKC", text).strip() for text in texts]


def _slides(data: bytes) -> list[str]:
    """A presentation: one page per slide, its text frames and tables in order."""
    from pptx import Presentation

    slides = []
    for slide in Presentation(io.BytesIO(data)).slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        slides.append("\n".join(part for part in parts if part))
    return slides


def _sheets(data: bytes) -> list[str]:
    """A workbook: one page per sheet, its cells' values row by row (read-only, values not formulas)."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return [
            "\n".join(
                " ".join(str(value) for value in row if value is not None)
                for row in sheet.iter_rows(values_only=True)
            )
            for sheet in workbook.worksheets
        ]
    finally:
        workbook.close()


def extract_bounded(
    path: Path, mimetype: str, max_pages: int, seconds: float, memory_bytes: int
) -> list[str]:
    """`pages_of` in a child process that may use `seconds` and `memory_bytes` at most."""

    def limit_memory():
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))

    try:
        finished = subprocess.run(
            [sys.executable, "-I", str(Path(__file__).resolve()), str(path), mimetype, str(max_pages)],
            capture_output=True, timeout=seconds, preexec_fn=limit_memory, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired as error:
        raise ExtractionFailed(f"no text after {seconds:.0f} s") from error
    if finished.returncode != 0:
        raise ExtractionFailed(
            finished.stderr.decode(errors="replace")[-500:] or f"exit {finished.returncode}"
        )
    return json.loads(finished.stdout)


def main() -> None:
    path, mimetype, max_pages = sys.argv[1], sys.argv[2], int(sys.argv[3])
    json.dump(pages_of(Path(path).read_bytes(), mimetype, max_pages), sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
