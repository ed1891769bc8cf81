"""Reports and the review queue: report, claim, decide; hide automatically past a threshold."""

import logging

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.core import audit
from app.core.time import utcnow
from app.extensions import db
from app.moderation.models import (
    APPROVAL_LABELS,
    DECISION_LABELS,
    Decision,
    Report,
    ReportReason,
    ReviewItem,
    can_approve_accounts,
)
from app.moderation.notifications import tell_hidden
from app.moderation.services.content import (
    ModerationError,
    set_post_hidden,
    set_post_visible,
    set_thread_hidden,
    set_thread_visible,
)

logger = logging.getLogger(__name__)


def target_type_of(target) -> str:
    return "post" if target.__tablename__ == "posts" else "thread"


def community_id_of(target) -> int:
    return target.thread.community_id if target_type_of(target) == "post" else target.community_id


def open_item_for(target_type: str, target_id: int) -> ReviewItem | None:
    return db.session.execute(
        db.select(ReviewItem).filter_by(target_type=target_type, target_id=target_id, state="open")
    ).scalar_one_or_none()


def open_report_by(user, target_type: str, target_id: int) -> Report | None:
    return db.session.execute(
        db.select(Report).filter_by(
            reporter_id=user.id, target_type=target_type, target_id=target_id, closed_at=None
        )
    ).scalar_one_or_none()


def _is_hidden(target) -> bool:
    return target.hidden_at is not None


def _hide(target, actor) -> None:
    (set_post_hidden if target_type_of(target) == "post" else set_thread_hidden)(target, actor)


def _show(target, actor) -> None:
    (set_post_visible if target_type_of(target) == "post" else set_thread_visible)(target, actor)


def report(reporter, target, reason: str, note: str = "", threshold: int | None = None) -> Report:
    """File a report (one open report per member per item); past `threshold` reporters, hide it."""
    kind = target_type_of(target)
    if reason not in set(ReportReason) or reason == ReportReason.APPEAL:
        raise ModerationError(_l("Choose a reason."))
    if reason == ReportReason.OTHER and not note.strip():
        raise ModerationError(_l("Tell the moderators what is wrong."))
    if open_report_by(reporter, kind, target.id) is not None:
        raise ModerationError(_l("You have already reported this; the moderators will look at it."))
    filed = _file(reporter, target, reason, note)
    logger.info("%s reported %s %s (%s)", reporter, kind, target.id, reason)
    threshold = threshold or current_app.config["REPORT_HIDE_THRESHOLD"]
    item = filed.item
    if len({r.reporter_id for r in item.open_reports()}) >= threshold and not _is_hidden(target):
        _hide_pending_review(item, target)
    return filed


def _file(person, target, reason: str, note: str) -> Report:
    """A report on `target`, on its open review item (opened now if there is none)."""
    kind = target_type_of(target)
    item = open_item_for(kind, target.id)
    if item is None:
        item = ReviewItem(target_type=kind, target_id=target.id, community_id=community_id_of(target))
        db.session.add(item)
        db.session.flush()
    filed = Report(
        item=item, reporter_id=person.id, target_type=kind, target_id=target.id, reason=reason, note=note
    )
    db.session.add(filed)
    db.session.flush()
    return filed


def appeal(author, target, note: str) -> Report:
    """The author of hidden content asks for a review: it joins the item's open reports (or opens
    one) with their reason, and the queue's "approve" restores it."""
    kind = target_type_of(target)
    if not note.strip():
        raise ModerationError(_l("Tell the moderators why it should be restored."), field="note")
    if open_report_by(author, kind, target.id) is not None:
        raise ModerationError(_l("You have already appealed; the moderators will look at it."))
    filed = _file(author, target, ReportReason.APPEAL, note.strip())
    logger.info("%s appealed the hiding of %s %s", author, kind, target.id)
    return filed


def _hide_pending_review(item, target) -> None:
    item.auto_hidden = True
    audit.record(
        None,
        "auto_hide",
        item.target_type,
        item.target_id,
        item.community_id,
        "",
        after={"reports": len(item.open_reports())},
    )
    _hide(target, None)
    tell_hidden(target, None)
    logger.info("%s %s hidden pending review", item.target_type, item.target_id)


def claim(item, actor) -> None:
    """Take an open item so other moderators know someone is on it."""
    if not item.is_open:
        raise ModerationError(_l("This item was already decided."))
    if item.claimed_by_id == actor.id:
        raise ModerationError(_l("You have already claimed this item."))
    audit.record(
        actor,
        "review_claim",
        item.target_type,
        item.target_id,
        item.community_id,
        "",
        before={"claimed_by": item.claimed_by_id},
        after={"claimed_by": actor.id},
    )
    item.claimed_by_id = actor.id
    item.claimed_at = utcnow()
    db.session.flush()


def decide(item, actor, decision: str, note: str) -> None:
    """Decide an item with a note: approve, hide or dismiss a reported one (its open reports close);
    approve (publish) or reject a held one."""
    if not item.is_open:
        raise ModerationError(_l("This item was already decided."))
    if decision not in set(APPROVAL_LABELS if item.held else DECISION_LABELS):
        raise ModerationError(_l("Choose a decision."))
    if not note.strip():
        raise ModerationError(_l("Write a note for the record."))
    if item.held:
        _decide_held(item, actor, decision, note)
    else:
        _decide_reported(item, actor, decision, note)
    _resolve(item, actor, decision, note)


def _decide_reported(item, actor, decision: str, note: str) -> None:
    target = item.target
    was_hidden = target is not None and _is_hidden(target)
    audit.record(
        actor,
        "review_" + decision,
        item.target_type,
        item.target_id,
        item.community_id,
        note,
        before={"hidden": was_hidden},
        after={"hidden": _hidden_after(decision, was_hidden), "reports": len(item.open_reports())},
    )
    if target is not None and decision == Decision.HIDE and not was_hidden:
        _hide(target, actor)
        tell_hidden(target, actor, note)
    elif target is not None and decision == Decision.APPROVE and was_hidden:
        _show(target, actor)


def _decide_held(item, actor, decision: str, note: str) -> None:
    """Approve: publish, and the usual side effects follow the commit. Reject: hidden, never published."""
    from app.discussions.services import opening_post, publish_held_post

    target = item.target
    approve = decision == Decision.APPROVE
    audit.record(
        actor,
        f"{decision}_{item.target_type}",
        item.target_type,
        item.target_id,
        item.community_id,
        note,
        before={"held": True},
        after={"held": not approve, "hidden": not approve},
    )
    if target is None or not target.is_held or target.deleted_at is not None:
        return  # gone, or withdrawn by its author meanwhile: nothing to publish
    post = target if item.target_type == "post" else opening_post(target)
    if approve:
        publish_held_post(post)
    elif not _is_hidden(target):
        _hide(target, actor)
    _tell_author(post, actor, approve, note)


def _tell_author(post, actor, approved: bool, note: str) -> None:
    """The author learns the decision on their held post, with the note when it was not approved."""
    from app.notifications.services import notify

    kind, data = ("post_approved", {}) if approved else ("post_rejected", {"reason": note.strip()})
    notify(post.author_id, kind, actor=actor, url=f"/p/{post.id}", thread_title=post.thread.title, **data)


def _resolve(item, actor, decision: str, note: str) -> None:
    now = utcnow()
    for open_report in item.open_reports():
        open_report.closed_at = now
    item.state, item.decision, item.note = "resolved", decision, note.strip()
    item.resolved_at, item.resolved_by_id = now, actor.id
    db.session.flush()
    logger.info("Review item %s decided (%s) by %s", item.id, decision, actor)


def hold_for_review(post) -> ReviewItem:
    """Put a post (or, for an opening post, its thread) held for approval in the review queue."""
    kind, target_id = ("thread", post.thread_id) if post.is_opening else ("post", post.id)
    item = ReviewItem(target_type=kind, target_id=target_id, community_id=post.thread.community_id, held=True)
    db.session.add(item)
    db.session.flush()
    logger.info("%s %s held for approval", kind, target_id)
    return item


def _hidden_after(decision: str, was_hidden: bool) -> bool:
    if decision == Decision.HIDE:
        return True
    if decision == Decision.APPROVE:
        return False
    return was_hidden


def queue_items(user, community_id: int | None = None) -> list[ReviewItem]:
    """Open items in the communities `user` moderates, most reported first."""
    query = db.select(ReviewItem).where(ReviewItem.state == "open")
    if not user.is_admin:
        query = query.where(ReviewItem.community_id.in_(moderated_ids_with_children(user)))
    if community_id is not None:
        query = query.where(ReviewItem.community_id == community_id)
    items = list(db.session.execute(query.order_by(ReviewItem.created_at)).scalars())
    return sorted(items, key=lambda item: -len(item.open_reports()))


def pending_accounts(user) -> list:
    """New accounts awaiting approval, oldest first (administrators only; others get none)."""
    from app.auth.models import User

    if not can_approve_accounts(user):
        return []
    return list(
        db.session.execute(db.select(User).filter_by(approval="pending").order_by(User.created_at)).scalars()
    )


def open_count(user) -> int:
    query = db.select(db.func.count(ReviewItem.id)).where(ReviewItem.state == "open")
    if not user.is_admin:
        query = query.where(ReviewItem.community_id.in_(moderated_ids_with_children(user)))
    count = db.session.execute(query).scalar()
    if can_approve_accounts(user):
        from app.auth.models import User

        count += db.session.execute(db.select(db.func.count(User.id)).filter_by(approval="pending")).scalar()
    return count


def moderated_communities(user) -> list:
    """The communities `user` moderates, sub-lines included (administrators: all), in site order."""
    from app.communities.models import Community

    query = db.select(Community).order_by(Community.position)
    if not user.is_admin:
        query = query.where(Community.id.in_(moderated_ids_with_children(user)))
    return list(db.session.execute(query).scalars())


def moderated_ids_with_children(user) -> set[int]:
    """Communities `user` moderates, with their sub-lines (a parent's moderators moderate those)."""
    from app.communities.models import Community

    ids = set(user.moderated_community_ids)
    if ids:
        ids |= set(db.session.execute(db.select(Community.id).where(Community.parent_id.in_(ids))).scalars())
    return ids
