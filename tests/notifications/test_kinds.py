"""Notification kinds are registered by the domain that sends them; their sentences escape what
people typed, and notify() refuses a kind nobody registered."""

import pytest

from app.extensions import db
from app.notifications import kinds
from app.notifications.services import notify
from tests.support.clients import AuthActions


def test_unregistered_kind_is_refused(app, make):
    member = make.user()
    with app.app_context(), pytest.raises(ValueError, match="unknown notification kind"):
        notify(member.id, "no_such_kind")


def test_domain_kinds_are_registered_and_escape_typed_text(app, make):
    assert kinds.is_registered("contribution_accepted") and kinds.is_registered("silenced")
    member = make.user("target")
    thread = make.thread(author=member, title="<script>alert(1)</script> title")
    client = app.test_client()
    AuthActions(client).login(make.moderator())
    client.post(f"/moderation/t/{thread.id}/hide", data={"hide-reason": "<b>bold</b> reason"})
    AuthActions(client).login(member)
    page = client.get("/notifications").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; title" in page
    assert "&lt;b&gt;bold&lt;/b&gt; reason" in page and "<bdi>&lt;b&gt;bold" in page
    with app.app_context():
        assert (
            db.session.execute(db.select(db.func.count()).select_from(db.text("notifications"))).scalar() == 1
        )


@pytest.mark.parametrize(
    "locale, expected",
    [
        ("fr", "Un modérateur a masqué votre fil"),
        ("es", "Un moderador ocultó su hilo"),
        ("ru", "Модератор скрыл вашу тему"),
        ("zh", "版主隐藏了您的主题"),
        ("ar", "أخفى مشرف موضوعك"),
    ],
)
def test_registered_kinds_are_shown_in_the_readers_language(app, make, locale, expected):
    member = make.user("reader", locale=locale)
    thread = make.thread(author=member, title="Off topic")
    client = app.test_client()
    AuthActions(client).login(make.moderator())
    client.post(f"/moderation/t/{thread.id}/hide", data={"hide-reason": "Spam"})
    AuthActions(client).login(member)
    page = client.get("/notifications").get_data(as_text=True)
    assert expected in page and "A moderator hid" not in page
