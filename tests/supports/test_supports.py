"""Supports: a member backs a public contribution or a proposal thread once, sees the count by
stakeholder group, may withdraw until supports close with the phase; an attempt after the close is
refused and kept in the audit log; lists sort by most supported; the exports and the final brief
carry the counts."""

import json
import re
from datetime import timedelta

from app.consultation import services as consultations
from app.core.audit import AuditEntry
from app.core.time import utcnow
from app.extensions import db
from app.supports.models import Support
from tests.factories import AFTER
from tests.support.clients import client_for


def _page(client, url) -> str:
    response = client.get(url, follow_redirects=True)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _box(html: str) -> str:
    match = re.search(r'<section class="supports".*?</section>', html, re.S)
    assert match, "no supports box"
    return match.group(0)


def _audit(app, action):
    with app.app_context():
        return db.session.execute(db.select(AuditEntry).filter_by(action=action)).scalars().all()


def _close_supports(app, consultation):
    """The final brief's phase begins: supports close."""
    with app.app_context():
        from app.consultation.models import Consultation

        row = db.session.get(Consultation, consultation.id)
        consultations.add_phase(
            row,
            consultation.test_admin,
            kind="brief",
            title="Final brief",
            starts_at=utcnow() - timedelta(hours=1),
        )
        db.session.commit()


def test_a_member_supports_once_sees_the_groups_and_withdraws(app, make):
    consultation = make.consultation(slug="wsis17")
    contribution = make.contribution(consultation, kind="thematic", state="submitted")
    url = f"/consultations/wsis17/contributions/{contribution.id}"
    civil, academic = make.user(), make.user(stakeholder_type="academia")
    for member in (civil, academic):
        assert client_for(app, member).post(f"/supports/contribution/{contribution.id}").status_code == 302
    client = client_for(app, civil)
    box = _box(_page(client, url))
    assert "2 supports" in box and "Withdraw my support" in box
    assert re.search(r"Civil society</th><td class=\"num\">1", box) and re.search(
        r"Academia</th><td class=\"num\">1", box
    )
    again = client.post(f"/supports/contribution/{contribution.id}", follow_redirects=True)
    assert "You already support this." in again.get_data(as_text=True)
    assert client.post(f"/supports/contribution/{contribution.id}/withdraw").status_code == 302
    assert "1 support" in _box(_page(client, url))
    assert [entry.target_id for entry in _audit(app, "support.withdraw")] == [contribution.id]


def test_supports_close_with_the_phase_and_a_late_withdrawal_is_refused_and_recorded(app, make):
    consultation = make.consultation(slug="wsis17")
    contribution = make.contribution(consultation, kind="thematic", state="submitted")
    member = make.user()
    client = client_for(app, member)
    client.post(f"/supports/contribution/{contribution.id}")
    _close_supports(app, consultation)
    refused = client.post(f"/supports/contribution/{contribution.id}/withdraw", follow_redirects=True)
    assert "Supports are closed: yours stays counted." in refused.get_data(as_text=True)
    assert len(_audit(app, "support.withdraw_after_close")) == 1
    late = client_for(app, make.user()).post(
        f"/supports/contribution/{contribution.id}", follow_redirects=True
    )
    assert "Supports are closed." in late.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Support.id))).scalar() == 1
    box = _box(_page(client, f"/consultations/wsis17/contributions/{contribution.id}"))
    assert "Supports are closed." in box and "Withdraw" not in box


def test_who_may_not_support(app, make):
    consultation = make.consultation(slug="wsis17")
    author = make.user()
    public = make.contribution(consultation, author=author, kind="thematic", state="submitted")
    private = make.contribution(consultation, kind="workshop", state="submitted")
    draft = make.contribution(consultation, kind="thematic")
    assert client_for(app, author).post(f"/supports/contribution/{public.id}").status_code == 403
    assert (
        client_for(app, make.silenced(make.user())).post(f"/supports/contribution/{public.id}").status_code
        == 403
    )
    member = client_for(app, make.user())
    assert member.post(f"/supports/contribution/{private.id}").status_code == 404
    assert member.post(f"/supports/contribution/{draft.id}").status_code == 404
    assert member.post("/supports/contribution/999999").status_code == 404
    assert member.post(f"/supports/nonsense/{public.id}").status_code == 404
    assert client_for(app).post(f"/supports/contribution/{public.id}").status_code == 302  # sign in first
    assert "Support</button>" not in _page(
        client_for(app, author), f"/consultations/wsis17/contributions/{public.id}"
    )


def test_contributions_sort_by_most_supported_and_the_exports_carry_the_counts(app, make):
    consultation = make.consultation(slug="wsis17")
    make.contribution(consultation, kind="thematic", state="submitted", title="A quiet contribution")
    popular = make.contribution(
        consultation, kind="thematic", state="submitted", title="A popular contribution"
    )
    for group in ("government", "government", "academia"):
        client_for(app, make.user(stakeholder_type=group)).post(f"/supports/contribution/{popular.id}")
    listing = _page(client_for(app), "/consultations/wsis17/contributions?sort=supported")
    assert listing.index("A popular contribution") < listing.index("A quiet contribution")
    assert "3 supports" in listing and "0 supports" in listing
    secretariat = client_for(app, make.secretariat(consultation))
    document = json.loads(_page(secretariat, "/consultations/wsis17/export.json"))
    record = next(item for item in document["contributions"] if item["id"] == popular.id)
    assert record["supports"] == 3 and record["supports_by_group"] == {"government": 2, "academia": 1}
    csv_text = _page(secretariat, "/consultations/wsis17/export.csv")
    assert "government: 2; academia: 1" in csv_text


def test_the_consultation_and_its_brief_show_supports_by_group(app, make):
    consultation = make.consultation(slug="wsis17")
    contribution = make.contribution(consultation, kind="thematic", state="accepted")
    client_for(app, make.user(stakeholder_type="private_sector")).post(
        f"/supports/contribution/{contribution.id}"
    )
    assert 'id="chart-supports"' in _page(client_for(app), "/consultations/wsis17")
    with app.app_context():
        from app.consultation.models import Consultation, Contribution

        row, item = (
            db.session.get(Consultation, consultation.id),
            db.session.get(Contribution, contribution.id),
        )
        section = consultations.add_section(row, consultation.test_admin, "workshops", "Workshops")
        consultations.add_item(
            section, consultation.test_admin, "incorporated", "Taken up.", contribution=item
        )
        consultations.publish(row, consultation.test_admin, now=AFTER)
        db.session.commit()
    brief = _page(client_for(app), "/consultations/wsis17/brief")
    assert "1 support" in brief and 'id="chart-supports"' in brief and "Private sector" in brief


def test_a_proposal_thread_takes_supports_until_it_is_locked(app, make):
    author, member = make.user(), make.user()
    client = client_for(app, author)
    response = client.post(
        "/c/c7-e-health/new",
        data={"title": "Adopt open standards for health data", "body": "A proposal.", "proposal": "y"},
    )
    thread_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    page = _page(client_for(app, member), f"/t/{thread_id}")
    assert "Proposal" in page and "0 supports" in _box(page)
    assert client_for(app, member).post(f"/supports/thread/{thread_id}").status_code == 302
    assert client.post(f"/supports/thread/{thread_id}").status_code == 403  # the author
    assert "1 support" in _box(_page(client_for(app), f"/t/{thread_id}"))
    plain = make.thread(title="Not a proposal at all")
    assert client_for(app, member).post(f"/supports/thread/{plain.id}").status_code == 403
    with app.app_context():
        from app.discussions.models import Thread

        db.session.get(Thread, thread_id).locked = True
        db.session.commit()
    refused = client_for(app, make.user()).post(f"/supports/thread/{thread_id}", follow_redirects=True)
    assert "Supports are closed." in refused.get_data(as_text=True)
