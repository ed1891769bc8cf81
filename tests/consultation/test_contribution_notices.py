"""A contributor is told, in the notification centre and live, when the secretariat screens, accepts,
declines, merges or late-accepts their contribution, with the official response; the link is the
contribution's page, which still checks who may see it."""

import re
from datetime import datetime, timedelta

import pytest

from app.core.time import utcnow
from app.extensions import db
from app.notifications.models import Notification
from app.realtime.models import RoomEvent
from tests.factories import setup_data
from tests.support.clients import client_for


@pytest.fixture
def open_consultation(app):
    with setup_data(app) as build:
        soon = utcnow() + timedelta(days=10)
        consultation = build.consultation(slug="live", deadline_local=soon.replace(second=0, microsecond=0),
                                          opens_local=datetime(2020, 1, 1))  # fmt: skip
        consultation.staff = build.secretariat(consultation)
    return consultation


def _notices(app, user):
    with app.app_context():
        return list(
            db.session.execute(
                db.select(Notification).filter_by(user_id=user.id).order_by(Notification.id)
            ).scalars()
        )


def _centre_text(app, user) -> str:
    page = client_for(app, user).get("/notifications").get_data(as_text=True)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))


def _live_kinds(app, user):
    with app.app_context():
        rows = db.session.execute(db.select(RoomEvent).filter_by(room=f"user:{user.id}")).scalars()
        return [row.envelope()["data"].get("kind") for row in rows if row.event == "notification"]


def _link(app, user, notice):
    response = client_for(app, user).post(f"/notifications/{notice.id}/read")
    assert response.status_code == 302
    return response.headers["Location"]


def _submitted_workshop(app, consultation):
    with setup_data(app) as build:
        author = build.user()
        contribution = build.contribution(
            consultation, author=author, kind="workshop", state="submitted", now=utcnow()
        )
    return author, contribution


def test_screening_tells_the_author_and_the_link_checks_permission(app, open_consultation):
    author, contribution = _submitted_workshop(app, open_consultation)
    staff = client_for(app, open_consultation.staff)
    assert staff.post(f"/consultations/live/contributions/{contribution.id}/screen").status_code == 302
    [notice] = _notices(app, author)
    assert notice.kind == "contribution_screened"
    text = _centre_text(app, author)
    assert f"Your contribution {contribution.reference} “{contribution.title}” is now under review" in text
    assert _live_kinds(app, author) == ["contribution_screened"]
    link = _link(app, author, notice)
    assert link == f"/consultations/live/contributions/{contribution.id}"
    assert client_for(app, author).get(link).status_code == 200
    with setup_data(app) as build:
        stranger = build.user("stranger")
    assert (
        client_for(app, stranger).get(link).status_code == 404
    )  # a workshop request is private until decided


@pytest.mark.parametrize(
    "decision, kind, sentence",
    [
        ("accept", "contribution_accepted", "was accepted. Official response: See you in room 3."),
        ("decline", "contribution_declined", "was declined. Official response: See you in room 3."),
    ],
)
def test_decisions_tell_the_author_with_the_official_response(
    app, open_consultation, decision, kind, sentence
):
    author, contribution = _submitted_workshop(app, open_consultation)
    staff = client_for(app, open_consultation.staff)
    base = f"/consultations/live/contributions/{contribution.id}"
    staff.post(f"{base}/screen")
    response = staff.post(f"{base}/decide", data={"decision": decision, "response": "See you in room 3."})
    assert response.status_code == 302
    notices = _notices(app, author)
    assert [n.kind for n in notices] == ["contribution_screened", kind]
    assert f"Your contribution {contribution.reference} “{contribution.title}” {sentence}" in _centre_text(
        app, author
    )
    assert _live_kinds(app, author)[-1] == kind
    link = _link(app, author, notices[-1])
    assert link == base and client_for(app, author).get(link).status_code == 200


def test_merge_tells_the_author_where_it_went(app, open_consultation):
    author, contribution = _submitted_workshop(app, open_consultation)
    _other_author, target = _submitted_workshop(app, open_consultation)
    staff = client_for(app, open_consultation.staff)
    base = f"/consultations/live/contributions/{contribution.id}"
    staff.post(f"{base}/screen")
    response = staff.post(
        f"{base}/decide",
        data={"decision": "merge", "merge_into": target.reference, "response": "Same speakers, one session."},
    )
    assert response.status_code == 302
    assert _notices(app, author)[-1].kind == "contribution_merged"
    assert (
        f"was merged into {target.reference}. Official response: Same speakers, one session."
        in _centre_text(app, author)
    )


def test_late_acceptance_tells_the_author_with_the_reason(app):
    with setup_data(app) as build:
        consultation = build.consultation(slug="closed", deadline_local=datetime(2017, 2, 20, 23, 59))
        author = build.user("late_author")
        draft = build.contribution(consultation, author=author)
    asked = client_for(app, author).post(f"/consultations/closed/contributions/{draft.id}/request-late")
    assert asked.status_code == 302
    response = client_for(app, consultation.test_admin).post(
        f"/consultations/closed/contributions/{draft.id}/accept-late", data={"reason": "Outage confirmed"}
    )
    assert response.status_code == 302
    [notice] = _notices(app, author)
    assert notice.kind == "contribution_accepted_late"
    text = _centre_text(app, author)
    assert f"“{draft.title}” was accepted after the deadline as WSIS17-TA-0001: Outage confirmed" in text
    assert client_for(app, author).get(_link(app, author, notice)).status_code == 200


def test_the_authors_own_steps_notify_nobody(app, open_consultation):
    author, contribution = _submitted_workshop(app, open_consultation)
    client_for(app, author).post(f"/consultations/live/contributions/{contribution.id}/withdraw")
    assert _notices(app, author) == []
