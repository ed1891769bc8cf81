"""Reactions: a member leaves like, agree, insightful or thanks on someone else's post, once per
kind, and may take it back; everyone sees the counts and who reacted; nobody reacts to their own
post, a silenced member not at all, and a hidden post's reactions are hidden with it."""

import re

from app.discussions.models import Reaction
from app.extensions import db
from app.realtime.models import RoomEvent
from tests.support.clients import client_for


def _footer(html: str, post) -> str:
    match = re.search(rf'<article[^>]* id="p{post.id}".*?</article>', html, re.S)
    assert match, f"post {post.id} not on the page"
    return match.group(0).split('<footer class="post-actions">')[1]


def _reaction(html: str, post, kind: str) -> str | None:
    match = re.search(rf'<span class="reaction[^"]*">(?:(?!<span class="reaction).)*?value="{kind}".*?</span>\s*</span>',
                      _footer(html, post), re.S)  # fmt: skip
    return match.group(0) if match else None


def _reactions_of(app, post):
    with app.app_context():
        rows = db.session.execute(db.select(Reaction.kind).filter_by(post_id=post.id).order_by(Reaction.id))
        return [kind for (kind,) in rows]


def test_a_member_reacts_sees_the_count_and_names_and_takes_it_back(app, make):
    author = make.user("author")
    post = make.reply(make.thread(), author=author, body="Community networks need spectrum.")
    amina, bashir = make.user("amina", display_name="Amina K."), make.user("bashir")
    for member in (amina, bashir):
        response = client_for(app, member).post(f"/p/{post.id}/react", data={"kind": "agree"})
        assert response.status_code == 302
    client = client_for(app, amina)
    client.post(f"/p/{post.id}/react", data={"kind": "thanks"})
    page = client.get(f"/t/{post.thread_id}").get_data(as_text=True)
    agree = _reaction(page, post, "agree")
    assert 'aria-pressed="true"' in agree and '<span class="n">2</span>' in agree
    assert re.search(r'role="tooltip"[^>]*><bdi>Amina K., bashir</bdi>', agree)
    assert client.post(f"/p/{post.id}/react", data={"kind": "agree"}).status_code == 302  # taken back
    assert _reactions_of(app, post) == ["agree", "thanks"]
    visitor_page = client_for(app).get(f"/t/{post.thread_id}").get_data(as_text=True)
    footer = _footer(visitor_page, post)
    assert "<button" not in footer.split('class="reactions')[1] and 'class="n">1</span>' in footer


def test_nobody_reacts_to_their_own_post_and_a_silenced_member_cannot_react(app, make):
    author = make.user()
    post = make.reply(make.thread(), author=author, body="My own words.")
    own = client_for(app, author)
    assert 'value="like"' not in _footer(own.get(f"/t/{post.thread_id}").get_data(as_text=True), post)
    assert own.post(f"/p/{post.id}/react", data={"kind": "like"}).status_code == 403
    quiet = make.silenced(make.user())
    assert client_for(app, quiet).post(f"/p/{post.id}/react", data={"kind": "like"}).status_code == 403
    assert client_for(app).post(f"/p/{post.id}/react", data={"kind": "like"}).status_code == 302  # sign in
    assert _reactions_of(app, post) == []


def test_an_unknown_kind_is_refused_with_a_message(app, make):
    post = make.reply(make.thread(), body="Something to react to.")
    client = client_for(app, make.user())
    response = client.post(f"/p/{post.id}/react", data={"kind": "love"}, follow_redirects=True)
    assert "Choose one of the reactions offered." in response.get_data(as_text=True)
    answer = client.post(f"/p/{post.id}/react", data={"kind": "love"}, headers={"Accept": "application/json"})
    assert answer.status_code == 400 and answer.get_json()["error"]
    assert client.post(f"/p/{post.id}/react", json={"kind": "like"}).status_code == 415
    assert client.post("/p/999999/react", data={"kind": "like"}).status_code == 404
    assert _reactions_of(app, post) == []


def test_a_hidden_posts_reactions_are_hidden_and_closed(app, make):
    post = make.reply(make.thread(), body="Soon to be hidden.")
    client_for(app, make.user("fan")).post(f"/p/{post.id}/react", data={"kind": "like"})
    make.hidden(post)
    page = client_for(app, make.user()).get(f"/t/{post.thread_id}").get_data(as_text=True)
    assert 'class="reactions' not in _footer(page, post)
    assert client_for(app, make.user()).post(f"/p/{post.id}/react", data={"kind": "like"}).status_code == 403


def test_a_reaction_is_announced_to_the_threads_readers_by_id(app, make):
    post = make.reply(make.thread(), body="Live reactions.")
    client = client_for(app, make.user())
    answer = client.post(
        f"/p/{post.id}/react", data={"kind": "insightful"}, headers={"Accept": "application/json"}
    )
    assert answer.get_json() == {"reacted": True}
    with app.app_context():
        events = db.session.execute(
            db.select(RoomEvent).filter_by(room=f"thread:{post.thread_id}", event="post_reacted")
        ).scalars().all()  # fmt: skip
        assert [event.envelope()["data"] for event in events] == [{"post_id": post.id}]
    fetched = client.get(f"/t/{post.thread_id}/posts?ids={post.id}").get_json()["posts"][0]["html"]
    assert 'aria-pressed="true"' in fetched and 'value="insightful"' in fetched
