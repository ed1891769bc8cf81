"""Consultations through the JSON API: phases, the contributions a reader may see (their own drafts
too), meetings without links for outsiders, the brief only once published, statistics; supports and
submitting a draft through the same services and deadlines as the pages."""

from datetime import datetime, timedelta

from app.core.time import utcnow
from tests.api.test_threads_api import _token


def test_contributions_are_the_public_ones_and_my_own_drafts(app, make):
    consultation = make.consultation()
    author, others = make.user(), make.user()
    draft = make.contribution(consultation, author=author, title="My unfinished thoughts")
    public = make.contribution(consultation, author=others, state="submitted", title="Broadband for clinics")
    hidden_draft = make.contribution(consultation, author=others, title="Someone else's draft")
    anonymous = app.test_client().get(f"/api/v1/consultations/{consultation.slug}/contributions").get_json()
    assert [c["title"] for c in anonymous["items"]] == ["Broadband for clinics"]
    assert anonymous["items"][0]["reference"].startswith("WSIS17")
    _member, headers = _token(app, make, member=author, scopes=("read",))
    mine = (
        app.test_client()
        .get(f"/api/v1/consultations/{consultation.slug}/contributions?mine=true", headers=headers)
        .get_json()
    )
    assert [c["id"] for c in mine["items"]] == [draft.id]
    client = app.test_client()
    assert client.get(f"/api/v1/contributions/{hidden_draft.id}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/contributions/{public.id}").get_json()["state"] == "submitted"


def test_phases_brief_statistics_and_meetings(app, make):
    consultation = make.consultation()
    make.contribution(consultation, state="accepted", title="Accepted input")
    make.meeting(consultation, utcnow() + timedelta(days=3), remote_url="https://meet.example.org/room-7")
    client = app.test_client()
    shown = client.get(f"/api/v1/consultations/{consultation.slug}").get_json()
    assert [phase["kind"] for phase in shown["phases"]] == ["opening", "deadline"]
    assert shown["submissions"] == "closed" and shown["deadline"].endswith("+00:00")
    assert client.get(f"/api/v1/consultations/{consultation.slug}/brief").status_code == 404
    charts = client.get(f"/api/v1/consultations/{consultation.slug}/statistics").get_json()["charts"]
    by_type = next(chart for chart in charts if chart["key"] == "type")
    assert sum(row["count"] for row in by_type["rows"]) == 1
    meeting = client.get(f"/api/v1/consultations/{consultation.slug}/meetings").get_json()["items"][0]
    assert meeting["status"] == "upcoming" and meeting["remote_url"] is None
    assert client.get("/api/v1/consultations/no-such-thing").status_code == 404


def test_support_and_submit_follow_the_deadline_and_the_scopes(app, make):
    consultation = make.consultation(
        opens_local=datetime.now() - timedelta(days=10), deadline_local=datetime.now() + timedelta(days=10)
    )
    author = make.user()
    draft = make.contribution(consultation, author=author, now=utcnow())
    _member, read_only = _token(app, make, member=author, scopes=("read",))
    _same, consultation_scope = _token(app, make, member=author, scopes=("consultation",))
    client = app.test_client()
    assert client.post(f"/api/v1/contributions/{draft.id}/submit", headers=read_only).status_code == 403
    submitted = client.post(f"/api/v1/contributions/{draft.id}/submit", headers=consultation_scope)
    assert submitted.status_code == 200 and submitted.get_json()["state"] == "submitted"
    _supporter, headers = _token(app, make)
    backed = client.put(f"/api/v1/contributions/{draft.id}/support", headers=headers)
    assert backed.status_code == 200 and backed.get_json()["supports"] == 1
    assert backed.get_json()["supported_by_me"] is True
    again = client.put(f"/api/v1/contributions/{draft.id}/support", headers=headers)
    assert again.status_code == 422 and again.mimetype == "application/problem+json"
    withdrawn = client.delete(f"/api/v1/contributions/{draft.id}/support", headers=headers).get_json()
    assert withdrawn["supports"] == 0
    assert (
        client.put(f"/api/v1/contributions/{draft.id}/support", headers=consultation_scope).status_code == 403
    )
