"""Helpers for search tests: change rows as the moderation services do, read result pages."""

import re

from app.communities.models import Community
from app.core import signals
from app.core.time import utcnow
from app.discussions.models import Post, Thread
from app.extensions import db

RESULT_RE = re.compile(r'class="search-result" data-type="(\w+)" data-id="(\d+)"')


def result_keys(html: str) -> list[tuple[str, int]]:
    return [(type_name, int(entity_id)) for type_name, entity_id in RESULT_RE.findall(html)]


def search(client, query: str, **params) -> tuple[list[tuple[str, int]], str]:
    response = client.get("/search", query_string={"q": query, **params})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return result_keys(html), html


def hide_post(app, post_id: int, signal: bool = True) -> None:
    with app.app_context():
        post = db.session.get(Post, post_id)
        post.hidden_at = utcnow()
        db.session.flush()
        if signal:
            signals.post_removed.send(post, actor=None)
        db.session.commit()


def restore_post(app, post_id: int) -> None:
    with app.app_context():
        post = db.session.get(Post, post_id)
        post.hidden_at = None
        db.session.flush()
        signals.post_restored.send(post, actor=None)
        db.session.commit()


def change_thread(app, thread_id: int, change: str, **values) -> None:
    with app.app_context():
        thread = db.session.get(Thread, thread_id)
        for name, value in values.items():
            setattr(thread, name, value)
        db.session.flush()
        signals.thread_changed.send(thread, actor=None, change=change)
        db.session.commit()


def community_id(app, slug: str) -> int:
    with app.app_context():
        return db.session.execute(db.select(Community.id).filter_by(slug=slug)).scalar_one()
