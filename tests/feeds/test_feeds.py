"""Atom feeds: valid (feedparser reads them without complaint), pointed to from the pages' heads,
asked again cheaply (304), and holding only what a visitor may read, whoever asks; the bookmarks
feed is its owner's, at a secret address they can replace."""

import re

import feedparser

from app.extensions import db
from tests.support.clients import client_for


def _feed(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, url
    assert response.mimetype == "application/atom+xml"
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, (url, parsed.get("bozo_exception"))
    return parsed, response


def test_site_community_and_thread_feeds_are_valid_and_linked(app, make):
    thread = make.thread(title="Telemedicine & rural <clinics>")
    reply = make.reply(thread, body="A reply with **Markdown** and an ampersand & more.")
    client = app.test_client()
    site, _ = _feed(client, "/feed.atom")
    assert [entry.title for entry in site.entries][:2] == [
        "Re: Telemedicine & rural <clinics>",
        "Telemedicine & rural <clinics>",
    ]
    assert "<strong>Markdown</strong>" in site.entries[0].content[0].value
    community, _ = _feed(client, "/c/c7-e-health/feed.atom")
    assert [entry.title for entry in community.entries] == ["Telemedicine & rural <clinics>"]
    thread_feed, _ = _feed(client, f"/t/{thread.id}/feed.atom")
    assert len(thread_feed.entries) == 2 and thread_feed.entries[0].link.endswith(f"/p/{reply.id}")
    for page, feed in (
        (f"/t/{thread.id}", f"/t/{thread.id}/feed.atom"),
        ("/c/c7-e-health", "/c/c7-e-health/feed.atom"),
        ("/", "/feed.atom"),
    ):
        head = client.get(page).get_data(as_text=True).split("</head>")[0]
        assert re.search(
            rf'<link rel="alternate" type="application/atom\+xml"[^>]*href="{re.escape(feed)}"', head
        ), page


def test_an_unchanged_feed_answers_304(app, make):
    thread = make.thread()
    client = app.test_client()
    _parsed, first = _feed(client, f"/t/{thread.id}/feed.atom")
    again = client.get(f"/t/{thread.id}/feed.atom", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    since = client.get(
        f"/t/{thread.id}/feed.atom", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert since.status_code == 304
    make.reply(thread, body="News that changes the feed.")
    assert (
        client.get(f"/t/{thread.id}/feed.atom", headers={"If-None-Match": first.headers["ETag"]}).status_code
        == 200
    )


def test_feeds_hold_only_what_a_visitor_may_read(app, make):
    thread = make.thread()
    make.hidden(make.reply(thread, body="Taken down by a moderator."))
    room = make.restricted_community()
    secret = make.thread(room, title="Behind closed doors")
    insider = make.user()
    with app.app_context():
        from app.communities import services as community_services
        from app.communities.models import Community

        community_services.add_member(
            db.session.get(Community, room.id), db.session.get(type(insider), insider.id), None
        )
        db.session.commit()
    member_client = client_for(app, insider)
    assert member_client.get(f"/t/{secret.id}").status_code == 200  # the member reads it on the site
    assert member_client.get(f"/t/{secret.id}/feed.atom").status_code == 404  # but a feed is a visitor's
    assert member_client.get(f"/c/{room.slug}/feed.atom").status_code == 404
    site, _ = _feed(member_client, "/feed.atom")
    assert all("Behind closed doors" not in entry.title for entry in site.entries)
    thread_feed, _ = _feed(member_client, f"/t/{thread.id}/feed.atom")
    assert all("Taken down" not in entry.content[0].value for entry in thread_feed.entries)


def test_a_search_feed_lists_the_newest_results(app, make):
    make.thread(title="Zanzibarite fibre for schools")
    make.thread(title="Zanzibarite fibre for clinics")
    parsed, _ = _feed(app.test_client(), "/search/feed.atom?q=zanzibarite")
    assert [entry.title for entry in parsed.entries if "fibre" in entry.title][:2] == [
        "Zanzibarite fibre for clinics",
        "Zanzibarite fibre for schools",
    ]
    head = app.test_client().get("/search?q=zanzibarite").get_data(as_text=True).split("</head>")[0]
    assert 'href="/search/feed.atom?q=zanzibarite"' in head


def test_the_bookmarks_feed_lives_at_a_secret_address_its_owner_replaces(app, make):
    thread = make.thread(title="A thread worth keeping")
    member = make.user()
    client = client_for(app, member)
    client.post(f"/t/{thread.id}/bookmark", data={})
    assert client.post("/bookmarks/feed").status_code == 302
    page = client.get("/bookmarks").get_data(as_text=True)
    address = re.search(r'id="bookmarks-feed-url"[^>]*value="([^"]+)"', page).group(1)
    path = address.split("localhost", 1)[1]
    parsed, response = _feed(app.test_client(), path)
    assert [entry.title for entry in parsed.entries] == ["A thread worth keeping"]
    assert "private" in response.headers["Cache-Control"]
    client.post("/bookmarks/feed")
    assert app.test_client().get(path).status_code == 404
    assert app.test_client().get("/bookmarks/feed/not-a-key.atom").status_code == 404


def test_consultation_feeds(app, make):
    consultation = make.consultation()
    make.contribution(consultation, state="submitted", title="Broadband for clinics")
    make.contribution(consultation, title="A draft nobody sees")
    client = app.test_client()
    parsed, _ = _feed(client, f"/consultations/{consultation.slug}/contributions.atom")
    assert [entry.title.split(" · ", 1)[1] for entry in parsed.entries] == ["Broadband for clinics"]
    assert client.get(f"/consultations/{consultation.slug}/brief.atom").status_code == 404
    head = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True).split("</head>")[0]
    assert f"/consultations/{consultation.slug}/contributions.atom" in head
