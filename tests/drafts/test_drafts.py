"""Drafts: what a member types in a reply, a new thread or a contribution is kept on the server as
they type, given back on another device or after signing in again, one per place, and gone once sent."""

from app.drafts.models import Draft
from app.extensions import db
from tests.support.clients import client_for


def _draft(client, place):
    response = client.get(f"/drafts/{place}")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    found = response.get_json()["draft"]
    return found and found["fields"]


def _count(app):
    with app.app_context():
        return db.session.execute(db.select(db.func.count(Draft.id))).scalar()


def test_a_reply_draft_comes_back_on_another_device_and_goes_when_sent(app, make):
    thread = make.thread()
    member = make.user()
    laptop = client_for(app, member)
    saved = laptop.post(
        f"/drafts/reply/{thread.id}", data={"body": "Half a thought", "parent_id": "", "csrf_token": "x"}
    )
    assert saved.status_code == 200 and saved.get_json()["draft"]["saved_label"] == "Draft saved."
    laptop.post(f"/drafts/reply/{thread.id}", data={"body": "Half a thought, now whole."})
    phone = client_for(app, member)  # another device, or a new sign-in after the session ran out
    assert _draft(phone, f"reply/{thread.id}") == {"body": "Half a thought, now whole."}
    assert _draft(client_for(app, make.user()), f"reply/{thread.id}") is None  # nobody else's
    assert phone.post(f"/t/{thread.id}/reply", data={"body": "Half a thought, now whole."}).status_code == 302
    assert _draft(laptop, f"reply/{thread.id}") is None and _count(app) == 0


def test_a_new_thread_draft_keeps_its_fields_and_goes_when_the_thread_starts(app, make):
    member = make.user()
    client = client_for(app, member)
    from tests.factories import community_id

    with app.app_context():
        health = community_id("c7-e-health")
    fields = {"title": "Telehealth in islands", "body": "Draft body", "language": "fr", "proposal": "y"}
    client.post(f"/drafts/thread/{health}", data={**fields, "attachments": "12", "unknown": "dropped"})
    assert _draft(client, f"thread/{health}") == fields
    client.post("/c/c7-e-health/new", data={"title": "Telehealth in islands", "body": "Final body"})
    assert _draft(client, f"thread/{health}") is None


def test_a_contribution_draft_keeps_every_field_including_lists(app, make):
    consultation = make.consultation(slug="wsis17")
    member = make.user()
    client = client_for(app, member)
    fields = {
        "title": "Broadband for schools",
        "summary": "Short",
        "action_lines": ["3", "5"],
        "region": "africa",
    }
    client.post(f"/drafts/contribution-thematic/{consultation.id}", data={**fields, "action": "submit"})
    assert _draft(client, f"contribution-thematic/{consultation.id}") == fields
    from tests.factories import values

    with app.app_context():
        form = values("thematic")
    data = {key: value for key, value in form.items() if key not in ("details", "action_line_ids")}
    data["action_lines"] = [str(value) for value in form["action_line_ids"]]
    client.post("/consultations/wsis17/contribute/thematic", data={**data, "action": "save"})
    assert _draft(client, f"contribution-thematic/{consultation.id}") is None


def test_clearing_the_form_discards_and_discard_forgets(app, make):
    thread = make.thread()
    client = client_for(app, make.user())
    client.post(f"/drafts/reply/{thread.id}", data={"body": "Something"})
    client.post(f"/drafts/reply/{thread.id}", data={"body": "   "})
    assert _draft(client, f"reply/{thread.id}") is None
    client.post(f"/drafts/reply/{thread.id}", data={"body": "Something again"})
    assert client.post(f"/drafts/reply/{thread.id}/discard").get_json() == {"draft": None}
    assert _count(app) == 0


def test_bad_places_and_bodies_are_refused(app, make):
    thread = make.thread()
    client = client_for(app, make.user())
    assert client.post(f"/drafts/reply/{thread.id}", data={"body": "x" * 70_000}).status_code == 413
    assert client.post("/drafts/reply/999999", data={"body": "x"}).status_code == 404
    assert client.get("/drafts/nowhere/1").status_code == 404
    assert client.post(f"/drafts/reply/{thread.id}", json={"body": "x"}).status_code == 415
    _lock(app, thread)
    assert client.post(f"/drafts/reply/{thread.id}", data={"body": "x"}).status_code == 403
    closed = make.restricted_community()
    secret = make.thread(closed, title="A thread in a closed room")
    assert client.get(f"/drafts/reply/{secret.id}").status_code == 404  # not revealed
    assert client_for(app).get(f"/drafts/reply/{thread.id}").status_code == 302  # sign in first
    assert _count(app) == 0


def _lock(app, thread):
    with app.app_context():
        from app.discussions.models import Thread

        db.session.get(Thread, thread.id).locked = True
        db.session.commit()
