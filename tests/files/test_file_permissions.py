"""The file route's permission matrix: who gets a file (200) and who is told it does not exist (404),
for each role and each state of the item it is attached to. The rule asked is always the item's own."""

import pytest

from app.extensions import db
from app.files.models import Upload
from tests.files import samples
from tests.support.clients import client_for

ROLES = ("anonymous", "member", "author", "moderator", "admin", "secretariat")
ALL = set(ROLES)
STAFF = {"moderator", "admin"}

# state -> the roles that may download its file
MATRIX = {
    "reply": ALL,
    "hidden reply": STAFF,  # as its text: moderators only
    "held reply": {"author"} | STAFF,
    "deleted reply": STAFF,
    "reply in a restricted community": {"author", "admin"},
    "unattached upload": {"author"},
    "removed file": set(),
    "file awaiting its malware scan": set(),
    "draft contribution": {"author"},
    "submitted thematic contribution": ALL,
    "submitted nomination": {"author", "secretariat", "admin"},
}


def _people(make, consultation):
    return {
        "anonymous": None, "member": make.user("member"), "author": make.user("author"),
        "moderator": make.moderator("c7", "moderator"), "admin": make.admin("admin"),
        "secretariat": make.secretariat(consultation),
    }  # fmt: skip


def _file_in_state(app, make, state, people, consultation):
    author, data = people["author"], samples.pdf(["Evidence"])
    if "contribution" in state or "nomination" in state:
        kind = "nomination" if "nomination" in state else "thematic"
        item = make.contribution(consultation, author, kind, "draft" if "draft" in state else "submitted")
        return make.attached_file("contribution", item, author, data, "paper.pdf")
    if state == "unattached upload":
        return make.upload(author, data, "paper.pdf", "post")
    if state == "reply in a restricted community":
        community = make.restricted_community()
        make.member_of(community, author)
        thread = make.thread(community=community, author=author)
    else:
        thread = make.thread()
    post = make.held_reply(thread, author) if state == "held reply" else make.reply(thread, author=author)
    if state == "file awaiting its malware scan":
        app.config["CLAMD_SOCKET"] = "/nonexistent/clamd.sock"
    upload = make.attached_file("post", post, author, data, "paper.pdf")
    if state == "hidden reply":
        make.hidden(post)
    elif state == "deleted reply":
        make.deleted(post)
    elif state == "removed file":
        with app.app_context():
            db.session.get(Upload, upload.id).removed_at = db.func.now()
            db.session.commit()
    return upload


@pytest.mark.parametrize("state", list(MATRIX))
def test_who_may_download_a_file_follows_its_items_rule(app, make, state):
    consultation = make.consultation()
    people = _people(make, consultation)
    upload = _file_in_state(app, make, state, people, consultation)
    allowed = {
        role
        for role, person in people.items()
        if client_for(app, person).get(f"/files/{upload.id}/paper.pdf").status_code == 200
    }
    assert allowed == MATRIX[state]
    refused = {
        client_for(app, person).get(f"/files/{upload.id}/paper.pdf").status_code
        for role, person in people.items()
        if role not in allowed
    }
    assert refused <= {404}  # never 403 or 500: a file one may not see does not exist
