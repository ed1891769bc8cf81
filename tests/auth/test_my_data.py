"""Download my data (a ZIP of JSON and files) and Delete my account (posts kept as a deleted
member's unless their text is erased; tokens, sessions and mail stop; audit kept)."""

import io
import json
import zipfile

from app.core.audit import AuditEntry
from app.extensions import db
from tests.factories import PASSWORD
from tests.support.clients import client_for


def _zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200 and response.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.data))


def test_download_my_data_holds_what_i_wrote_and_uploaded(app, make):
    member = make.user(display_name="Amina K.")
    thread = make.thread(author=member, title="Clinics and connectivity")
    make.reply(thread, author=member, body="My reply about rural clinics.")
    other = make.reply(thread, body="Someone else's reply.")
    consultation = make.consultation()
    make.contribution(consultation, author=member, title="My thematic input")
    client = client_for(app, member)
    assert client.post(f"/p/{other.id}/react", data={"kind": "like"}).status_code in (200, 302)
    make.attached_file("post", make.opening_post(thread), member, b"Minutes of the call.\n", "minutes.txt")
    archive = _zip(client.post("/settings/data/export"))
    names = set(archive.namelist())
    assert {
        "profile.json",
        "posts.json",
        "threads.json",
        "contributions.json",
        "reactions.json",
        "notifications.json",
    } <= names
    assert json.loads(archive.read("profile.json"))["display_name"] == "Amina K."
    bodies = [post["body"] for post in json.loads(archive.read("posts.json"))]
    assert "My reply about rural clinics." in bodies and "Someone else's reply." not in bodies
    assert [c["title"] for c in json.loads(archive.read("contributions.json"))] == ["My thematic input"]
    assert [r["kind"] for r in json.loads(archive.read("reactions.json"))] == ["like"]
    listed = json.loads(archive.read("files.json"))
    assert archive.read(listed[0]["file"]) == b"Minutes of the call.\n"
    with app.app_context():
        assert db.session.execute(db.select(AuditEntry).filter_by(action="account.export")).scalar_one()


def test_deleting_my_account_keeps_threads_readable_and_ends_access(app, make):
    member = make.user(display_name="Amina K.")
    thread = make.thread(title="Clinics and connectivity")
    make.reply(thread, author=member, body="A reply that should stay readable.")
    client = client_for(app, member)
    html = client.post("/settings/tokens", data={"name": "Bot", "scopes": ["read"], "days": "30"}).get_data(
        as_text=True
    )
    secret = html.split('id="new-token"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    deleted = client.post("/settings/delete", data={"password": PASSWORD, "confirm": "y"})
    assert deleted.status_code == 302
    page = app.test_client().get(f"/t/{thread.id}").get_data(as_text=True)
    assert (
        "A reply that should stay readable." in page and "Deleted member" in page and "Amina K." not in page
    )
    assert client.get("/settings").status_code == 302  # signed out
    assert (
        app.test_client()
        .get("/api/v1/communities", headers={"Authorization": f"Bearer {secret}"})
        .status_code
        == 401
    )
    again = app.test_client().post("/auth/login", data={"username": member.username, "password": PASSWORD})
    assert again.status_code == 400
    with app.app_context():
        entry = db.session.execute(db.select(AuditEntry).filter_by(action="account.delete")).scalar_one()
        assert entry.actor_id == member.id


def test_erasing_my_text_leaves_placeholders(app, make):
    member = make.user()
    thread = make.thread(title="Clinics and connectivity")
    make.reply(thread, author=member, body="Zanzibarite words I want gone.")
    client = client_for(app, member)
    client.post("/settings/delete", data={"password": PASSWORD, "confirm": "y", "erase_text": "y"})
    page = app.test_client().get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Zanzibarite words" not in page and "This post was deleted." in page
    assert "Zanzibarite" not in app.test_client().get("/search?q=zanzibarite").get_data(as_text=True)


def test_a_wrong_password_deletes_nothing(app, make):
    member = make.user()
    client = client_for(app, member)
    refused = client.post("/settings/delete", data={"password": "not my password", "confirm": "y"})
    assert refused.status_code == 400 and "The password is wrong." in refused.get_data(as_text=True)
    unconfirmed = client.post("/settings/delete", data={"password": PASSWORD})
    assert unconfirmed.status_code == 400 and "Tick this to confirm." in unconfirmed.get_data(as_text=True)
    assert client.get("/settings").status_code == 200
