"""Audit rows for moderator actions that happen through the discussion routes (edit, delete), and
the review-queue item for a post held for approval.

A moderator who edits or deletes someone else's post acts as a moderator: that goes on the record.
Actions the moderation services perform audit themselves and mark the object (`mark_audited`).
"""

from app.core import audit, signals


def _acting_for_others(post, actor) -> bool:
    return actor is not None and actor.id != post.author_id


def _on_post_edited(post, actor=None, revision=None, **_extra):
    if _acting_for_others(post, actor):
        reason = getattr(revision, "reason", "") or ""
        audit.record(
            actor,
            "edit_post",
            "post",
            post.id,
            post.thread.community_id,
            reason,
            after={"revision": getattr(revision, "number", None)},
        )


def _on_post_removed(post, actor=None, **_extra):
    if getattr(post, "_moderation_audited", False):
        post._moderation_audited = False
        return
    if post.deleted_at is not None and _acting_for_others(post, actor):
        audit.record(actor, "delete_post", "post", post.id, post.thread.community_id, "")


def _on_post_held(post, **_extra):
    from app.moderation.services import hold_for_review

    hold_for_review(post)


def connect() -> None:
    signals.post_edited.connect(_on_post_edited, weak=False)
    signals.post_removed.connect(_on_post_removed, weak=False)
    signals.post_held.connect(_on_post_held, weak=False)
