"""Reactions on posts: like, agree, insightful, thanks — one of each kind per member, never on one's
own post, removable; shown in each post's footer with who reacted, and live to the thread's readers.

A page's reactions are read in one statement (`prepare`, before its posts' footers are decided);
the footer is a registered post control whose decision holds the counts, the names and the
reader's own reactions, so it is cached per distinct state like the other controls.
"""

import logging

from flask import g
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.core.refusals import Refused
from app.discussions.models import REACTION_KINDS, Post, Reaction
from app.discussions.post_html import register_control
from app.extensions import db
from app.realtime import rooms
from app.realtime.services import publish

logger = logging.getLogger(__name__)

LABELS = {
    "like": _l("Like"),
    "agree": _l("Agree"),
    "insightful": _l("Insightful"),
    "thanks": _l("Thanks"),
}
SYMBOLS = {"like": "👍", "agree": "✅", "insightful": "💡", "thanks": "🙏"}
NAMES_SHOWN = 10  # names listed on hover; the rest are counted


def toggle_reaction(post: Post, user, kind: str) -> bool:
    """Add the member's reaction of `kind` to `post`, or take it back if they had left it; True when
    it is now there. The post's readers are told to fetch its reactions again."""
    if kind not in REACTION_KINDS:
        raise Refused(_l("Choose one of the reactions offered."))
    row = db.session.execute(
        db.select(Reaction).filter_by(post_id=post.id, user_id=user.id, kind=kind)
    ).scalar_one_or_none()
    if row is None:
        db.session.add(Reaction(post_id=post.id, user_id=user.id, kind=kind))
    else:
        db.session.delete(row)
    db.session.flush()
    logger.info("%s %s %s on %s", user, "left" if row is None else "took back", kind, post)
    publish(rooms.thread(post.thread_id), "post_reacted", {"post_id": post.id})
    return row is None


def prepare(viewer, posts, thread) -> None:
    """Read the reactions on a page's posts, with their authors' names, in one statement."""
    ids = [post.id for post in posts if not post.is_removed]
    by_post: dict[int, list[tuple[str, int, str]]] = {post_id: [] for post_id in ids}
    if ids:
        rows = db.session.execute(
            db.select(Reaction.post_id, Reaction.kind, Reaction.user_id, User.display_name, User.username)
            .join(User, User.id == Reaction.user_id)
            .where(Reaction.post_id.in_(ids))
            .order_by(Reaction.id)
        )
        for post_id, kind, user_id, display_name, username in rows:
            by_post[post_id].append((kind, user_id, display_name or username))
    g.setdefault("post_reactions", {}).update(by_post)


def _decide(viewer, post, thread):
    """The footer's reactions: per kind its count, the first names and whether the reader left it;
    and whether the reader may react. None for a removed post (its reactions are hidden)."""
    if post.is_removed or post.is_held:
        return None
    found = g.get("post_reactions", {}).get(post.id)
    if found is None:
        prepare(viewer, [post], thread)
        found = g.post_reactions[post.id]
    me = viewer.id if viewer.is_authenticated else None
    kinds = []
    for kind in REACTION_KINDS:
        people = [(user_id, name) for each_kind, user_id, name in found if each_kind == kind]
        names = tuple(name for _user_id, name in people[:NAMES_SHOWN])
        kinds.append((kind, len(people), names, any(user_id == me for user_id, _name in people)))
    return tuple(kinds), post.can_react(viewer)


def received_by(user, viewer) -> list[tuple[str, int]]:
    """The reactions others left on `user`'s posts that `viewer` may read, per kind (one statement)."""
    rows = dict(
        db.session.execute(
            db.select(Reaction.kind, db.func.count(Reaction.id))
            .join(Post, Post.id == Reaction.post_id)
            .join(Post.thread)
            .where(Post.author_id == user.id, Post.readable_clause(viewer))
            .group_by(Reaction.kind)
        ).all()
    )
    return [(kind, rows[kind]) for kind in REACTION_KINDS if rows.get(kind)]


def register(app) -> None:
    register_control("discussions/_reactions.html", _decide, prepare=prepare)
    app.jinja_env.globals.update(reaction_labels=LABELS, reaction_symbols=SYMBOLS)
