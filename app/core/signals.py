"""Domain signals, declared in one place.

Each signal is sent by a service *inside* the transaction, after the service has flushed, so
subscribers may add rows to the same session (room events, notifications, search outbox rows):
they commit or roll back together with the change. A subscriber must never perform an outside
side effect (emit, index, mail) directly: it queues it with `app.core.after_commit.queue`, which
runs only once the commit has succeeded.
"""

from blinker import Namespace

_signals = Namespace()

post_created = _signals.signal(
    "post-created", doc="A post was added to a thread (sender: the Post; kwarg actor)."
)
post_edited = _signals.signal(
    "post-edited", doc="A post's body changed (sender: the Post; kwargs actor, revision)."
)
post_removed = _signals.signal(
    "post-removed",
    doc="A post was deleted or hidden and now shows a placeholder (sender: the Post; kwarg actor).",
)
post_restored = _signals.signal(
    "post-restored", doc="A hidden or deleted post is visible again (sender: the Post; kwarg actor)."
)
thread_created = _signals.signal(
    "thread-created", doc="A thread and its opening post were created (sender: the Thread)."
)
post_held = _signals.signal(
    "post-held",
    doc="A new thread or reply was saved but held for approval; nothing is published "
    "(sender: the Post; kwarg actor). On approval post_created or thread_created is sent.",
)
thread_changed = _signals.signal(
    "thread-changed",
    doc="A thread's header state changed: lock, pin, title, move (sender: the Thread; kwarg change).",
)
user_sessions_revoked = _signals.signal(
    "user-sessions-revoked",
    doc="A user logged out or was suspended: open sockets must be closed (sender: the User).",
)
searchable_changed = _signals.signal(
    "searchable-changed",
    doc="A searchable entity changed (sender: entity type string; kwargs entity_id, operation).",
)
readers_changed = _signals.signal(
    "readers-changed",
    doc="Who may read something may have narrowed (a thread hidden or moved, someone's access to a "
    "restricted community removed): open live connections must be re-checked and leave what they may "
    "no longer read (sender: the actor; kwargs thread_ids: threads whose readers to re-check, "
    "user_ids: people whose every room to re-check).",
)
