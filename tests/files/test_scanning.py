"""CLAMD_SOCKET: files wait in quarantine — listed with their post, served to nobody, not searched —
until a ClamAV daemon (here a stand-in process speaking clamd's protocol) calls them clean; a file it
flags is never served and the post's page says it is withheld."""

import io
from datetime import timedelta

import pytest

from app.core.time import utcnow
from app.extensions import db
from app.files.scanning import ScanFailed, scan
from app.jobs.models import Job
from tests.support.clients import client_for
from tests.support.fake_clamd import EICAR, fake_clamd
from tests.support.live import free_port


def _reply_with_text(app, make, data: bytes, name: str):
    member, thread = make.user("amina"), make.thread(title="Community networks")
    client = client_for(app, member)
    sent = client.post(
        "/files", data={"for": "post", "file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )
    assert sent.status_code == 201, sent.get_json()
    described = sent.get_json()
    response = client.post(
        f"/t/{thread.id}", data={"body": "My notes.", "parent_id": "", "attachments": str(described["id"])}
    )
    assert response.status_code == 302
    return client, thread, described


def _run_waiting_jobs(app) -> None:
    with app.app_context():
        db.session.execute(db.update(Job).values(run_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    app.extensions["majlis_jobs"].run_due()


def _search(app, query: str) -> str:
    return client_for(app).get("/search", query_string={"q": query}).get_data(as_text=True)


def test_a_file_waits_in_quarantine_until_the_daemon_calls_it_clean(app, make, tmp_path):
    address = str(tmp_path / "clamd.sock")
    app.config["CLAMD_SOCKET"] = address  # nothing listens there yet: the scan waits
    client, thread, notes = _reply_with_text(app, make, b"Quokka telecentres in every district.", "notes.txt")
    assert client.get(notes["url"]).status_code == 404  # not even its uploader
    page = client_for(app).get(f"/t/{thread.id}").get_data(as_text=True)
    assert "notes.txt" in page and "Being checked for malware" in page and notes["url"] not in page
    assert "notes.txt" not in _search(app, "quokka")

    with fake_clamd(address):
        _run_waiting_jobs(app)
    served = client_for(app).get(notes["url"])
    assert served.status_code == 200 and served.data == b"Quokka telecentres in every district."
    assert "Being checked" not in client_for(app).get(f"/t/{thread.id}").get_data(as_text=True)
    assert "notes.txt" in _search(app, "quokka")


def test_a_file_the_scanner_flags_is_never_served_and_the_post_says_it_is_withheld(app, make, tmp_path):
    address = str(tmp_path / "clamd.sock")
    app.config["CLAMD_SOCKET"] = address
    client, thread, sample = _reply_with_text(app, make, EICAR + b"\n", "sample.txt")
    with fake_clamd(address):
        _run_waiting_jobs(app)
    assert client.get(sample["url"]).status_code == 404
    with app.app_context():
        assert db.session.execute(db.select(Job).where(Job.kind == "files.scan")).first() is None
    page = client_for(app).get(f"/t/{thread.id}").get_data(as_text=True)
    assert "My notes." in page and "sample.txt" not in page
    edit_page = client.get(f"/p/{_newest_post_id(app)}/edit").get_data(as_text=True)
    assert "“sample.txt” is withheld: the malware scan found Eicar-Test-Signature in it." in edit_page


def _newest_post_id(app) -> int:
    from app.discussions.models import Post

    with app.app_context():
        return db.session.execute(db.select(db.func.max(Post.id))).scalar()


def test_a_file_found_infected_on_upload_is_refused_with_what_the_scan_found(app, make, tmp_path):
    address = str(tmp_path / "clamd.sock")
    app.config["CLAMD_SOCKET"] = address
    with fake_clamd(address):
        answer = client_for(app, make.user("amina")).post(
            "/files",
            data={"for": "post", "file": (io.BytesIO(EICAR), "x.txt")},
            content_type="multipart/form-data",
        )
    assert answer.status_code == 400
    assert answer.get_json()["error"] == "The malware scan found Eicar-Test-Signature in this file."


@pytest.mark.parametrize("over", ["unix", "tcp"])
def test_the_client_speaks_clamd_s_protocol_on_a_socket_or_a_port(tmp_path, over):
    address = str(tmp_path / "clamd.sock") if over == "unix" else f"127.0.0.1:{free_port()}"
    with fake_clamd(address):
        assert scan(b"a concept note" * 10_000, address) is None
        assert scan(b"prefix " + EICAR, address) == "Eicar-Test-Signature"
    with pytest.raises(ScanFailed):
        scan(b"anything", address)
