"""The search pages: results, pagination, facets, sorting, highlighting, help, scoped boxes, CLI."""

from datetime import datetime

import pytest

from app.discussions.models import Post, Thread
from app.extensions import db
from tests.search.backends import whoosh_only
from tests.support.pages import search, select, select_one, texts


@pytest.fixture
def many_replies(app, make):
    """45 replies mentioning broadband, oldest first, in one thread."""
    author = make.user("writer")
    thread = make.thread(author=author, title="Connectivity", body="Opening words")
    return [make.reply(thread, author=author, body=f"Broadband note number {n}") for n in range(45)]


def test_results_are_paginated_twenty_a_page(client, many_replies):
    first, html = search(client, "broadband")
    assert len(first) == 20 and "45 results" in html
    assert 'rel="next"' in html and 'rel="prev"' not in html
    third, html = search(client, "broadband", page=3)
    assert len(third) == 5 and 'rel="prev"' in html and 'rel="next"' not in html
    second, _ = search(client, "broadband", page=2)
    assert not set(first) & set(second) and len(set(first + second + third)) == 45


def test_sort_newest_lists_latest_first(client, many_replies):
    keys, html = search(client, "broadband", sort="newest")
    assert keys[:3] == [("post", reply.id) for reply in reversed(many_replies[-3:])]
    assert "Newest" in texts(html, "a[aria-current=page]")
    assert "sort=newest" in select_one(html, "a[rel=next]").get("href")


def test_facets_count_and_filter(app, client, make):
    make.thread(community="c7-e-health", title="Health kiosks", body="Solar kiosks in clinics")
    thread = make.thread(community="c2", title="Rural kiosks", body="Kiosks for connectivity")
    make.reply(thread, body="Kiosks need power")
    keys, html = search(client, "kiosks")
    assert len(keys) == 3
    assert {"Thread (2)", "Post (1)"} <= set(texts(html, ".facet-type li"))
    community_counts = [text.rsplit(" ", 1)[1] for text in texts(html, ".facet-community li")]
    assert "(2)" in community_counts and "(1)" in community_counts
    link = next(a.get("href") for a in select(html, ".facet-type a") if "type:post" in a.get("href"))
    filtered = client.get(link).get_data(as_text=True)
    assert len(select(filtered, ".search-result")) == 1
    assert "All types" in filtered


def test_community_filter_includes_sub_communities(client, make):
    thread = make.thread(community="c7-e-health", title="Vaccination registries", body="Registries")
    other = make.thread(community="c2", title="Registries of spectrum", body="Registries")
    assert search(client, "registries community:c7")[0] == [("thread", thread.id)]
    assert search(client, "registries community:c7-e-health")[0] == [("thread", thread.id)]
    assert search(client, "registries community:c2")[0] == [("thread", other.id)]
    keys, html = search(client, "registries community:nowhere")
    assert keys == [] and "There is no community" in html


def test_author_type_and_date_filters(app, client, make):
    amina = make.user("amina")
    thread = make.thread(author=amina, title="Seed banks", body="Digital seed banks")
    reply = make.reply(thread, body="Seed exchange apps")
    with app.app_context():
        db.session.get(Thread, thread.id).created_at = datetime(2016, 10, 5)
        db.session.get(Post, reply.id).created_at = datetime(2017, 3, 1)
        db.session.commit()
    app.extensions["majlis_search"].indexer.rebuild()
    assert search(client, "seed author:amina")[0] == [("thread", thread.id)]
    assert search(client, "seed type:post")[0] == [("post", reply.id)]
    assert search(client, "seed after:2016-09-01 before:2017-02-20")[0] == [("thread", thread.id)]
    assert search(client, "seed after:2017-03-01")[0] == [("post", reply.id)]
    assert search(client, "author:amina")[0] == [("thread", thread.id)]
    assert "Nobody is called" in search(client, "seed author:ghost")[1]


def test_snippet_is_escaped_and_highlights_original_spelling(client, make):
    make.thread(
        title="<b>Les sociétés</b>",
        body='Les sociétés numériques <script>alert("x")</script> <img src=x onerror=alert(1)> & co',
    )
    keys, html = search(client, "societes")
    assert len(keys) == 1
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>Les" not in html
    assert "&lt;script&gt;alert" in html and "&amp; co" in html
    assert "<mark>sociétés</mark>" in html
    assert "&lt;b&gt;Les <mark>sociétés</mark>&lt;/b&gt;" in html


def test_arabic_snippet_keeps_diacritics(client, make):
    make.thread(title="مجتمع المعلومات", body="المُجْتَمَعَاتُ المَحَلِّيَّةُ تُشارك في المشاورة")
    keys, html = search(client, "المجتمعات")
    assert len(keys) == 1 and "<mark>المُجْتَمَعَاتُ</mark>" in html


def test_quoted_word_finds_and_highlights_only_that_form(client, make):
    """Light stemming finds every form of الكتابة; in quotes, only the documents that hold it."""
    exact = make.thread(title="ورشة", body="تعلم الكِتابة في المدارس")
    make.thread(title="ورشة", body="الكتاب المفتوح والكتب")  # the same light stem, another word
    assert len(search(client, "الكتابة")[0]) == 2
    keys, html = search(client, '"الكتابة"')
    assert keys == [("thread", exact.id)] and "1 result" in html
    assert "<mark>الكِتابة</mark>" in html
    make.thread(title="Community policy", body="Communities and their community centres")
    keys, html = search(client, '"communities" policy')
    assert "<mark>Communities</mark> and their community centres" in html


def test_chinese_snippet_highlights_the_word(client, make):
    make.thread(title="数字包容", body="信息社会的发展需要数字包容")
    keys, html = search(client, "信息社会")
    assert len(keys) == 1 and "<mark>信息社会</mark>" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"unbalanced quote', "quotation mark"),
        ("OR", "OR"),
        ("author:", "needs a value"),
        ("x" * 10_000, "too long"),
        ("the", "very common words"),
        ("the of", "very common words"),
        ("bad\x00\x07query", None),
        ("-excluded", "at least one word"),
        ("type:poem", "Unknown type"),
        ("before:soon", "not a date"),
    ],
)
def test_malformed_queries_never_500(client, make, query, message):
    make.thread(title="The thread of the day", body="Of the people, by the people")
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    if message:
        assert message in response.get_data(as_text=True)


def test_empty_search_shows_the_form(client):
    html = client.get("/search").get_data(as_text=True)
    assert 'id="search-q"' in html and "result" not in html.split("</form>")[1].split("</main>")[0]


def test_help_page_documents_the_language(client):
    response = client.get("/search/help")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for operator in ('"information society"', "OR", "-cookies", "tele*", "author:", "community:c7-e-health",
                     "type:thread", "before:2017-02-20", "after:2016-09-01", "in:title", "status:accepted"):  # fmt: skip
        assert operator in html


def test_header_search_box_on_every_page(client, make):
    thread = make.thread()
    for url in ("/", f"/t/{thread.id}", "/search/help"):
        html = client.get(url, follow_redirects=True).get_data(as_text=True)
        assert 'id="header-search-q"' in html and 'for="header-search-q"' in html
        assert 'href="/search/help"' in html


def test_scoped_boxes_on_community_and_thread_pages(client, make):
    thread = make.thread(community="c7-e-health", title="Malaria maps", body="Malaria mapping")
    reply = make.reply(thread, body="Malaria drones")
    elsewhere = make.thread(community="c2", title="Malaria elsewhere", body="Malaria again")
    community_page = client.get("/c/c7-e-health").get_data(as_text=True)
    assert select(community_page, "input[name=within][value='community:c7-e-health']")
    assert 'for="community-search-q"' in community_page
    thread_page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert select(thread_page, f"input[name=within][value='thread:{thread.id}']")
    keys, html = search(client, "malaria", within="community:c7-e-health")
    assert sorted(keys) == [("post", reply.id), ("thread", thread.id)]
    assert "community:c7-e-health malaria" in html
    assert sorted(search(client, "malaria", within=f"thread:{thread.id}")[0]) == sorted(keys)
    assert ("thread", elsewhere.id) in search(client, "malaria", within="nonsense:<x>")[0]


def test_search_is_rate_limited(tmp_path):
    from app import create_app
    from config import TestConfig

    config = TestConfig(tmp_path)
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'limited.db'}"
    config.RATELIMIT_ENABLED = True
    config.RATELIMIT_SEARCH = "2/minute"
    app = create_app(config)
    with app.app_context():
        db.create_all()
    client = app.test_client()
    codes = [client.get("/search?q=x").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_cli_reindex_and_status(app, runner, make):
    thread = make.thread()
    make.reply(thread)
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Indexed 2 documents" in result.output
    status = runner.invoke(args=["search", "status"])
    assert status.exit_code == 0
    assert "thread: 1 documents" in status.output and "post: 1 documents" in status.output
    assert "Outbox backlog: 0 rows" in status.output and "Index size" in status.output


def test_reindex_swaps_in_a_new_directory(app, make):
    whoosh_only(app)
    make.thread()
    backend = app.extensions["majlis_search"].backend
    before = backend.current_path()
    app.extensions["majlis_search"].indexer.rebuild()
    after = backend.current_path()
    assert after != before and after.is_dir() and not before.exists()
