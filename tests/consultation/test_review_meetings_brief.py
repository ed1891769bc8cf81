"""Review, meetings and the final brief."""

from datetime import datetime, timedelta

import pytest

from app.consultation import services
from app.consultation.models import Meeting
from app.core.audit import AuditEntry
from app.extensions import db
from tests.factories import BEFORE, setup_data
from tests.support.clients import client_for

# Review ------------------------------------------------------------------------------------------


def test_reviewers_need_the_role_and_score_every_criterion(build):
    consultation = build.consultation()
    admin = consultation.test_admin
    contribution = build.contribution(consultation, kind="workshop", state="under_review")
    stranger = build.user()
    with pytest.raises(services.ConsultationError):
        services.assign_reviewer(contribution, admin, stranger)
    reviewer = build.reviewer(consultation)
    assignment = services.assign_reviewer(contribution, admin, reviewer)
    with pytest.raises(services.ConsultationError):
        services.assign_reviewer(contribution, admin, reviewer)  # only once
    with pytest.raises(services.InvalidInput) as missing:
        services.submit_review(assignment, reviewer, {"relevance": 6, "diversity": 3}, "", "accept")
    assert set(missing.value.errors) == {"score_relevance", "score_interactivity"}
    with pytest.raises(services.InvalidInput):
        services.submit_review(
            assignment, reviewer, {"relevance": 4, "diversity": 3, "interactivity": 5}, "", "maybe"
        )
    services.submit_review(
        assignment, reviewer, {"relevance": 4, "diversity": 3, "interactivity": 5}, "Strong panel.", "accept"
    )
    assert (
        assignment.scores == {"relevance": 4, "diversity": 3, "interactivity": 5}
        and assignment.average == 4.0
    )
    assert (
        db.session.execute(db.select(AuditEntry).filter_by(action="review.submit")).scalar_one().actor_id
        == reviewer.id
    )
    services.accept(contribution, admin, "Welcome.")
    with pytest.raises(services.ConsultationError):
        services.submit_review(
            assignment, reviewer, {"relevance": 1, "diversity": 1, "interactivity": 1}, "", "decline"
        )


def test_review_through_the_web(app):
    with setup_data(app) as build:
        consultation = build.consultation(slug="wsis17")
        secretariat = build.secretariat(consultation)
        reviewer = build.reviewer(consultation)
        other_reviewer = build.reviewer(consultation)
        contribution = build.contribution(
            consultation, kind="thematic", state="submitted", title="Broadband for all"
        )
    base = f"/consultations/wsis17/contributions/{contribution.id}"
    sec = client_for(app, secretariat)
    assert sec.post(f"{base}/screen").status_code == 302
    assert sec.post(f"{base}/assign", data={"reviewer": str(reviewer.id)}).status_code == 302
    assert sec.post(f"{base}/assign", data={"reviewer": "abc"}).status_code == 400
    queue = client_for(app, reviewer).get("/consultations/wsis17/review").get_data(as_text=True)
    assert "Broadband for all" in queue
    assert "Broadband for all" not in client_for(app, other_reviewer).get(
        "/consultations/wsis17/review"
    ).get_data(as_text=True)
    rev = client_for(app, reviewer)
    bad = rev.post(
        f"{base}/review",
        data={"score_relevance": "4", "comment": "Keep this text", "recommendation": "accept"},
    )
    assert bad.status_code == 400 and "Keep this text" in bad.get_data(as_text=True)
    good = rev.post(
        f"{base}/review",
        data={"score_relevance": "4", "score_clarity": "5", "comment": "Clear.", "recommendation": "accept"},
    )
    assert good.status_code == 302
    assert client_for(app, other_reviewer).post(f"{base}/review", data={}).status_code == 403  # not assigned
    assert "Clear." not in client_for(app).get(base).get_data(as_text=True)  # private comment
    assert "Clear." in sec.get(base).get_data(as_text=True)
    missing = sec.post(f"{base}/decide", data={"decision": "accept", "response": ""})
    assert missing.status_code == 400
    merge_bad = sec.post(
        f"{base}/decide", data={"decision": "merge", "merge_into": "WSIS17-TA-9999", "response": "Same"}
    )
    assert merge_bad.status_code == 400 and "merge into" in merge_bad.get_data(as_text=True).lower()
    assert (
        sec.post(
            f"{base}/decide", data={"decision": "accept", "response": "Taken into session 2."}
        ).status_code
        == 302
    )
    assert "Taken into session 2." in client_for(app).get(base).get_data(
        as_text=True
    )  # public type: public response


# Meetings ----------------------------------------------------------------------------------------


def _meeting(build, consultation, starts, **overrides):
    values = dict(
        title="Second physical meeting", format="hybrid", place="ITU Headquarters, Geneva", starts_at=starts,
        ends_at=starts + timedelta(hours=2), remote_url="https://meet.example.org/x", capacity=1, agenda="1. Hello",
    )  # fmt: skip
    values.update(overrides)
    return services.create_meeting(consultation, consultation.test_admin, **values)


def test_remote_link_only_for_signed_in_users_shortly_before_and_during(build):
    from flask_login import AnonymousUserMixin

    consultation = build.consultation()
    starts = datetime(2017, 2, 14, 9, 0)
    meeting = _meeting(build, consultation, starts)
    user = build.user()
    assert not meeting.can_see_remote_link(AnonymousUserMixin(), starts)
    assert not meeting.can_see_remote_link(user, starts - timedelta(minutes=31))
    assert meeting.can_see_remote_link(user, starts - timedelta(minutes=30))
    assert meeting.can_see_remote_link(user, starts + timedelta(hours=1, minutes=59))
    assert not meeting.can_see_remote_link(user, starts + timedelta(hours=2))
    physical = _meeting(build, consultation, starts, format="physical")
    assert not physical.can_see_remote_link(user, starts)


def test_registration_capacity_applies_in_person(build):
    consultation = build.consultation()
    starts = datetime(2017, 2, 14, 9, 0)
    meeting = _meeting(build, consultation, starts)
    first, second = build.user(), build.user()
    services.register(meeting, first, "in_person", now=BEFORE)
    with pytest.raises(services.ConsultationError, match="full"):
        services.register(meeting, second, "in_person", now=BEFORE)
    services.register(meeting, second, "remote", now=BEFORE)
    with pytest.raises(services.ConsultationError):
        services.register(meeting, second, "remote", now=BEFORE)  # once
    with pytest.raises(services.ConsultationError):
        services.register(meeting, build.user(), "remote", now=starts + timedelta(hours=3))  # over
    with pytest.raises(services.InvalidInput):
        services.create_meeting(consultation, consultation.test_admin, title="x", format="hybrid", place="",
                                starts_at=starts, ends_at=starts - timedelta(hours=1))  # fmt: skip


def test_meeting_pages_minutes_and_links(app):
    with setup_data(app) as build:
        consultation = build.consultation(slug="wsis17")
        starts = datetime.now().replace(microsecond=0) + timedelta(days=2)
        meeting = _meeting(build, consultation, starts, capacity=50)
        attendee = build.user("attendee")
        contribution = build.contribution(consultation, state="submitted", title="Linked contribution")
    url = f"/consultations/wsis17/meetings/{meeting.id}"
    anonymous = client_for(app).get(url).get_data(as_text=True)
    assert "Sign in to see the link" in anonymous and "meet.example.org" not in anonymous
    client = client_for(app, attendee)
    assert client.post(f"{url}/register", data={"mode": "bogus"}).status_code == 400
    assert client.post(f"{url}/register", data={"mode": "in_person"}).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "You are registered" in page and "meet.example.org" not in page  # too early for the link
    admin = client_for(app, consultation.test_admin)
    assert admin.post(f"{url}/links", data={"reference": contribution.reference}).status_code == 302
    assert admin.post(f"{url}/links", data={"reference": "NOPE-1"}).status_code == 400
    assert "Linked contribution" in client_for(app).get(url).get_data(as_text=True)
    # Minutes only once the meeting has started.
    assert (
        admin.post(f"{url}/minutes", data={"minutes": "We met.", "attended": [str(attendee.id)]}).status_code
        == 400
    )
    with app.app_context():
        row = db.session.get(Meeting, meeting.id)
        row.starts_at, row.ends_at = row.starts_at - timedelta(days=5), row.ends_at - timedelta(days=5)
        db.session.commit()
    response = admin.post(
        f"{url}/minutes",
        data={"minutes": "We **met**.", "attended": [str(attendee.id)], "other_attendees": "4"},
    )
    assert response.status_code == 302
    page = client_for(app).get(url).get_data(as_text=True)
    assert "<strong>met</strong>" in page and "5 participants attended" in page


def test_meeting_form_keeps_typed_input(app):
    with setup_data(app) as build:
        consultation = build.consultation(slug="wsis17")
    admin = client_for(app, consultation.test_admin)
    response = admin.post("/consultations/wsis17/meetings/new", data={
        "title": "Typed meeting title", "format": "physical", "place": "", "starts_at": "2017-02-14T10:00",
        "ends_at": "2017-02-14T09:00", "phase_id": "",
    })  # fmt: skip
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'value="Typed meeting title"' in page and "after the start" in page
    response = admin.post(
        "/consultations/wsis17/meetings/new",
        data={"title": "T", "format": "online", "starts_at": "tomorrow", "ends_at": ""},
    )
    assert response.status_code == 400
    ok = admin.post("/consultations/wsis17/meetings/new", data={
        "title": "Online check-in", "format": "online", "starts_at": "2017-02-14T10:00", "ends_at": "2017-02-14T11:00",
        "phase_id": "", "remote_url": "https://meet.example.org/y",
    })  # fmt: skip
    assert ok.status_code == 302
    with app.app_context():
        meeting = db.session.execute(db.select(Meeting).filter_by(title="Online check-in")).scalar_one()
        assert meeting.starts_at == datetime(2017, 2, 14, 9, 0)  # 10:00 in Geneva (CET) is 09:00 UTC


# The brief ---------------------------------------------------------------------------------------


def test_brief_drafting_and_publication(app):
    with setup_data(app) as build:
        consultation = build.consultation(slug="wsis17")
        secretariat = build.secretariat(consultation)
        contribution = build.contribution(consultation, state="accepted", title="Broadband backbone")
    sec = client_for(app, secretariat)
    assert client_for(app).get("/consultations/wsis17/brief").status_code == 404
    assert (
        sec.post(
            "/consultations/wsis17/brief/sections",
            data={"kind": "action_line", "title": "C2", "community_id": ""},
        ).status_code
        == 400
    )
    from tests.factories import community_id

    with app.app_context():
        c2 = community_id("c2")
    assert (
        sec.post(
            "/consultations/wsis17/brief/sections",
            data={"kind": "action_line", "title": "C2 infrastructure", "community_id": str(c2)},
        ).status_code
        == 302
    )
    with app.app_context():
        from app.consultation.models import BriefSection

        section_id = db.session.execute(db.select(BriefSection.id)).scalar_one()
    bad = sec.post(
        f"/consultations/wsis17/brief/sections/{section_id}/items",
        data={"reference": contribution.reference, "disposition": "incorporated", "rationale": ""},
    )
    assert bad.status_code == 400 and contribution.reference in bad.get_data(as_text=True)
    assert (
        sec.post(
            f"/consultations/wsis17/brief/sections/{section_id}/items",
            data={
                "reference": contribution.reference,
                "disposition": "incorporated",
                "rationale": "In the C2 session.",
            },
        ).status_code
        == 302
    )
    assert sec.post("/consultations/wsis17/brief/publish").status_code == 302
    page = client_for(app).get("/consultations/wsis17/brief").get_data(as_text=True)
    assert "Broadband backbone" in page and "Incorporated" in page and "In the C2 session." in page
    with app.app_context():
        assert db.session.execute(db.select(AuditEntry).filter_by(action="brief.publish")).scalar_one()
