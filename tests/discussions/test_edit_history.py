"""Writing comfort: a thread's author changes its title within the edit window, every version kept;
the history shows what changed word by word; a quote links back to the quoted post, wherever a
split takes it."""

import re
from datetime import timedelta

from app.discussions.models import Post, Thread
from app.extensions import db
from app.moderation import services as moderation
from tests.support.clients import client_for


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_the_author_changes_the_title_within_the_window_and_history_keeps_it(app, make):
    author = make.user("amina")
    thread = make.thread(author=author, title="Broadband in clinics", body="Rural clinics need fibre.")
    opening = make.opening_post(thread)
    client = client_for(app, author)
    assert 'name="title"' in _page(client, f"/p/{opening.id}/edit")
    response = client.post(
        f"/p/{opening.id}/edit",
        data={"title": "Broadband in rural clinics", "body": "Rural clinics need fibre."},
    )
    assert response.status_code == 302
    assert '<h1 dir="auto">Broadband in rural clinics</h1>' in _page(client, f"/t/{thread.id}")
    history = _page(client_for(app), f"/p/{opening.id}/history")
    assert re.search(r"Title:</span> Broadband in <ins>.*?rural </ins>clinics", history, re.S)
    assert "Broadband in clinics" in history  # version 1 keeps the first title
    empty = client.post(f"/p/{opening.id}/edit", data={"title": "  ", "body": "Rural clinics need fibre."})
    assert empty.status_code == 400 and "Give the thread a title." in empty.get_data(as_text=True)


def test_after_the_window_or_for_others_the_title_is_not_offered(app, make):
    author = make.user()
    thread = make.thread(author=author, title="An older thread title")
    opening = make.opening_post(thread)
    reply = make.reply(thread, author=author, body="A reply of theirs.")
    client = client_for(app, author)
    assert 'name="title"' not in _page(client, f"/p/{reply.id}/edit")  # not the opening post
    with app.app_context():
        row = db.session.get(Thread, thread.id)
        row.created_at -= timedelta(minutes=app.config["THREAD_TITLE_EDIT_MINUTES"] + 1)
        db.session.commit()
    assert 'name="title"' not in _page(client, f"/p/{opening.id}/edit")
    client.post(f"/p/{opening.id}/edit", data={"title": "Sneaky new title", "body": "Changed body."})
    assert "Sneaky new title" not in _page(client, f"/t/{thread.id}")


def test_the_history_shows_each_edit_word_by_word(app, make):
    author = make.user()
    thread = make.thread(author=author)
    post = make.reply(thread, author=author, body="We need fibre to every district hospital.")
    client = client_for(app, author)
    client.post(f"/p/{post.id}/edit", data={"body": "We need fibre to every rural hospital soon."})
    history = _page(client, f"/p/{post.id}/history")
    change = re.search(r'<div class="diff".*?</div>', history, re.S).group(0)
    assert re.search(r"<del>.*?district</del>", change, re.S) and re.search(
        r"<ins>.*?rural</ins>", change, re.S
    )
    assert re.search(r"<ins>.*?soon</ins>", change, re.S) and "fibre to every" in change


def test_a_quote_links_back_to_the_quoted_post_even_after_a_split(app, make):
    quoted_author, replier = make.user("amina"), make.user()
    thread = make.thread()
    quoted = make.reply(thread, author=quoted_author, body="Spectrum for community networks.")
    client = client_for(app, replier)
    prefilled = _page(client, f"/t/{thread.id}?reply_to={quoted.id}&quote=1")
    body = re.search(r'<textarea[^>]*name="body"[^>]*>(.*?)</textarea>', prefilled, re.S).group(1)
    body = body.replace("&gt;", ">").strip()
    assert body.startswith(f"@amina [wrote ↩](/p/{quoted.id}):")
    client.post(f"/t/{thread.id}/reply", data={"body": body + "\n\nAgreed."})
    assert re.search(rf'<a href="/p/{quoted.id}"[^>]*>wrote ↩</a>', _page(client, f"/t/{thread.id}"))
    moderator = make.moderator()
    with app.test_request_context():
        actor = db.session.get(type(moderator), moderator.id)
        moderation.split_branch(db.session.get(Post, quoted.id), actor, "Spectrum", "Its own topic.")
        db.session.commit()
        new_thread_id = db.session.get(Post, quoted.id).thread_id
    assert new_thread_id != thread.id
    followed = client.get(f"/p/{quoted.id}")
    assert f"/t/{new_thread_id}" in followed.headers["Location"] and followed.headers["Location"].endswith(
        f"#p{quoted.id}"
    )
