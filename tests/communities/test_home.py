"""The home page leads with what is happening: a running consultation with its phase, countdown and a
Contribute link; for a member, the threads they follow with something new and each community's new
threads (muted ones left out); on an empty site, an administrator's next steps."""

import re

from tests.support.clients import client_for


def _home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_running_consultation_leads_with_its_phase_countdown_and_contribute(app, make):
    from datetime import datetime

    consultation = make.consultation(slug="wsis27", deadline_local=datetime(2099, 2, 20, 23, 59))
    page = _home(client_for(app))
    lead = re.search(r'<section class="home-section running-consultations".*?</section>', page, re.S).group(0)
    assert "WSIS Forum 2017" in lead and "Opening" in lead
    assert 'class="countdown" data-deadline="2099-02-20T22:59' in lead
    assert f'href="/consultations/{consultation.slug}/contribute"' in lead
    assert page.index("running-consultations") < page.index("<h1>Knowledge communities")


def test_an_ended_submission_window_offers_no_contribute_link(app, make):
    make.consultation(slug="wsis17")  # its deadline passed in 2017; the deadline phase still runs
    lead = _home(client_for(app))
    assert "/contribute" not in lead


def test_a_member_sees_followed_threads_with_news_and_counts_per_community(app, make):
    member = make.user()
    followed = make.thread(title="A thread the member opened")
    make.thread("c2", title="In a community the member mutes")
    client = client_for(app, member)
    client.post(f"/t/{followed.id}/read", data={"ids": str(make.opening_post(followed).id)})
    make.reply(followed, body="News in the thread.")
    client.post("/c/c2/level/muted")
    page = _home(client)
    section = re.search(r'<section class="home-section for-you".*?</section>', page, re.S).group(0)
    assert "A thread the member opened" in section and "1 new" in section
    assert re.search(r'id="home-new-link">See all that is new <span class="count-badge">1</span>', section)
    health = re.search(r'<li class="community" id="community-c7-e-health".*?</h3>', page, re.S).group(0)
    assert "1 new" in health
    access = re.search(r'<li class="community" id="community-c2".*?</h2>', page, re.S).group(0)
    assert "new-count" not in access  # muted: its new thread is not counted
    assert "for-you" not in _home(client_for(app))  # visitors


def test_an_empty_site_tells_an_administrator_what_to_do(app, make):
    page = _home(client_for(app, make.admin()))
    assert "Getting started" in page and "No consultation is running" in page
    assert 'href="/consultations/new"' in page
    assert "Getting started" not in _home(client_for(app, make.user()))
