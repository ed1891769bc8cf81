"""Documents benchmark: text extraction and indexing of attached PDFs, and uploading a large file.

1. PDFS generated PDFs of 10 pages (English, with every tenth Arabic) are uploaded and attached to
   posts; the `files.extract` jobs then read them (one bounded child process each) and the search
   indexer indexes their pages. Prints pages/s for extraction and for indexing, and the extractor's
   peak memory (the largest child's maximum resident size).
2. The upload of a 20 MB file through `POST /files` (a text file of that size, the most the default
   UPLOAD_MAX_BYTES takes): median latency over a few tries.

    .venv/bin/python bench/documents.py [--pdfs 1000] [--uploads 5]
"""

import argparse
import io
import resource
import statistics
import tempfile
import time
from pathlib import Path

from _common import seeded_app

from app.extensions import db
from app.files.models import UploadPage
from tests.files import samples
from tests.support.clients import client_for

WORDS = "broadband clinics telecentres capacity policy access rural schools teachers satellite".split()


def make_app(directory: Path):
    """The jobs and the indexer are run below, each timed on its own."""
    return seeded_app(directory, JOBS_RUNNER="worker", SEARCH_INDEXER="worker", UPLOAD_DAILY_BYTES=10**12)


def pdf_pages(number: int) -> list[str]:
    if number % 10 == 0:
        return [
            f"النفاذ إلى المعلومات صفحة {page} بناء القدرات الرقمية في المدارس الريفية" for page in range(10)
        ]
    return [" ".join(WORDS[(number + page + i) % len(WORDS)] for i in range(60)) for page in range(10)]


def attach_pdfs(app, count: int) -> None:
    from app.auth import services as accounts
    from app.communities.models import Community
    from app.discussions import services as discussions

    with app.app_context():
        member = accounts.register("writer", "writer@example.org", "a long enough password", confirmed=True)
        community = db.session.execute(db.select(Community).filter_by(slug="c7-e-health")).scalar_one()
        thread = discussions.start_thread(community, member, "Reports", "The regional reports.")
        db.session.commit()
        thread_id = thread.id
    client = client_for(app, _user(app, "writer"))
    for number in range(count):
        data = samples.pdf(pdf_pages(number), arabic=number % 10 == 0)
        answer = client.post("/files", data={"for": "post", "file": (io.BytesIO(data), f"report-{number}.pdf")},
                             content_type="multipart/form-data")  # fmt: skip
        client.post(
            f"/t/{thread_id}",
            data={"body": f"Report {number}", "parent_id": "", "attachments": str(answer.get_json()["id"])},
        )


def _user(app, username):
    from app.auth.models import User

    with app.app_context():
        return db.session.execute(db.select(User).filter_by(username=username)).scalar_one()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pdfs", type=int, default=1000)
    parser.add_argument("--uploads", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        app = make_app(Path(temporary))
        attach_pdfs(app, options.pdfs)
        started = time.perf_counter()
        app.extensions["majlis_jobs"].run_due()
        extracted = time.perf_counter() - started
        with app.app_context():
            pages = db.session.execute(db.select(db.func.count(UploadPage.id))).scalar()
        child_peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        started = time.perf_counter()
        app.extensions["majlis_search"].indexer.drain()
        indexed = time.perf_counter() - started
        print(f"extraction: {options.pdfs} PDFs, {pages} pages in {extracted:.1f} s = {pages / extracted:.0f} pages/s "
              f"(one bounded child process per file); extractor peak RSS {child_peak_mb:.0f} MB")  # fmt: skip
        print(f"indexing: {pages} pages in {indexed:.1f} s = {pages / indexed:.0f} pages/s")
        big = b"consultation notes " * (20 * 1024 * 1024 // 19)
        client = client_for(app, _user(app, "writer"))
        times = []
        for number in range(options.uploads):
            started = time.perf_counter()
            answer = client.post("/files", data={"for": "post", "file": (io.BytesIO(big + str(number).encode()), "notes.txt")},
                                 content_type="multipart/form-data")  # fmt: skip
            times.append(time.perf_counter() - started)
            assert answer.status_code == 201, answer.get_json()
        print(f"upload of a {len(big) / 1024 / 1024:.0f} MB file: median {statistics.median(times) * 1000:.0f} ms "
              f"over {options.uploads} (inspection, hashing, storing)")  # fmt: skip


if __name__ == "__main__":
    main()
