"""Domain signals → room events. Payloads are built here, inside the transaction, as JSON-safe dicts.

Post events carry ids and counts, never a post's text or markup. Room events are stored and replayed
(`join` with `since`) to whoever may read the room *now*; a body stored in them would outlive a hide,
a deletion, a rejection or an edit, and would be the same for every reader. So the page's script
fetches the posts an event names from `/t/<id>/posts`, which renders the current row with the
thread page's own template and the reader's own controls: one source of post markup, and
moderation takes text down everywhere at once, history included, without rewriting it.
"""

import logging

from app.core import after_commit, signals
from app.core.time import isoformat
from app.extensions import socketio
from app.realtime import rooms
from app.realtime.services import EMIT_KIND, EPHEMERAL_KIND, SOCKET_EVENT, publish

logger = logging.getLogger(__name__)


def _post_payload(post) -> dict:
    return {
        "post_id": post.id,
        "parent_id": post.parent_id,
        "author_id": post.author_id,
        "author": post.author.name,
        "depth": post.depth,
        "created_at": isoformat(post.created_at),
        "post_count": post.thread.post_count,
    }


def _thread_activity(thread) -> dict:
    return {
        "thread_id": thread.id,
        "post_count": thread.post_count,
        "last_activity_at": isoformat(thread.last_activity_at),
    }


def on_post_created(post, **_):
    publish(rooms.thread(post.thread_id), "post_created", _post_payload(post))
    publish(rooms.community(post.thread.community_id), "thread_activity", _thread_activity(post.thread))


def on_post_edited(post, **_):
    if post.is_held:  # nobody else has seen it: nothing to tell the room
        return
    publish(
        rooms.thread(post.thread_id),
        "post_edited",
        {"post_id": post.id, "edited_at": isoformat(post.edited_at)},
    )


def on_post_removed(post, **_):
    if post.is_held:
        return
    reason = "hidden" if post.hidden_at is not None else "deleted"
    publish(rooms.thread(post.thread_id), "post_removed", {"post_id": post.id, "reason": reason})


def on_post_restored(post, **_):
    if post.is_held:
        return
    publish(rooms.thread(post.thread_id), "post_restored", _post_payload(post))


def on_thread_created(thread, **_):
    publish(
        rooms.community(thread.community_id),
        "thread_created",
        _thread_activity(thread),  # no title: a thread hidden later must not come back through replay
    )


def on_thread_changed(thread, change=None, previous_community_id=None, **_):
    """State flags only, no title: a renamed or hidden thread's old title must not come back through
    replay; on a "title" change the page reads the current title from /t/<id>/posts."""
    if thread.is_held:  # a thread awaiting approval is not announced until it is approved
        return
    state = {
        "thread_id": thread.id,
        "change": change,
        "locked": thread.locked,
        "pinned": thread.pinned,
        "community_id": thread.community_id,
        "visible": thread.is_visible,
    }
    publish(rooms.thread(thread.id), "thread_changed", state)
    publish(rooms.community(thread.community_id), "thread_changed", state)
    if previous_community_id and previous_community_id != thread.community_id:
        publish(rooms.community(previous_community_id), "thread_changed", state)


def on_sessions_revoked(user, **_):
    after_commit.queue("socketio-revoke", {"user_id": user.id})


def _emit_room_event(payload: dict) -> None:
    socketio.emit(SOCKET_EVENT, payload, to=payload["room"])


def _emit_ephemeral(payload: dict) -> None:
    socketio.emit(payload["event"], {"room": payload["room"], **payload["data"]}, to=payload["room"])


def _revoke(payload: dict) -> None:
    """Tell every process's sockets of this user to close, and close this process's ones now."""
    room = rooms.user(payload["user_id"])
    socketio.emit("session_revoked", {}, to=room)
    from app.realtime.handlers import disconnect_local

    disconnect_local(room)


SUBSCRIPTIONS = [
    (signals.post_created, on_post_created),
    (signals.post_edited, on_post_edited),
    (signals.post_removed, on_post_removed),
    (signals.post_restored, on_post_restored),
    (signals.thread_created, on_thread_created),
    (signals.thread_changed, on_thread_changed),
    (signals.user_sessions_revoked, on_sessions_revoked),
]


def register(app):
    """Connect the signal subscribers and the after-commit emitters (idempotent across apps)."""
    from app.realtime import presence
    from app.realtime.services import current_seq

    presence.configure(app)
    app.jinja_env.globals["room_seq"] = lambda kind, object_id: current_seq(f"{kind}:{object_id}")
    for signal, subscriber in SUBSCRIPTIONS:
        signal.connect(subscriber, weak=False)
    after_commit.register(EMIT_KIND, _emit_room_event)
    after_commit.register(EPHEMERAL_KIND, _emit_ephemeral)
    after_commit.register("socketio-revoke", _revoke)
