"""Where discussions meet drafts and supports: the places a member writes in (a reply in a thread, a
new thread in a community) and proposals as items members support."""

from flask import url_for

from app import drafts
from app.communities.models import Community
from app.discussions.models import Thread
from app.extensions import db
from app.supports import services as supports


def _thread(thread_id: int) -> Thread | None:
    return db.session.get(Thread, thread_id)


def _community(community_id: int) -> Community | None:
    return db.session.get(Community, community_id)


def _thread_url(thread) -> str:
    return url_for("discussions.show_thread", thread_id=thread.id, _anchor="supports")


def register() -> None:
    drafts.register_place(
        "reply", _thread, lambda thread, user: thread.can_reply(user),
        fields=("body", "parent_id", "language"), can_view=lambda thread, user: thread.can_read(user),
    )  # fmt: skip
    drafts.register_place(
        "thread", _community, lambda community, user: community.can_start_thread(user),
        fields=("title", "body", "language", "proposal"), can_view=lambda community, user: community.can_read(user),
    )  # fmt: skip
    supports.register_target(
        "thread", load=_thread, can_view=lambda thread, user: thread.can_read(user),
        can_support=lambda thread, user: thread.can_support(user), is_open=lambda thread: thread.supports_open,
        community_id=lambda thread: thread.community_id, url=_thread_url,
    )  # fmt: skip
