"""A results page never lists what the reader may not see."""

from datetime import datetime

import pytest

from app.core import signals
from app.extensions import db
from app.search import registry
from app.search.registry import SearchDocument
from tests.support.pages import search, texts


def test_hidden_post_is_not_listed_and_comes_back_when_restored(app, client, make):
    thread = make.thread()
    reply = make.reply(thread, body="A remark about capybaras")
    make.hidden(reply)
    assert search(client, "capybaras")[0] == []
    make.restored(reply)
    assert search(client, "capybaras")[0] == [("post", reply.id)]


def test_hidden_post_is_filtered_even_before_the_index_catches_up(app, client, make):
    thread = make.thread()
    reply = make.reply(thread, body="A remark about narwhals")
    with signals.post_removed.muted():  # nobody hears of it: the index still holds the post
        make.hidden(reply)
    keys, html = search(client, "narwhals")
    assert keys == []
    assert "A remark about" not in html and "0 results" in html


def test_moderators_do_not_get_removed_posts_in_search_either(app, client, make, auth):
    thread = make.thread()
    reply = make.reply(thread, body="Hidden iguana content")
    make.hidden(reply)
    auth.login(make.moderator("c7-e-health"))
    assert search(client, "iguana")[0] == []


def test_posts_of_a_hidden_thread_are_not_listed(app, client, make):
    thread = make.thread(title="Thread about lemurs", body="Lemurs everywhere")
    reply = make.reply(thread, body="More lemurs")
    make.hidden(thread)
    assert search(client, "lemurs")[0] == []
    make.restored(thread)
    assert sorted(search(client, "lemurs")[0]) == [("post", reply.id), ("thread", thread.id)]


def test_restricted_community_threads_only_for_members(app, client, make, auth):
    closed = make.restricted_community("closed-room")
    thread = make.thread(community="closed-room", title="Confidential okapi plan", body="Okapi budget")
    reply = make.reply(thread, body="Okapi timeline")
    public = make.thread(title="Public okapi notes", body="Okapi in the open")

    keys, html = search(client, "okapi")
    assert keys == [("thread", public.id)]
    assert "Closed room" not in html  # not even as a facet
    assert search(client, "okapi community:closed-room")[0] == []

    member = make.user()
    make.member_of(closed, member)
    auth.login(member)
    assert sorted(search(client, "okapi")[0]) == sorted(
        [("post", reply.id), ("thread", thread.id), ("thread", public.id)]
    )
    assert make.community("closed-room").id == closed.id


class FakeContributions:
    """A contribution provider: only accepted contributions are public; authors see their own."""

    type_name = "contribution"

    def __init__(self, rows):
        self.rows = rows

    def documents(self, ids):
        return [self.rows[i] for i in ids if i in self.rows]

    def all_ids(self):
        return list(self.rows)

    def visible(self, user, ids):
        return {
            i
            for i in ids
            if i in self.rows
            and (
                self.rows[i].status == "accepted"
                or (user.is_authenticated and user.username == self.rows[i].author_username)
            )
        }


@pytest.fixture
def contributions(app, make):
    c1, c2 = make.community("c1").id, make.community("c2").id

    def doc(entity_id, status, communities, author="maria"):
        return SearchDocument(
            type="contribution",
            id=entity_id,
            title=f"Contribution {entity_id} on spectrum policy",
            text="Proposals for spectrum sharing",
            language="en",
            community_ids=communities,
            author_username=author,
            created_at=datetime(2016, 10, 1),
            url=f"/contributions/{entity_id}",
            status=status,
        )

    rows = {1: doc(1, "accepted", [c1, c2]), 2: doc(2, "submitted", [c1]), 3: doc(3, "draft", [c2], "omar")}
    previous = registry.provider("contribution")
    registry.register_provider(FakeContributions(rows))
    with app.app_context():
        for entity_id in rows:
            signals.searchable_changed.send("contribution", entity_id=entity_id, operation="upsert")
        db.session.commit()
    yield rows
    if previous is not None:
        registry.register_provider(previous)
    else:
        registry._providers.pop("contribution", None)


def test_contributions_not_yet_public_are_filtered(app, client, make, auth, contributions):
    assert search(client, "spectrum")[0] == [("contribution", 1)]
    auth.login(make.user("omar"))
    assert sorted(search(client, "spectrum")[0]) == [("contribution", 1), ("contribution", 3)]


def test_contribution_status_filter_and_several_communities(app, client, contributions):
    keys, html = search(client, "spectrum status:accepted")
    assert keys == [("contribution", 1)]
    assert search(client, "spectrum status:draft")[0] == []
    assert search(client, "spectrum community:c1 type:contribution")[0] == [("contribution", 1)]
    assert search(client, "spectrum community:c2")[0] == [("contribution", 1)]
    assert "Contribution" in html
    assert "accepted" in [status.lower() for status in texts(html, ".badge.result-status")]


def test_withdrawn_contribution_leaves_the_index(app, client, contributions):
    with app.app_context():
        signals.searchable_changed.send("contribution", entity_id=1, operation="delete")
        db.session.commit()
    assert search(client, "spectrum")[0] == []


def _facet_counts(html: str) -> list[str]:
    """The numbers shown in the facet column of a results page."""
    return [count.strip("()") for count in texts(html, ".facets .count")]


def test_facets_count_only_the_contributions_the_reader_may_see(app, make):
    """A word only in a draft or a private nomination is no facet count for those who may not see them."""
    from tests.factories import setup_data
    from tests.support.clients import client_for

    with setup_data(app) as build:
        consultation = build.consultation()
        author = build.user("draft_author")
        secretariat = build.secretariat(consultation)
        build.contribution(consultation, author, "thematic", "draft", title="Pangolin draft proposal")
        build.contribution(consultation, author, "nomination", "submitted", title="Nominating a tapir expert")
        other = build.user("other_member")

    for reader in (None, other):
        for word in ("pangolin", "tapir"):
            keys, html = search(client_for(app, reader), word)
            assert keys == [] and "0 results" in html
            assert _facet_counts(html) == [], (reader, word)

    def counts(reader, word):
        keys, html = search(client_for(app, reader), word)
        return len(keys), _facet_counts(html)

    assert counts(author, "pangolin") == (1, ["1", "1", "1"])  # Contribution; C7 e-health, C2
    assert counts(author, "tapir") == (1, ["1", "1", "1"])
    assert counts(secretariat, "tapir") == (1, ["1", "1", "1"])
    assert counts(secretariat, "pangolin") == (0, [])  # a draft is its author's alone


def test_total_counts_only_what_the_reader_may_see(app, client, make, contributions):
    """Beyond the first window of hits, hidden contributions are not counted in the total either."""
    author = make.user("writer")
    thread = make.thread(author=author, title="Spectrum auctions", body="Opening words")
    for n in range(45):
        make.reply(thread, author=author, body=f"Spectrum note number {n}")
    keys, html = search(client, "spectrum", sort="newest")
    assert "47 results" in html  # 45 replies, the thread, contribution 1: not the two private ones
    assert "Contribution (1)" in texts(html, ".facet-type li")
