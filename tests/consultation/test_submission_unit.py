"""Submitting is one unit, and a contribution's discussion is opened by the system: a new member's
posting limits never stop their own submission, nor the secretariat's decision on it."""

import threading
import time
from datetime import datetime, timedelta

import pytest

from app.communities.models import Community
from app.consultation.models import Contribution, ContributionTransition
from app.consultation.services import submit
from app.core.time import utcnow
from app.discussions.models import Thread
from app.discussions.services import start_thread
from app.extensions import db
from tests.consultation.test_contribution_pages import workshop_form
from tests.factories import community_id, setup_data
from tests.support.clients import client_for
from tests.support.database import is_postgres

THEMATIC = {
    "title": "Rural broadband for clinics", "summary": "Clinics need connectivity first.",
    "body": "Typed **carefully**.", "region": "africa", "action": "submit",
}  # fmt: skip


@pytest.fixture
def newcomer(app):
    """An open consultation and a new member who already started 3 threads today; limits then switched on."""
    with setup_data(app) as build:
        soon = utcnow() + timedelta(days=10)
        consultation = build.consultation(slug="live", deadline_local=soon.replace(second=0, microsecond=0),
                                          opens_local=datetime(2020, 1, 1))  # fmt: skip
        member = build.user("newcomer")
        secretariat = build.secretariat(consultation)
        community = db.session.get(Community, community_id("c2"))
        consultation.lines = {"c2": community.id, "c7": community_id("c7-e-health")}
        for number in range(3):
            start_thread(community, member, f"My thread number {number}", f"Opening post {number}")
    app.config["NEW_USER_ACCEPTED_POSTS"] = 3  # the member has none yet: new-member limits apply
    app.config["NEW_USER_MAX_THREADS_PER_DAY"] = 3
    return consultation, member, secretariat


def _only_contribution(kind):
    return db.session.execute(db.select(Contribution).filter_by(type=kind)).scalar_one()


def test_new_member_with_three_threads_today_submits_with_reference_and_thread(app, newcomer):
    consultation, member, _secretariat = newcomer
    client = client_for(app, member)
    data = dict(THEMATIC, action_lines=[str(consultation.lines["c7"])])
    response = client.post("/consultations/live/contribute/thematic", data=data)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "not submitted" not in page and "Submitted as WSIS17-TA-0001" in page
    with app.app_context():
        contribution = _only_contribution("thematic")
        assert contribution.state == "submitted" and contribution.reference == "WSIS17-TA-0001"
        thread = db.session.get(Thread, contribution.thread_id)
        assert thread is not None and thread.author_id == member.id and thread.held_at is None
        assert thread.title.startswith("WSIS17-TA-0001")


def test_a_refused_submission_keeps_the_typed_draft_and_says_so(app):
    """Save and submit after the deadline: the typed text is saved, the draft stays a draft, the
    message says it was not submitted and why."""
    with setup_data(app) as build:
        consultation = build.consultation(slug="closed", deadline_local=datetime(2017, 2, 20, 23, 59))
        author = build.user("late_editor")
        draft = build.contribution(consultation, author=author)
        line = community_id("c2")
    client = client_for(app, author)
    data = dict(THEMATIC, title="A title typed after the deadline", action_lines=[str(line)])
    response = client.post(f"/consultations/closed/contributions/{draft.id}/edit", data=data)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your draft is saved, but it was not submitted" in page and "deadline" in page
    with app.app_context():
        kept = db.session.get(Contribution, draft.id)
        assert kept.state == "draft" and kept.title == "A title typed after the deadline"
        assert kept.reference is None and kept.thread_id is None and kept.submitted_at is None
        actions = db.session.execute(
            db.select(ContributionTransition.action).filter_by(contribution_id=draft.id)
        ).scalars()
        assert list(actions) == ["create"]


@pytest.mark.parametrize("decision", ["accept", "decline"])
def test_secretariat_decides_a_new_members_workshop_request(app, newcomer, decision):
    consultation, member, secretariat = newcomer
    client = client_for(app, member)
    response = client.post(
        "/consultations/live/contribute/workshop", data=workshop_form([consultation.lines["c2"]])
    )
    assert response.status_code == 302
    with app.app_context():
        contribution = _only_contribution("workshop")
        assert contribution.state == "submitted"
        contribution_id = contribution.id
    staff = client_for(app, secretariat)
    base = f"/consultations/live/contributions/{contribution_id}"
    assert staff.post(f"{base}/screen").status_code == 302
    response = staff.post(f"{base}/decide", data={"decision": decision, "response": "Thank you."})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        decided = db.session.get(Contribution, contribution_id)
        assert decided.state == ("accepted" if decision == "accept" else "declined")
        thread = db.session.get(Thread, decided.thread_id)
        assert thread is not None and thread.author_id == member.id and thread.held_at is None


@pytest.mark.skipif(not is_postgres(), reason="SQLite runs one write request at a time (BEGIN IMMEDIATE)")
def test_simultaneous_submissions_get_the_next_references(app):
    """Two authors press "Submit" at the same moment: both are submitted, as -0001 and -0002."""
    with setup_data(app) as build:
        consultation = build.consultation(slug="busy", deadline_local=datetime(2099, 1, 1))
        drafts = [build.contribution(consultation).id for _ in range(2)]
    first_flushed, results = threading.Event(), {}

    def press_submit(contribution_id, wait_for=None):
        with app.app_context():
            try:
                if wait_for:
                    wait_for.wait(10)
                contribution = db.session.get(Contribution, contribution_id)
                submit(contribution, contribution.author)
                if not wait_for:
                    first_flushed.set()
                    time.sleep(0.5)  # the other author presses Submit before this one is saved
                db.session.commit()
                results[contribution_id] = contribution.reference
            except Exception as error:  # noqa: BLE001  (the test reports what the author would get)
                results[contribution_id] = repr(error)

    authors = [threading.Thread(target=press_submit, args=(drafts[0],)),
               threading.Thread(target=press_submit, args=(drafts[1], first_flushed))]  # fmt: skip
    for author in authors:
        author.start()
    for author in authors:
        author.join(30)
    assert sorted(results.values()) == ["WSIS17-TA-0001", "WSIS17-TA-0002"]
