"""Formal contributions: write, edit, and one service per state transition (STYLE.md habit 4).

Each transition checks `contribution.can(action, actor, now)` (state, role and deadline), records a
`ContributionTransition` row and an audit row, and tells search the contribution changed. Nothing is
committed here: the caller commits once.
"""

import json
import logging

from flask_babel import lazy_gettext as _l

from app import drafts
from app.communities.models import Community
from app.consultation import notifications, webhooks
from app.consultation.models import (
    TRANSITIONS,
    Consultation,
    Contribution,
    ContributionActionLine,
    ContributionState,
    ContributionTransition,
    ContributionType,
)
from app.consultation.services.errors import ConsultationError, InvalidInput
from app.consultation.types import REGIONS, clean_details
from app.core import signals
from app.core.audit import record
from app.core.database import parse_id
from app.core.text import RENDER_VERSION, render_markdown
from app.core.time import utcnow
from app.discussions.services import start_thread
from app.extensions import db

logger = logging.getLogger(__name__)
S = ContributionState
TITLE_MIN, TITLE_MAX = 5, 200
SUMMARY_MIN, SUMMARY_MAX = 10, 1000
BODY_MAX = 50000


def contribution_path(contribution) -> str:
    """The contribution's page, as a path that needs no request context."""
    return f"/consultations/{contribution.consultation.slug}/contributions/{contribution.id}"


def _changed(contribution, operation="upsert") -> None:
    signals.searchable_changed.send("contribution", entity_id=contribution.id, operation=operation)


def _check_common(values: dict) -> dict:
    errors = {}
    title = (values.get("title") or "").strip()
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        errors["title"] = _l(
            "A title must be between %(min)d and %(max)d characters.", min=TITLE_MIN, max=TITLE_MAX
        )
    summary = (values.get("summary") or "").strip()
    if not SUMMARY_MIN <= len(summary) <= SUMMARY_MAX:
        errors["summary"] = _l(
            "A summary must be between %(min)d and %(max)d characters.", min=SUMMARY_MIN, max=SUMMARY_MAX
        )
    if len(values.get("body") or "") > BODY_MAX:
        errors["body"] = _l("The text is too long.")
    if values.get("region") not in REGIONS:
        errors["region"] = _l("Choose the region you are contributing from.")
    return errors


def _action_lines(ids, errors) -> list[Community]:
    ids = list(dict.fromkeys(i for i in (parse_id(value) for value in ids or []) if i is not None))
    communities = db.session.execute(
        db.select(Community).where(Community.id.in_(ids), Community.restricted.is_(False))
    ).scalars()
    by_id = {community.id: community for community in communities}
    if not ids or len(by_id) != len(ids):
        errors["action_lines"] = _l("Choose at least one action line.")
    return [by_id[i] for i in ids if i in by_id]


def _apply(contribution, values: dict, now) -> None:
    """Validate everything, then write it; on error nothing is changed."""
    errors = _check_common(values)
    communities = _action_lines(values.get("action_line_ids"), errors)
    details, detail_errors = clean_details(contribution.kind, values.get("details"))
    errors.update(detail_errors)
    if errors:
        raise InvalidInput(errors)
    contribution.title = values["title"].strip()
    contribution.summary = values["summary"].strip()
    contribution.body_source = values.get("body") or ""
    contribution.body_html = render_markdown(contribution.body_source)
    contribution.render_version = RENDER_VERSION
    contribution.submitter_region = values["region"]
    contribution.details_json = json.dumps(details, ensure_ascii=False, sort_keys=True)
    contribution.updated_at = now
    contribution.action_lines = [
        ContributionActionLine(community_id=c.id, position=i) for i, c in enumerate(communities)
    ]


def _history(contribution, action, from_state, actor, now, note="") -> None:
    contribution.history.append(
        ContributionTransition(
            action=action,
            from_state=from_state,
            to_state=contribution.state,
            actor_id=getattr(actor, "id", None),
            created_at=now,
            note=note or "",
        )
    )


def create_contribution(consultation, author, kind, now=None, **values) -> Contribution:
    """Start a draft (title, summary, body, action_line_ids, region, details)."""
    now = now or utcnow()
    if kind not in set(ContributionType):
        raise ConsultationError(_l("Unknown kind of contribution."))
    contribution = Contribution(
        consultation=consultation, author=author, type=kind, state=S.DRAFT, created_at=now,
        language=getattr(author, "locale", None),
    )  # fmt: skip
    _apply(contribution, values, now)
    db.session.add(contribution)
    _history(contribution, "create", None, author, now)
    db.session.flush()
    _changed(contribution)
    drafts.discard(author, f"contribution-{kind}", consultation.id)
    logger.info("Contribution %s drafted by %s", contribution.id, author)
    return contribution


def edit_contribution(contribution, editor, now=None, **values) -> None:
    """Edit a draft any time, or a submitted contribution until the deadline."""
    now = now or utcnow()
    if not contribution.can_edit(editor, now):
        raise ConsultationError(_edit_refusal(contribution))
    _apply(contribution, values, now)
    db.session.flush()
    drafts.discard(editor, "contribution", contribution.id)
    if contribution.state != S.DRAFT:
        record(
            editor,
            "contribution.edit",
            "contribution",
            contribution.id,
            community_id=_community_id(contribution),
        )
    _changed(contribution)


def _edit_refusal(contribution):
    if contribution.state == S.SUBMITTED:
        return _l("The deadline has passed: submitted contributions can no longer be changed.")
    return _l("This contribution can no longer be changed.")


def _community_id(contribution):
    ids = contribution.community_ids
    return ids[0] if ids else None


def _refusal(contribution, action, actor, now):
    sources, _target = TRANSITIONS[action]
    if contribution.state not in sources:
        return _l(
            "A contribution that is %(state)s cannot be %(action)s.",
            state=contribution.status.label,
            action=action.replace("_", " "),
        )
    if action == "submit" and contribution.is_author(actor):
        window = contribution.consultation.submission_window(now)
        if window == "closed":
            return _l(
                "The deadline for contributions has passed, so it was not submitted. Your draft is kept; "
                "you can ask the secretariat to accept it late."
            )
        if window == "not_open":
            return _l("Contributions are not open yet. Your draft is kept.")
    return _l("You are not allowed to do that.")


def _transition(contribution, action, actor, now, note="", **audit_after):
    """Move the contribution along TRANSITIONS[action], with its history row and audit row."""
    if not contribution.can(action, actor, now):
        raise ConsultationError(_refusal(contribution, action, actor, now))
    from_state = contribution.state
    contribution.state = TRANSITIONS[action][1]
    contribution.updated_at = now
    _history(contribution, action, from_state, actor, now, note)
    db.session.flush()
    record(
        actor, f"contribution.{action}", "contribution", contribution.id,
        community_id=_community_id(contribution), reason=note,
        before={"state": from_state}, after={"state": contribution.state, **audit_after},
    )  # fmt: skip
    _changed(contribution)
    webhooks.contribution_moved(contribution, action)
    logger.info("Contribution %s: %s -> %s by %s", contribution, from_state, contribution.state, actor)


def _next_number(contribution) -> int:
    """The next number of this kind in the consultation.

    The consultation's row is locked first (PostgreSQL: FOR UPDATE), so two submissions at the same
    moment take turns instead of both reading the same maximum and one failing on the unique number.
    SQLite runs one write request at a time (BEGIN IMMEDIATE) and ignores the lock clause.
    """
    db.session.execute(
        db.select(Consultation.id).where(Consultation.id == contribution.consultation_id).with_for_update()
    )
    highest = db.session.execute(
        db.select(db.func.max(Contribution.number)).filter_by(
            consultation_id=contribution.consultation_id, type=contribution.type
        )
    ).scalar()
    return (highest or 0) + 1


def _stamp_submission(contribution, now) -> None:
    """Reference and the author's organisation, stakeholder type and country as at submission."""
    author = contribution.author
    contribution.number = _next_number(contribution)
    prefix, code = contribution.consultation.reference_prefix, contribution.kind.code
    contribution.reference = f"{prefix}-{code}-{contribution.number:04d}"
    contribution.submitted_at = now
    contribution.submitter_organisation = author.organisation or ""
    contribution.submitter_stakeholder_type = author.stakeholder_type
    contribution.submitter_country = author.country or ""


def _open_thread(contribution) -> None:
    """The contribution's discussion, in its first action line, once the public may see it.

    Majlis opens it in the author's name (`by_system`): the author's posting limits (new-member
    thread quota, holds) are about their own posting, not about a submission or a staff decision,
    so this step cannot be refused once the transition has been allowed.
    """
    if contribution.thread_id is not None or not contribution.is_public:
        return
    community = contribution.action_lines[0].community
    title = f"{contribution.reference}: {contribution.title}"[:200]
    body = f"{contribution.summary}\n\n[{contribution.reference}]({contribution_path(contribution)})"
    thread = start_thread(
        community, contribution.author, title, body, language=contribution.language, by_system=True
    )
    contribution.thread_id = thread.id
    db.session.flush()


def _check_complete(contribution) -> None:
    """Re-validate stored fields: rules may have changed since the draft was saved."""
    _details, errors = clean_details(contribution.kind, contribution.details)
    if errors:
        raise InvalidInput(errors)


def submit(contribution, actor, now=None, note="") -> None:
    """draft -> submitted, by the author, through the deadline minute (consultation's time zone).

    One unit: every check (state, author, deadline, completeness) runs before anything changes, and
    what follows (reference, state, history and audit rows, discussion thread) cannot be refused, so a
    refusal leaves the draft exactly as it was.
    """
    now = now or utcnow()
    if not contribution.can("submit", actor, now):
        raise ConsultationError(_refusal(contribution, "submit", actor, now))
    if not contribution.author.stakeholder_type:
        raise ConsultationError(
            _l("Say which stakeholder group you belong to in your settings before submitting.")
        )
    _check_complete(contribution)
    _stamp_submission(contribution, now)
    _transition(contribution, "submit", actor, now, note, reference=contribution.reference)
    _open_thread(contribution)


def request_late_acceptance(contribution, actor, now=None, note="") -> None:
    """After the deadline the author may ask an administrator to accept the draft late."""
    now = now or utcnow()
    if not contribution.can_request_late(actor, now):
        raise ConsultationError(_l("You cannot ask for late acceptance of this contribution."))
    contribution.late_requested_at = now
    db.session.flush()
    record(
        actor,
        "contribution.request_late",
        "contribution",
        contribution.id,
        community_id=_community_id(contribution),
        reason=note,
    )


def accept_late(contribution, admin, reason, now=None) -> None:
    """draft -> submitted after the deadline: administrators only, with a reason, logged."""
    now = now or utcnow()
    if not (reason or "").strip():
        raise ConsultationError(_l("Say why the late contribution is accepted."), field="reason")
    if contribution.can("accept_late", admin, now):
        _check_complete(contribution)
        _stamp_submission(contribution, now)
        contribution.is_late = True
    _transition(contribution, "accept_late", admin, now, reason, reference=contribution.reference, late=True)
    _open_thread(contribution)
    _tell_author(contribution, "accept_late", admin, reason)


def screen(contribution, actor, now=None, note="") -> None:
    """submitted -> under_review: the secretariat takes it in for review."""
    _transition(contribution, "screen", actor, now or utcnow(), note)
    _tell_author(contribution, "screen", actor, note)


def _decide(contribution, action, actor, response, now, **extra) -> None:
    if not (response or "").strip():
        raise ConsultationError(_l("Write the official response."), field="response")
    if contribution.can(action, actor, now):
        contribution.response_source = response
        contribution.response_html = render_markdown(response)
        contribution.decided_at = now
        contribution.decided_by_id = actor.id
    _transition(contribution, action, actor, now, response, **extra)
    _open_thread(contribution)
    _tell_author(contribution, action, actor, response, **extra)


def _tell_author(contribution, action, actor, note, **extra) -> None:
    """The author hears of the secretariat's step, with the response or reason, linked to the page."""
    notifications.tell_author(contribution, action, actor, contribution_path(contribution), note, **extra)


def accept(contribution, actor, response, now=None) -> None:
    """under_review -> accepted, with the official response."""
    _decide(contribution, "accept", actor, response, now or utcnow())


def decline(contribution, actor, response, now=None) -> None:
    """submitted or under_review -> declined, with the official response."""
    _decide(contribution, "decline", actor, response, now or utcnow())


def merge(contribution, actor, target, response, now=None) -> None:
    """under_review -> merged into `target`, another live contribution of the same consultation."""
    if (
        target is None
        or target.id == contribution.id
        or target.consultation_id != contribution.consultation_id
        or target.state in (S.DRAFT, S.WITHDRAWN, S.DECLINED, S.MERGED)
    ):
        raise ConsultationError(
            _l("Choose another submitted contribution to merge into."), field="merge_into"
        )
    if (response or "").strip() and contribution.can("merge", actor, now or utcnow()):
        contribution.merged_into_id = target.id
    _decide(contribution, "merge", actor, response, now or utcnow(), merged_into=target.reference)


def withdraw(contribution, actor, now=None, note="") -> None:
    """submitted or under_review -> withdrawn, by the author, before a decision."""
    now = now or utcnow()
    if contribution.can("withdraw", actor, now):
        contribution.withdrawn_at = now
    _transition(contribution, "withdraw", actor, now, note)
