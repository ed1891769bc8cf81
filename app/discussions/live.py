"""How realtime sees discussions: the thread room, and the events posts and threads send to thread
and community rooms. Payloads are built here, inside the transaction, as JSON-safe dicts.

Post events carry ids and counts, never a post's text or markup. Room events are stored and replayed
(`join` with `since`) to whoever may read the room *now*; a body stored in them would outlive a hide,
a deletion, a rejection or an edit, and would be the same for every reader. So the page's script
fetches the posts an event names from `/t/<id>/posts`, which renders the current row with the
thread page's own template and the reader's own controls, for a creation, an edit, a removal and a
restoration alike: one source of post markup, and moderation takes text down everywhere at once,
history included, without rewriting it.
"""

from app.core import signals
from app.core.time import isoformat
from app.discussions.models import Thread
from app.extensions import db
from app.realtime import rooms
from app.realtime.services import publish


def _load_thread(thread_id: int) -> Thread | None:
    return db.session.get(Thread, thread_id)


def _can_join_thread(thread: Thread, user) -> bool:
    return thread.can_read(user)


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
    """Tell the thread's readers which post to fetch, and its community's list the new count."""
    publish(rooms.thread(post.thread_id), "post_created", _post_payload(post))
    publish(rooms.community(post.thread.community_id), "thread_activity", _thread_activity(post.thread))


def on_post_edited(post, **_):
    """Name the edited post: readers fetch its current rendering."""
    if post.is_held:  # nobody else has seen it: nothing to tell the room
        return
    publish(
        rooms.thread(post.thread_id),
        "post_edited",
        {"post_id": post.id, "edited_at": isoformat(post.edited_at)},
    )


def on_post_removed(post, **_):
    """Name the hidden or deleted post: readers fetch its placeholder as a reload shows it."""
    if post.is_held:
        return
    reason = "hidden" if post.hidden_at is not None else "deleted"
    publish(rooms.thread(post.thread_id), "post_removed", {"post_id": post.id, "reason": reason})


def on_post_restored(post, **_):
    """Name the restored post: readers fetch it again."""
    if post.is_held:
        return
    publish(rooms.thread(post.thread_id), "post_restored", _post_payload(post))


def on_thread_created(thread, **_):
    """Tell the community's page a thread is new (no title: a thread hidden later must not come back
    through replay)."""
    publish(rooms.community(thread.community_id), "thread_created", _thread_activity(thread))


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


SUBSCRIPTIONS = [
    (signals.post_created, on_post_created),
    (signals.post_edited, on_post_edited),
    (signals.post_removed, on_post_removed),
    (signals.post_restored, on_post_restored),
    (signals.thread_created, on_thread_created),
    (signals.thread_changed, on_thread_changed),
]


def register(app) -> None:
    """Register the thread room kind (readers counted); subscribers.py connects SUBSCRIPTIONS."""
    rooms.register_kind("thread", _load_thread, _can_join_thread, presence=True)
