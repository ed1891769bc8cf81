"""How the consultation's actions appear in the audit log: how each reads, and whose it is to read.

The secretariat's internal notes (screening, late acceptance, reviews, an author's notes, the whole
record of the private kinds — workshop requests and nominations) belong to the audience
"consultation": its secretariat and administrators. The moderators of the action line a contribution
sits in still see its public steps: submission, and the official response to a public kind.
"""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.consultation.models import Consultation, ConsultationRole, Contribution, Meeting, Phase, Role
from app.core import audit
from app.core.audit import AuditEntry, TargetName
from app.extensions import db

AUDIENCE = "consultation"
# Steps whose note, if any, is public for a public kind (the official response) or carries none.
_OPEN_STEPS = {"contribution.accept", "contribution.decline", "contribution.merge", "contribution.edit"}
_AUTHOR_NOTE_STEPS = {"contribution.submit", "contribution.withdraw"}


def secretariat_consultation_ids(user):
    """The consultations whose secretariat `user` is in."""
    return db.select(ConsultationRole.consultation_id).where(
        ConsultationRole.user_id == user.id, ConsultationRole.role == Role.SECRETARIAT
    )


def is_internal(action: str, reason: str, contribution) -> bool:
    """Is this step of `contribution` for the secretariat only?"""
    if not contribution.kind.is_public:
        return True
    if action in _AUTHOR_NOTE_STEPS:
        return bool((reason or "").strip())
    return action not in _OPEN_STEPS


def classify(entry):
    """("consultation", id) for a contribution entry that carries internal notes."""
    if entry.target_type != "contribution" or entry.target_id is None:
        return None
    contribution = db.session.get(Contribution, entry.target_id)
    if contribution is None or not is_internal(entry.action, entry.reason, contribution):
        return None
    return AUDIENCE, contribution.consultation_id


def _contribution(contribution_id, entry, viewer):
    contribution = db.session.get(Contribution, contribution_id)
    if contribution is None:
        return None
    if not contribution.can_view(viewer):
        return TargetName(_("a contribution"))
    url = url_for(
        "consultation.show_contribution", slug=contribution.consultation.slug, contribution_id=contribution.id
    )
    if not contribution.reference:
        return TargetName(audit.label(_("the draft “%(title)s”"), title=contribution.title), url)
    return TargetName(
        audit.label(
            _("%(reference)s “%(title)s”"), reference=contribution.reference, title=contribution.title
        ),
        url,
    )


def _consultation(consultation_id, entry, viewer):
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None:
        return None
    return TargetName(consultation.title, url_for("consultation.show", slug=consultation.slug))


def _meeting(meeting_id, entry, viewer):
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        return None
    url = url_for("consultation.show_meeting", slug=meeting.consultation.slug, meeting_id=meeting.id)
    return TargetName(audit.label(_("the meeting “%(title)s”"), title=meeting.title), url)


def _phase(phase_id, entry, viewer):
    phase = db.session.get(Phase, phase_id)
    if phase is None:  # deleted: its title is in the entry
        title = (entry.before or entry.after or {}).get("title")
        return TargetName(audit.label(_("the phase “%(title)s”"), title=title)) if title else None
    url = url_for("consultation.show", slug=phase.consultation.slug)
    return TargetName(
        audit.label(
            _("the phase “%(title)s” of %(consultation)s"),
            title=phase.title,
            consultation=phase.consultation.title,
        ),
        url,
    )


def _value(key, side="after"):
    def details(entry, viewer) -> dict:
        return {key: ((entry.after if side == "after" else entry.before) or {}).get(key) or ""}

    return details


def _role(side):
    def details(entry, viewer) -> dict:
        values = (entry.after if side == "after" else entry.before) or {}
        try:
            role = Role(values.get("role")).label
        except ValueError:
            role = values.get("role") or ""
        return {"user": values.get("user") or "", "role": role}

    return details


CHANGED = audit.FALLBACK
ACTIONS = {
    "contribution.submit": (_l("%(actor)s submitted %(target)s."), None),
    "contribution.withdraw": (_l("%(actor)s withdrew %(target)s."), None),
    "contribution.screen": (_l("%(actor)s screened %(target)s and took it in for review."), None),
    "contribution.accept": (_l("%(actor)s accepted %(target)s."), None),
    "contribution.decline": (_l("%(actor)s declined %(target)s."), None),
    "contribution.merge": (_l("%(actor)s merged %(target)s into %(merged_into)s."), _value("merged_into")),
    "contribution.accept_late": (_l("%(actor)s accepted %(target)s after the deadline."), None),
    "contribution.request_late": (_l("%(actor)s asked for %(target)s to be accepted late."), None),
    "contribution.edit": (_l("%(actor)s edited %(target)s."), None),
    "review.assign": (_l("%(actor)s asked %(reviewer)s to review %(target)s."), _value("reviewer")),
    "review.submit": (_l("%(actor)s reviewed %(target)s."), None),
    "brief.intro": (_l("%(actor)s edited the introduction of the brief of %(target)s."), None),
    "brief.add_section": (
        _l("%(actor)s added the section “%(title)s” to the brief of %(target)s."),
        _value("title"),
    ),
    "brief.delete_section": (
        _l("%(actor)s removed the section “%(title)s” from the brief of %(target)s."),
        _value("title", "before"),
    ),
    "brief.add_item": (_l("%(actor)s listed an item in the brief of %(target)s."), None),
    "brief.remove_item": (_l("%(actor)s took an item out of the brief of %(target)s."), None),
    "brief.publish": (_l("%(actor)s published the brief of %(target)s."), None),
    "brief.unpublish": (_l("%(actor)s took the brief of %(target)s back to draft."), None),
    "meeting.create": (_l("%(actor)s planned %(target)s."), None),
    "meeting.update": (CHANGED, None),
    "meeting.minutes": (_l("%(actor)s published the minutes of %(target)s."), None),
    "meeting.link": (_l("%(actor)s linked an item discussed at %(target)s."), None),
    "meeting.unlink": (_l("%(actor)s removed a link from %(target)s."), None),
    "phase.create": (_l("%(actor)s added %(target)s."), None),
    "phase.update": (CHANGED, None),
    "phase.delete": (_l("%(actor)s deleted %(target)s."), None),
    "consultation.create": (_l("%(actor)s created %(target)s."), None),
    "consultation.update": (CHANGED, None),
    "consultation.grant_role": (
        _l("%(actor)s gave %(user)s the role %(role)s in %(target)s."),
        _role("after"),
    ),
    "consultation.revoke_role": (
        _l("%(actor)s took the role %(role)s in %(target)s from %(user)s."),
        _role("before"),
    ),
}


def _consultation_choices(viewer) -> list[tuple[int, str]]:
    """The consultations whose entries `viewer` may narrow the audit log to: all for administrators,
    else those whose secretariat they are in."""
    query = db.select(Consultation).order_by(Consultation.title)
    if not viewer.is_admin:
        query = query.where(Consultation.id.in_(secretariat_consultation_ids(viewer)))
    return [(consultation.id, consultation.title) for consultation in db.session.execute(query).scalars()]


def _consultation_entries(consultation_id: int):
    """SQL: the entries about a consultation, its phases, meetings and contributions (and its internal
    notes, a deleted phase's among them)."""
    return db.or_(
        db.and_(AuditEntry.target_type == "consultation", AuditEntry.target_id == consultation_id),
        db.and_(AuditEntry.audience == AUDIENCE, AuditEntry.audience_id == consultation_id),
        *(
            db.and_(
                AuditEntry.target_type == target_type,
                AuditEntry.target_id.in_(db.select(model.id).where(model.consultation_id == consultation_id)),
            )
            for target_type, model in (("contribution", Contribution), ("meeting", Meeting), ("phase", Phase))
        ),
    )


def register() -> None:
    audit.register_audience(AUDIENCE, secretariat_consultation_ids)
    audit.register_scope(AUDIENCE, _l("Consultation"), _consultation_choices, _consultation_entries)
    audit.register_classifier(("contribution.", "review."), classify)
    for target_type, name in (
        ("contribution", _contribution), ("consultation", _consultation), ("meeting", _meeting), ("phase", _phase),
    ):  # fmt: skip
        audit.register_target(target_type, name)
    for action, (sentence, details) in ACTIONS.items():
        audit.register_action(action, sentence, details)
