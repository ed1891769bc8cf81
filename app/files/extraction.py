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
TEXT = "text/plain"
EXTRACTABLE = {PDF, DOCX, ODT, TEXT}


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
    elif mimetype == TEXT:
        texts = [data.decode("utf-8", errors="replace")]
    else:
        texts = []
    return [unicodedata.normalize("NFKC", text).strip() for text in texts]


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
