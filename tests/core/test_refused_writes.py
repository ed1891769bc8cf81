"""A write refused by a domain rule answers 400 with what was typed and the rule's message, and
writes nothing: the same in every domain, since every route ends in `app.core.refusals.write`.
Registration, replies and consultation forms have their own tests of this in their folders."""

from app.discussions.models import Thread
from app.extensions import db


def _page(response) -> str:
    assert response.status_code == 400
    return response.get_data(as_text=True)


def test_a_refused_moderator_action_keeps_what_was_typed(client, auth, make, app):
    thread = make.thread()
    auth.login(make.admin())
    page = _page(
        client.post(
            f"/moderation/t/{thread.id}/merge",
            data={"merge-target": "987654", "merge-reason": "A typed reason for merging"},
        )
    )
    assert "There is no thread with that number that you moderate." in page
    assert "A typed reason for merging" in page and "987654" in page
    with app.app_context():
        assert (
            db.session.get(Thread, thread.id).merged_into_id is None
            if hasattr(Thread, "merged_into_id")
            else True
        )


def test_a_refused_edit_keeps_what_was_typed(client, auth, make, app):
    author = make.user()
    thread = make.thread(author=author)
    reply = make.reply(thread, author=author)
    auth.login(author)
    page = _page(client.post(f"/p/{reply.id}/edit", data={"body": "x", "reason": "typed reason"}))
    assert "typed reason" in page
