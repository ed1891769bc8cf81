"""`UPLOAD_STORAGE=s3`: uploads kept in a bucket of a real S3-compatible server process on 127.0.0.1
(moto's server mode) — stored once per content, served and searched as from the local directory, and
nothing written under instance/uploads."""

import io

import pytest

from app.files.storage import S3Storage, digest_of
from tests.files import samples
from tests.support.clients import client_for
from tests.support.s3_server import s3_server


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    with s3_server(tmp_path_factory.mktemp("s3")) as server:
        yield server


def test_a_bucket_keeps_each_content_once_under_its_digest(s3):
    store = S3Storage.from_config(s3.settings() | {"S3_BUCKET": s3.bucket})
    first, again = store.put(b"a concept note"), store.put(b"a concept note")
    assert first == again == digest_of(b"a concept note")
    assert store.read(first) == b"a concept note"
    assert f"uploads/{first[:2]}/{first[2:4]}/{first}" in s3.keys()
    with store.local_copy(first) as path:
        assert path.read_bytes() == b"a concept note"
    store.delete(first)
    assert not store.exists(first)
    with pytest.raises(ValueError):
        store.key_of("../../etc/passwd")


def test_a_reply_s_document_lives_in_the_bucket_and_is_served_and_searched_from_it(app, make, s3, tmp_path):
    app.config.update(s3.settings())
    member, thread = make.user("amina"), make.thread(title="Regional review")
    client = client_for(app, member)
    sent = client.post(
        "/files",
        data={
            "for": "post",
            "file": (io.BytesIO(samples.pdf(["Agenda", "Zanzibarite telecentres"])), "r.pdf"),
        },
        content_type="multipart/form-data",
    ).get_json()
    response = client.post(
        f"/t/{thread.id}", data={"body": "The report.", "parent_id": "", "attachments": str(sent["id"])}
    )
    assert response.status_code == 302
    download = client_for(app).get(sent["url"])
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert any(key.endswith(digest_of(download.data)) for key in s3.keys())
    assert not (app.config["INSTANCE_DIR"] / "uploads").exists()
    results = client_for(app).get("/search", query_string={"q": "zanzibarite"}).get_data(as_text=True)
    assert "r.pdf" in results and "Page 2" in results
