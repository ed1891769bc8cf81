"""Deadlines are checked on the server, to the minute, in the consultation's time zone."""

from datetime import datetime

import pytest

from app.consultation import services
from app.consultation.models import ContributionState
from app.core.audit import AuditEntry
from app.extensions import db
from tests.factories import AFTER, DEADLINE_UTC


@pytest.mark.parametrize(
    "deadline_local, now_utc, accepted",
    [
        # 20 Feb 2017 23:59 in Geneva is 22:59 UTC (CET, UTC+1): the whole deadline minute counts.
        (datetime(2017, 2, 20, 23, 59), datetime(2017, 2, 20, 22, 58), True),
        (datetime(2017, 2, 20, 23, 59), datetime(2017, 2, 20, 22, 59, 59), True),
        (datetime(2017, 2, 20, 23, 59), datetime(2017, 2, 20, 23, 0), False),
        # In summer time (CEST, UTC+2) the same wall-clock deadline is an hour earlier in UTC.
        (datetime(2017, 3, 31, 23, 59), datetime(2017, 3, 31, 21, 58), True),
        (datetime(2017, 3, 31, 23, 59), datetime(2017, 3, 31, 21, 59, 30), True),
        (datetime(2017, 3, 31, 23, 59), datetime(2017, 3, 31, 22, 0), False),
        # The night the clocks change (26 Mar 2017, 02:00 -> 03:00): 12:00 local is 10:00 UTC.
        (datetime(2017, 3, 26, 12, 0), datetime(2017, 3, 26, 10, 0, 59), True),
        (datetime(2017, 3, 26, 12, 0), datetime(2017, 3, 26, 10, 1), False),
    ],
)
def test_submission_at_the_minute_boundary(build, deadline_local, now_utc, accepted):
    consultation = build.consultation(deadline_local=deadline_local)
    contribution = build.contribution(consultation)
    assert consultation.accepts_submissions(now_utc) is accepted
    if accepted:
        services.submit(contribution, contribution.author, now=now_utc)
        assert contribution.state == ContributionState.SUBMITTED
    else:
        with pytest.raises(services.ConsultationError, match="deadline"):
            services.submit(contribution, contribution.author, now=now_utc)
        assert contribution.state == ContributionState.DRAFT
        assert contribution.reference is None


def test_submitted_contributions_are_editable_until_the_deadline_minute_ends(build):
    consultation = build.consultation()
    contribution = build.contribution(consultation, state="submitted")
    author = contribution.author
    assert contribution.can_edit(author, DEADLINE_UTC.replace(second=59))
    assert not contribution.can_edit(author, datetime(2017, 2, 20, 23, 0))
    with pytest.raises(services.ConsultationError, match="deadline"):
        services.edit_contribution(
            contribution, author, now=datetime(2017, 2, 20, 23, 0), **_same(contribution)
        )


def test_drafts_are_editable_any_time(build):
    consultation = build.consultation()
    contribution = build.contribution(consultation)
    services.edit_contribution(
        contribution, contribution.author, now=AFTER, **{**_same(contribution), "title": "Later title"}
    )
    assert contribution.title == "Later title"


def _same(contribution):
    return {
        "title": contribution.title, "summary": contribution.summary, "body": contribution.body_source,
        "action_line_ids": contribution.community_ids, "region": contribution.submitter_region,
        "details": contribution.details,
    }  # fmt: skip


def test_submission_not_open_yet(build):
    consultation = build.consultation()
    contribution = build.contribution(consultation)
    with pytest.raises(services.ConsultationError, match="not open"):
        services.submit(contribution, contribution.author, now=datetime(2016, 8, 31, 12, 0))


def test_late_request_and_admin_acceptance_are_logged(build):
    consultation = build.consultation()
    contribution = build.contribution(consultation, kind="workshop")
    author = contribution.author
    assert not contribution.can_view(consultation.test_admin)  # drafts are the author's alone
    services.request_late_acceptance(contribution, author, now=AFTER, note="Our network was down.")
    assert contribution.can_view(consultation.test_admin)
    secretariat = build.secretariat(consultation)
    with pytest.raises(services.ConsultationError):
        services.accept_late(contribution, secretariat, "Fine.", now=AFTER)  # administrators only
    with pytest.raises(services.ConsultationError):
        services.accept_late(contribution, consultation.test_admin, "", now=AFTER)  # a reason is required
    services.accept_late(contribution, consultation.test_admin, "Network outage confirmed.", now=AFTER)
    assert contribution.state == "submitted" and contribution.is_late
    assert contribution.reference == "WSIS17-WS-0001"
    entry = db.session.execute(
        db.select(AuditEntry).filter_by(action="contribution.accept_late")
    ).scalar_one()
    assert entry.actor_id == consultation.test_admin.id and entry.reason == "Network outage confirmed."
    assert entry.before == {"state": "draft"} and entry.after["late"] is True
    # The stakeholder data is the author's, not the administrator's.
    assert contribution.submitter_organisation == author.organisation


def test_snapshot_is_taken_at_submission(build):
    consultation = build.consultation()
    author = build.user(organisation="Old Org", stakeholder_type="academia", country="Kenya")
    contribution = build.contribution(consultation, author=author, state="submitted")
    author.organisation, author.stakeholder_type, author.country = "New Org", "government", "France"
    db.session.flush()
    assert (contribution.submitter_organisation, contribution.stakeholder_type, contribution.submitter_country) == (
        "Old Org", "academia", "Kenya",
    )  # fmt: skip


def test_references_count_per_type(build):
    consultation = build.consultation()
    refs = [
        build.contribution(consultation, kind=kind, state="submitted").reference
        for kind in ("workshop", "workshop", "thematic")
    ]
    assert refs == ["WSIS17-WS-0001", "WSIS17-WS-0002", "WSIS17-TA-0001"]
