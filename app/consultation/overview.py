"""What the consultation page says about now: the next deadline and what one can do at this moment."""

from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l

from app.consultation.models import Meeting
from app.core.time import utcnow


@dataclass
class Action:
    text: str
    url: str | None = None
    when: object = None  # naive UTC shown after the text


def _submission_action(consultation, now):
    window = consultation.submission_window(now)
    if window == "open":
        return Action(
            _l("Submit formal contributions: thematic aspects, format innovations, workshop requests, "
               "nominations of facilitators and inputs from regional or national events. Deadline:"),
            url_for("consultation.choose_type", slug=consultation.slug),
            consultation.submission_deadline,
        )  # fmt: skip
    if window == "not_open":
        return Action(_l("Formal contributions open on"), None, consultation.submissions_open_at)
    return Action(_l("The deadline for formal contributions has passed; the secretariat is reviewing them."))


def _meeting_actions(consultation, user, now):
    actions = []
    for meeting in consultation.meetings:
        if meeting.status(now) == "past":
            continue
        url = url_for("consultation.show_meeting", slug=consultation.slug, meeting_id=meeting.id)
        if meeting.registration_of(user) is not None:
            actions.append(
                Action(_l("You are registered for %(title)s on", title=meeting.title), url, meeting.starts_at)
            )
        else:
            actions.append(
                Action(_l("Register for %(title)s on", title=meeting.title), url, meeting.starts_at)
            )
    return actions


def actions_now(consultation, user, now=None) -> list[Action]:
    """The things a person can do in this consultation at `now`."""
    now = now or utcnow()
    if consultation.is_concluded(now):
        actions = [Action(_l("The consultation has concluded."))]
    else:
        actions = [_submission_action(consultation, now)]
        actions += _meeting_actions(consultation, user, now)
        actions.append(
            Action(_l("Discuss the themes in the knowledge communities."), url_for("communities.index"))
        )
    if consultation.brief_published_at:
        actions.append(
            Action(_l("Read the final brief."), url_for("consultation.brief", slug=consultation.slug))
        )
    if consultation.can_review(user):
        actions.append(
            Action(_l("Open the review queue."), url_for("consultation.review_queue", slug=consultation.slug))
        )
    return actions


def meetings_of(consultation) -> list[Meeting]:
    return sorted(consultation.meetings, key=lambda m: m.starts_at)
