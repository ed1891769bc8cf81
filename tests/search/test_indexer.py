"""The outbox and its indexer: drained after commit, nothing for a rollback, nothing lost in a crash."""

import pytest
from sqlalchemy import text

from app.communities.models import Community
from app.discussions import services as discussion_services
from app.discussions.models import Post, Thread
from app.extensions import db
from app.search import indexer as indexer_module
from app.search.engines import postgres
from app.search.engines.whoosh import backend as whoosh
from app.search.models import SearchOutbox
from tests.search.backends import whoosh_only
from tests.support.pages import search


def outbox_rows(app) -> list[tuple[str, int, str]]:
    with app.app_context():
        rows = db.session.execute(db.select(SearchOutbox).order_by(SearchOutbox.id)).scalars()
        return [(row.entity_type, row.entity_id, row.operation) for row in rows]


def indexer(app):
    return app.extensions["majlis_search"].indexer


def test_outbox_is_drained_after_commit(app, client, make):
    thread = make.thread(title="Spectrum auctions", body="Auctions of radio spectrum for rural broadband")
    reply = make.reply(thread, body="Satellite backhaul is cheaper")
    assert outbox_rows(app) == []
    assert search(client, "spectrum")[0] == [("thread", thread.id)]
    assert search(client, "backhaul")[0] == [("post", reply.id)]


def test_nothing_is_indexed_for_a_rolled_back_transaction(app, client, make):
    author = make.user()
    with app.app_context():
        community = db.session.execute(db.select(Community).filter_by(slug="c2")).scalar_one()
        discussion_services.start_thread(
            community, db.session.merge(author), "Abandoned idea", "Quokka networks"
        )
        db.session.rollback()
    assert outbox_rows(app) == []
    make.thread(title="Another thread", body="Committed after the rollback")
    assert search(client, "quokka")[0] == []


def test_a_crash_before_indexing_loses_nothing(app, client, make, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("process died")

    backend = app.extensions["majlis_search"].backend
    make.thread(title="Warm-up", body="creates the index")
    monkeypatch.setattr(backend, "index", crash)
    thread = make.thread(title="Mesh networks", body="Community mesh networks in Kenya")
    assert outbox_rows(app) == [("thread", thread.id, "upsert")]
    monkeypatch.undo()
    indexer(app).drain()  # the next start of the indexer
    assert outbox_rows(app) == []
    assert search(client, "mesh")[0] == [("thread", thread.id)]


def test_a_crash_between_index_commit_and_outbox_delete_indexes_once(app, client, make, monkeypatch):
    make.thread(title="Warm-up", body="creates the index")
    original_delete = indexer_module.db.delete

    def crash(*args, **kwargs):
        raise RuntimeError("process died")

    monkeypatch.setattr(indexer_module.db, "delete", crash)
    thread = make.thread(title="Zero rating", body="Zero rating and net neutrality")
    assert len(outbox_rows(app)) == 1
    monkeypatch.setattr(indexer_module.db, "delete", original_delete)
    indexer(app).drain()
    assert outbox_rows(app) == []
    assert search(client, "neutrality")[0] == [("thread", thread.id)]
    status = app.extensions["majlis_search"].backend.status()
    assert status["documents"]["thread"] == 2


def test_worker_mode_leaves_rows_for_the_worker(app, client, make):
    make.thread(title="Warm-up", body="creates the index")
    indexer(app).mode = "worker"
    thread = make.thread(title="Community radio", body="Licensing community radio")
    assert outbox_rows(app) == [("thread", thread.id, "upsert")]
    assert search(client, "radio")[0] == []
    indexer(app).drain_once()
    assert search(client, "radio")[0] == [("thread", thread.id)]


def test_edits_replace_the_indexed_text(app, client, make):
    author = make.user()
    thread = make.thread(author=author, title="Open data", body="Publishing budgets as spreadsheets")
    post = make.opening_post(thread)
    with app.app_context():
        discussion_services.edit_post(
            db.session.get(Post, post.id), db.session.merge(author), "Publishing budgets as JSON"
        )
        db.session.commit()
    assert search(client, "spreadsheets")[0] == []
    assert search(client, "json")[0] == [("thread", thread.id)]


def test_deleted_post_leaves_the_index(app, client, make):
    thread = make.thread()
    reply = make.reply(thread, body="Ephemeral wombat remark")
    assert search(client, "wombat")[0] == [("post", reply.id)]
    with app.app_context():
        discussion_services.delete_post(
            db.session.get(Post, reply.id), db.session.get(Thread, thread.id).author
        )
        db.session.commit()
    assert search(client, "wombat")[0] == []
    assert search(client, "wombat type:post")[0] == []


def test_moving_a_thread_reindexes_it_and_its_posts(app, client, make):
    thread = make.thread(community="c7-e-health", title="Moved discussion", body="Pangolin tracking apps")
    reply = make.reply(thread, body="Pangolin data sharing")
    make.moved(thread, "c3")
    assert sorted(search(client, "pangolin community:c3")[0]) == [("post", reply.id), ("thread", thread.id)]
    assert search(client, "pangolin community:c7")[0] == []


def test_renaming_a_thread_updates_its_title(app, client, make):
    thread = make.thread(title="Old heading here", body="Body text")
    make.retitled(thread, "Renamed heading about ocelots")
    assert search(client, "ocelots in:title")[0] == [("thread", thread.id)]


def test_missing_index_is_rebuilt_not_a_500(app, client, make, caplog):
    import shutil

    whoosh_only(app)
    thread = make.thread(title="Resilient search", body="Survives a deleted index")
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    keys, html = search(client, "resilient")
    assert "rebuilt" in html or keys == [("thread", thread.id)]
    assert search(client, "resilient")[0] == [("thread", thread.id)]
    assert any("rebuil" in record.getMessage() for record in caplog.records)


def test_corrupt_index_is_rebuilt_not_a_500(app, client, make, caplog):
    whoosh_only(app)
    thread = make.thread(title="Corruption test", body="Armadillo index files")
    backend = app.extensions["majlis_search"].backend
    for path in backend.current_path().iterdir():
        path.write_bytes(b"garbage")
    backend.close()
    keys, html = search(client, "armadillo")
    assert "rebuilt" in html or keys == [("thread", thread.id)]
    assert search(client, "armadillo")[0] == [("thread", thread.id)]
    assert any("rebuil" in record.getMessage() for record in caplog.records)


def write_older_schema_version(app) -> None:
    """Make the current index look as if an earlier release had built it."""
    backend = app.extensions["majlis_search"].backend
    if app.config["SEARCH_BACKEND"] == "postgres":
        with app.app_context():
            db.session.execute(text(f"COMMENT ON TABLE {postgres.TABLE} IS 'majlis-search 1.0'"))
            db.session.commit()
    else:
        (backend.current_path() / whoosh.VERSION_FILE).write_text("4.0")
        backend.close()


def test_an_index_of_another_schema_version_is_rebuilt_at_start(app, client, make):
    thread = make.thread(title="Versioned index", body="Built by an earlier release about okapis")
    write_older_schema_version(app)
    backend = app.extensions["majlis_search"].backend
    assert not backend.is_healthy()
    indexer(app).ensure_index()  # what the indexer does when it starts
    assert backend.is_healthy()
    assert search(client, "okapis")[0] == [("thread", thread.id)]


@pytest.mark.parametrize("operation", ["upsert", "delete"])
def test_searchable_changed_writes_an_outbox_row(app, operation):
    from app.core import signals

    indexer(app).mode = "worker"
    with app.app_context():
        signals.searchable_changed.send("contribution", entity_id=7, operation=operation)
        db.session.commit()
    assert outbox_rows(app) == [("contribution", 7, operation)]


def test_searching_an_empty_index_twice_then_after_a_post_works(app, client, make):
    """A new site: the first searches hit an index with no documents, later ones must see new posts."""
    from app.search.services import search_state

    with app.app_context():
        backend = search_state().backend
        if hasattr(backend, "current_path") and backend.current_path() is None:
            backend.create_empty()
    for _ in range(2):
        response = client.get("/search?q=health")
        assert response.status_code == 200
        assert "unavailable for a moment" not in response.get_data(as_text=True)
    make.thread(title="Health data in rural clinics", body="Clinics share health data")
    assert "data in rural clinics" in client.get("/search?q=health").get_data(as_text=True)


def test_a_failed_index_commit_releases_the_write_lock(app, client, make, monkeypatch):
    """A writer whose commit fails must not keep the lock: every later batch would wait 30 s for it."""
    from whoosh.writing import SegmentWriter

    whoosh_only(app)
    make.thread(title="Warm-up", body="creates the index")

    def disk_full(self, segments):
        raise OSError("No space left on device")

    monkeypatch.setattr(SegmentWriter, "_commit_toc", disk_full)
    lost = make.thread(title="Geospatial data", body="Open geospatial data for planners")
    assert outbox_rows(app) == [("thread", lost.id, "upsert")]
    monkeypatch.undo()
    backend = app.extensions["majlis_search"].backend
    with backend.open_index().writer(timeout=0.0) as writer:  # LockError if the lock were still held
        writer.add_document(key="probe:1", type="probe")
    later = make.thread(title="Planners again", body="Geospatial planners meet in Geneva")
    assert outbox_rows(app) == []
    assert sorted(search(client, "geospatial")[0]) == sorted([("thread", lost.id), ("thread", later.id)])
