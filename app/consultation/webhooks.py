"""Consultation's webhook events: a contribution submitted or decided, the brief published.

A contribution's event leaves the site only when a visitor may see it (public types from their
submission, the others once decided and public); each delivery describes it as a visitor sees it
when it is sent.
"""

from flask_babel import lazy_gettext as _l

from app import webhooks
from app.consultation.models import Consultation, Contribution
from app.core.permissions import VISITOR
from app.extensions import db
from app.mail import site_url

EVENTS = {"submit": "contribution.submitted", "accept_late": "contribution.submitted",
          "accept": "contribution.decided", "decline": "contribution.decided", "merge": "contribution.decided"}  # fmt: skip


def _iso(moment):
    return moment.isoformat() + "Z" if moment is not None else None


def describe_contribution(contribution_id: int) -> dict | None:
    row = db.session.get(Contribution, contribution_id)
    if row is None or not row.can_view(VISITOR):
        return None
    return {
        "id": row.id, "reference": row.reference, "consultation": row.consultation.slug, "type": row.type,
        "state": row.state, "title": row.title, "summary": row.summary, "organisation": row.submitter_organisation,
        "region": row.submitter_region, "action_lines": [line.community.slug for line in row.action_lines],
        "submitted_at": _iso(row.submitted_at), "decided_at": _iso(row.decided_at),
        "response_html": row.response_html if row.can_see_response(VISITOR) else None,
        "url": site_url("consultation.show_contribution", slug=row.consultation.slug, contribution_id=row.id),
    }  # fmt: skip


def describe_brief(consultation_id: int) -> dict | None:
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None or consultation.brief_published_at is None or not consultation.brief_versions:
        return None
    latest = consultation.brief_versions[-1]
    return {
        "consultation": consultation.slug, "title": consultation.title,
        "published_at": _iso(consultation.brief_published_at),
        "version": latest.number, "version_published_at": _iso(latest.published_at), "note": latest.note,
        "url": site_url("consultation.brief_version", slug=consultation.slug, number=latest.number),
    }  # fmt: skip


def contribution_moved(contribution, action: str) -> None:
    """Called by the services after a transition: the event, if a visitor may see the contribution."""
    event = EVENTS.get(action)
    if event is not None and contribution.can_view(VISITOR):
        webhooks.emit(event, contribution.id)


def brief_published(consultation) -> None:
    webhooks.emit("brief.published", consultation.id)


def register() -> None:
    webhooks.register_event(
        "contribution.submitted", _l("A contribution is submitted"), "contribution", describe_contribution
    )
    webhooks.register_event(
        "contribution.decided", _l("A contribution is decided"), "contribution", describe_contribution
    )
    webhooks.register_event(
        "brief.published", _l("A final brief is published"), "consultation", describe_brief
    )
