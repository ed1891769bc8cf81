"""Files on posts: uploaded through the route (refusals as JSON with the reason), attached when the
reply is saved, shown with the post, and served only to whoever may see the post's body, never
rendered as a page."""

import io

import pytest

from app.extensions import db
from app.files.models import Upload
from tests.files import samples
from tests.support.clients import client_for


def _upload(client, data: bytes, name: str):
    return client.post(
        "/files", data={"for": "post", "file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def _reply_with(app, make, files):
    """A member uploads `files` and replies with them; returns (client, thread, post id, upload descriptions)."""
    member = make.user("amina")
    thread = make.thread()
    client = client_for(app, member)
    described = []
    for data, name in files:
        answer = _upload(client, data, name)
        assert answer.status_code == 201, answer.get_json()
        described.append(answer.get_json())
    ids = ",".join(str(d["id"]) for d in described)
    response = client.post(
        f"/t/{thread.id}", data={"body": "See the paper attached.", "parent_id": "", "attachments": ids}
    )
    assert response.status_code == 302
    post_id = int(response.location.rsplit("#p", 1)[1])
    return client, thread, post_id, described


def test_a_reply_carries_its_image_and_document_and_the_thread_shows_them(app, make):
    _client, thread, post_id, (image, paper) = _reply_with(
        app,
        make,
        [(samples.jpeg_with_exif(), "holiday photo.jpg"), (samples.pdf(["One", "Two"]), "../../paper.exe")],
    )
    assert paper["name"] == "paper.pdf" and paper["pages"] == 2 and image["kind"] == "image"
    page = client_for(app).get(f"/t/{thread.id}").get_data(as_text=True)
    assert f"/files/{image['id']}/thumbnail" in page and "paper.pdf" in page and "2 pages" in page
    photo = client_for(app).get(image["url"])
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg" and b"SpyCam" not in photo.data
    assert photo.headers["Content-Disposition"].startswith("inline")
    document = client_for(app).get(paper["url"])
    assert document.mimetype == "application/pdf" and document.headers["Content-Disposition"].startswith(
        "attachment"
    )
    assert (
        document.headers["X-Content-Type-Options"] == "nosniff"
        and "sandbox" in document.headers["Content-Security-Policy"]
    )


def test_a_hidden_posts_files_are_hidden_with_it_except_to_moderators(app, make):
    _client, thread, post_id, (paper,) = _reply_with(app, make, [(samples.pdf(["A"]), "paper.pdf")])
    from app.discussions.models import Post

    with app.app_context():
        post = db.session.get(Post, post_id)
    make.hidden(post)
    assert client_for(app).get(paper["url"]).status_code == 404
    assert client_for(app, make.user()).get(paper["url"]).status_code == 404
    assert client_for(app, make.moderator()).get(paper["url"]).status_code == 200


def test_files_in_a_restricted_community_are_for_its_readers_only(app, make):
    community = make.restricted_community()
    member = make.user("amina")
    make.member_of(community, member)
    thread = make.thread(community=community, author=member)
    client = client_for(app, member)
    paper = _upload(client, samples.docx(), "minutes.docx").get_json()
    assert (
        client.post(
            f"/t/{thread.id}",
            data={"body": "Minutes attached.", "parent_id": "", "attachments": str(paper["id"])},
        ).status_code
        == 302
    )
    assert client.get(paper["url"]).status_code == 200
    assert client_for(app, make.user()).get(paper["url"]).status_code == 404
    assert client_for(app).get(paper["url"]).status_code == 404


def test_an_unattached_upload_is_its_uploaders_only_and_cannot_be_attached_by_another(app, make):
    owner, other = make.user("amina"), make.user("samir")
    paper = _upload(client_for(app, owner), samples.docx(), "draft.docx").get_json()
    assert client_for(app, owner).get(paper["url"]).status_code == 200
    assert client_for(app, other).get(paper["url"]).status_code == 404
    thread = make.thread()
    stolen = client_for(app, other).post(
        f"/t/{thread.id}", data={"body": "Mine now.", "parent_id": "", "attachments": str(paper["id"])}
    )
    assert stolen.status_code == 400 and "no longer available" in stolen.get_data(as_text=True)
    assert 'value="Mine now."' in stolen.get_data(as_text=True) or "Mine now." in stolen.get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    "data, name, reason",
    [
        (samples.HTML_AS_PDF, "report.pdf", "not accepted"),
        (samples.SVG_WITH_SCRIPT, "logo.svg", "not accepted"),
        (samples.GIF_JS_POLYGLOT, "funny.gif", "not accepted"),
        (samples.zip_bomb_docx(), "big.docx", "compression bomb"),
        (samples.encrypted_pdf(), "secret.pdf", "encrypted"),
    ],
    ids=["html named pdf", "svg", "gif/js polyglot", "zip bomb", "encrypted pdf"],
)
def test_a_refused_file_gets_its_reason_as_json_and_stores_nothing(app, make, data, name, reason):
    answer = _upload(client_for(app, make.user()), data, name)
    assert answer.status_code == 400 and reason in answer.get_json()["error"]
    with app.app_context():
        assert db.session.execute(db.select(Upload)).scalars().all() == []


def test_uploads_need_a_member_who_may_post_and_a_size_within_the_limit(app, make):
    assert _upload(client_for(app), samples.png(), "a.png").status_code == 302  # sign in first
    app.config["UPLOAD_MAX_BYTES"] = 1000
    too_big = _upload(client_for(app, make.user()), samples.pdf(["x"] * 5), "big.pdf")
    assert too_big.status_code in (400, 413)
    silenced = make.silenced(make.user())
    assert _upload(client_for(app, silenced), samples.png(), "a.png").status_code == 400


def test_a_json_body_or_a_file_elsewhere_is_still_refused(app, make):
    client = client_for(app, make.user())
    assert client.post("/files", json={"file": "x"}).status_code == 415
    thread = make.thread()
    sneaky = client.post(
        f"/t/{thread.id}",
        data={"body": "x", "file": (io.BytesIO(b"x"), "a.txt")},
        content_type="multipart/form-data",
    )
    assert sneaky.status_code == 415


def test_flask_files_gc_removes_day_old_unattached_uploads_but_keeps_what_is_in_use(app, make):
    from datetime import timedelta

    from app.core.time import utcnow
    from app.files.services import storage

    client, _thread, _post_id, (kept,) = _reply_with(app, make, [(samples.pdf(["Kept"]), "kept.pdf")])
    abandoned = _upload(client, samples.docx("Abandoned draft"), "abandoned.docx").get_json()
    same_bytes = _upload(client, samples.pdf(["Kept"]), "again.pdf").get_json()  # same content as `kept`
    with app.app_context():
        db.session.execute(db.update(Upload).values(created_at=utcnow() - timedelta(hours=25)))
        db.session.commit()
        digests = {row.id: row.digest for row in db.session.execute(db.select(Upload)).scalars()}
    output = app.test_cli_runner().invoke(args=["files", "gc"]).output
    assert "2 unattached uploads removed." in output
    with app.app_context():
        assert [row.id for row in db.session.execute(db.select(Upload)).scalars()] == [kept["id"]]
        assert storage().exists(digests[kept["id"]])  # shared with the removed copy: kept
        assert not storage().exists(digests[abandoned["id"]])
    assert client.get(kept["url"]).status_code == 200
    assert client.get(same_bytes["url"]).status_code == 404


def test_the_author_removes_a_file_from_the_post_edit_page(app, make):
    client, thread, post_id, (paper,) = _reply_with(app, make, [(samples.pdf(["Draft"]), "draft.pdf")])
    edit = client.get(f"/p/{post_id}/edit").get_data(as_text=True)
    assert "draft.pdf" in edit and f"/files/{paper['id']}/remove" in edit
    assert client.post(f"/files/{paper['id']}/remove", data={"next": f"/p/{post_id}/edit"}).status_code == 302
    page = client_for(app).get(f"/t/{thread.id}").get_data(as_text=True)
    assert "draft.pdf" not in page and f'href="/p/{post_id}/history"' in page  # the post reads as edited
    history = client_for(app).get(f"/p/{post_id}/history").get_data(as_text=True)
    assert "Files removed" in history and "“draft.pdf” was removed on" in history and "by amina" in history
    assert "“draft.pdf” was removed on" in client.get(f"/p/{post_id}/edit").get_data(as_text=True)


def test_new_members_attach_as_many_files_as_they_may_post_links(app, make):
    app.config.update(NEW_USER_ACCEPTED_POSTS=3, NEW_USER_MAX_LINKS=2)
    member = make.user("newcomer")
    client = client_for(app, member)
    ids = [
        str(_upload(client, samples.pdf([f"Part {n}"]), f"part{n}.pdf").get_json()["id"]) for n in range(3)
    ]
    thread = make.thread()
    refused = client.post(
        f"/t/{thread.id}", data={"body": "Three parts.", "parent_id": "", "attachments": ",".join(ids)}
    )
    page = refused.get_data(as_text=True)
    assert (
        refused.status_code == 400
        and "New members can attach at most 2 files" in page
        and "Three parts." in page
    )
    assert (
        client.post(
            f"/t/{thread.id}", data={"body": "Two parts.", "parent_id": "", "attachments": ",".join(ids[:2])}
        ).status_code
        == 302
    )


def test_the_files_of_one_post_stay_within_the_item_limit(app, make):
    member = make.user()
    client = client_for(app, member)
    ids = [
        str(_upload(client, samples.pdf([f"Chapter {n}"] * 3), f"chapter{n}.pdf").get_json()["id"])
        for n in range(2)
    ]
    app.config["UPLOAD_MAX_ITEM_BYTES"] = 1024 * 1024 // 1000  # about 1 KB: less than two PDFs
    thread = make.thread()
    refused = client.post(
        f"/t/{thread.id}", data={"body": "Both chapters.", "parent_id": "", "attachments": ",".join(ids)}
    )
    assert refused.status_code == 400 and "may not exceed" in refused.get_data(as_text=True)
