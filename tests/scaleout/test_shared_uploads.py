"""Two gunicorn instances and a jobs worker with `UPLOAD_STORAGE=s3` share one bucket on a real
S3-compatible server process: a file uploaded through one instance is served by the other and its
text, read by the worker, is found by search on both."""

import time

import pytest
import requests

from app.files.storage import digest_of
from tests.files import samples
from tests.scaleout.cluster import scaleout_cluster
from tests.support.http import Visitor
from tests.support.s3_server import s3_server

pytestmark = pytest.mark.e2e


def _search(url: str, query: str) -> str:
    return requests.get(f"{url}/search", params={"q": query}, timeout=20).text


def test_a_file_uploaded_on_one_instance_is_served_and_found_on_the_other(tmp_path):
    with s3_server(tmp_path / "s3") as s3, scaleout_cluster(tmp_path / "cluster", **s3.settings()) as cluster:
        first, second = cluster.servers
        writer = Visitor(first.url).register("writer_a")
        thread_id = writer.new_thread("c2", "Shared files", "Two instances, one bucket.")
        paper = writer.upload(samples.pdf(["Agenda", "Quokka telecentres in the south"]), "paper.pdf")
        writer.reply(thread_id, "The paper is attached.", attachments=[paper])

        served = requests.get(second.url + paper["url"], timeout=20)
        assert served.status_code == 200 and served.content.startswith(b"%PDF")
        assert served.headers["Content-Disposition"].startswith("attachment")
        assert any(key.endswith(digest_of(served.content)) for key in s3.keys())
        assert not (tmp_path / "cluster" / "instance" / "uploads").exists()

        deadline = time.monotonic() + 60
        while "paper.pdf" not in _search(second.url, "quokka") and time.monotonic() < deadline:
            time.sleep(0.5)
        assert "Page 2" in _search(second.url, "quokka") and "paper.pdf" in _search(first.url, "quokka")
