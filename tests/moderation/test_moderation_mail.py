"""What moderation tells a member by mail: why their post was hidden and how to appeal (the appeal
reaches the queue, and approving it restores the post), a warning, a suspension with its end."""

from urllib.parse import urlsplit

from app.discussions.models import Post
from app.extensions import db
from app.moderation.models import ReviewItem
from tests.support.clients import client_for
from tests.support.mail import links_in, outbox, text_of, to


def _appeal_link(mail) -> str:
    (link,) = [link for link in links_in(mail) if "/moderation/appeal/" in link]
    return urlsplit(link).path


def test_a_hidden_posts_author_is_mailed_why_and_can_appeal_until_it_is_restored(app, make):
    app.config["MAIL_BATCH_SECONDS"] = 0
    author = make.user("amina")
    thread = make.thread()
    post = make.reply(thread, author=author, body="Satellite backhaul is the only way.")
    moderator = make.moderator()
    make.hidden(post, by=moderator, reason="Personal attack in the second paragraph.")
    (mail,) = to(outbox(app), "amina@example.org")
    assert "Personal attack in the second paragraph." in mail["Subject"] + text_of(mail)
    path = _appeal_link(mail)
    assert path == f"/moderation/appeal/post/{post.id}"

    client = client_for(app, author)
    assert "Ask for your post back" in client.get(path).get_data(as_text=True)
    empty = client.post(path, data={"note": "  "})
    assert empty.status_code == 400 and "Tell the moderators why" in empty.get_data(as_text=True)
    assert client.post(path, data={"note": "I removed the attack; please look again."}).status_code == 302
    assert "You have already appealed" in client.get(path).get_data(as_text=True)
    assert client_for(app, make.user()).get(path).status_code == 404  # only the author

    queue = client_for(app, moderator).get("/moderation").get_data(as_text=True)
    assert "Appeal by the author" in queue and "I removed the attack" in queue
    with app.app_context():
        item = db.session.execute(db.select(ReviewItem).filter_by(target_id=post.id)).scalar_one()
    decided = client_for(app, moderator).post(
        f"/moderation/items/{item.id}/decide", data={"decision": "approve", "note": "Fair."}
    )
    assert decided.status_code == 302
    with app.app_context():
        assert db.session.get(Post, post.id).hidden_at is None


def test_a_visible_post_cannot_be_appealed(app, make):
    author = make.user()
    post = make.reply(make.thread(), author=author)
    assert client_for(app, author).get(f"/moderation/appeal/post/{post.id}").status_code == 404


def test_a_suspended_member_is_mailed_why_and_until_when(app, make):
    app.config["MAIL_BATCH_SECONDS"] = 0
    member = make.user("samir")
    make.suspended(member, by=make.moderator(), days=3)
    (mail,) = to(outbox(app), "samir@example.org")
    assert "suspended until" in text_of(mail) and "Time out." in text_of(mail)


def test_reporters_cannot_choose_appeal(app, make, client, auth):
    post = make.reply(make.thread())
    auth.login(make.user())
    page = client.get(f"/moderation/report/post/{post.id}").get_data(as_text=True)
    assert 'value="appeal"' not in page
    assert client.post(f"/moderation/report/post/{post.id}", data={"reason": "appeal"}).status_code == 400
    assert len(outbox(app)) == 0 or all("appeal" not in m["Subject"].lower() for m in outbox(app))
