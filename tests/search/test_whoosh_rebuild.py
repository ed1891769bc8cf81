"""Whoosh rebuilds: the multiprocess writer indexes what the single writer does; totals are exact;
an index written before the engines moved still opens."""

from datetime import datetime, timedelta

import pytest

from app.search.backend import SearchFilters
from app.search.engines.whoosh import format as whoosh_format
from app.search.engines.whoosh.backend import WhooshBackend
from app.search.query import parse
from app.search.registry import SearchDocument
from tests.search.test_relevance import CASES, corpus_documents

FILLER = 240


def filler_documents():
    """Documents that all share one word, so that a query has more hits than its limit."""
    return [
        SearchDocument(
            type="post",
            id=1000 + number,
            title="",
            text=f"Filler remark number {number} about spectrum policy",
            language="en",
            community_ids=[2 + number % 3],
            author_username="filler",
            created_at=datetime(2017, 1, 1) + timedelta(hours=number),
            url="/",
        )
        for number in range(FILLER)
    ]


def batches():
    documents = corpus_documents() + filler_documents()
    return [documents[start : start + 50] for start in range(0, len(documents), 50)]


@pytest.fixture(scope="module")
def parallel(tmp_path_factory):
    backend = WhooshBackend(tmp_path_factory.mktemp("parallel"), procs=2, parallel_threshold=10, job_size=40)
    assert backend.rebuild(batches()) == 60 + FILLER
    return backend


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    backend = WhooshBackend(tmp_path_factory.mktemp("single"), procs=1)
    backend.rebuild(batches())
    return backend


def found(backend, text: str, **filters) -> tuple[list[int], int]:
    ranked = backend.ranked(parse(text), SearchFilters(**filters), limit=500)
    return sorted(hit.id for hit in ranked.hits), ranked.total


def test_the_parallel_rebuild_writes_several_segments(parallel):
    with parallel.open_index().reader() as reader:
        assert len(reader.leaf_readers()) >= 2
        assert reader.doc_count() == 60 + FILLER


@pytest.mark.parametrize(("label", "query", "expected"), CASES, ids=[case[0] for case in CASES])
def test_parallel_rebuild_finds_exactly(parallel, label, query, expected):
    assert set(found(parallel, query)[0]) == expected


@pytest.mark.parametrize(
    ("query", "filters"),
    [
        ("spectrum", {}),
        ("spectrum", {"sort": "newest"}),
        ('"spectrum policy"', {}),
        ("filler", {"community_ids": {3}}),
        ("remark*", {"after": datetime(2017, 1, 5), "before": datetime(2017, 1, 8)}),
        ("", {"types": ["post"]}),
    ],
)
def test_parallel_and_single_rebuilds_agree(parallel, single, query, filters):
    assert found(parallel, query, **filters) == found(single, query, **filters)


@pytest.mark.parametrize("sort", ["relevance", "newest"])
def test_total_counts_every_match_beyond_the_limit(parallel, sort):
    ranked = parallel.ranked(parse("spectrum"), SearchFilters(sort=sort), limit=5)
    assert len(ranked.hits) == 5
    assert ranked.total == FILLER


def test_newest_first_across_segments(parallel):
    ranked = parallel.ranked(parse("spectrum"), SearchFilters(sort="newest"), limit=3)
    assert [hit.id for hit in ranked.hits] == [1000 + FILLER - 1, 1000 + FILLER - 2, 1000 + FILLER - 3]


def test_date_filters_are_whole_days(parallel):
    ids, total = found(parallel, "filler", after=datetime(2017, 1, 2), before=datetime(2017, 1, 3))
    assert ids == list(range(1024, 1048)) and total == 24


def test_an_incremental_update_after_a_parallel_rebuild(parallel):
    """Also: a searcher opened before the update must not keep the replaced version (stale deletions)."""
    assert found(parallel, "spectrum")[1] == FILLER
    document = filler_documents()[0]
    document.text = "Replaced text about quokkas"
    parallel.index([document])
    assert found(parallel, "quokkas")[0] == [1000]
    assert found(parallel, "spectrum")[1] == FILLER - 1


OLD_FORMAT_MODULE = "app.search.whoosh_format"  # where the pickled classes lived before app/search/engines


def test_an_index_written_before_the_engines_moved_opens_without_a_rebuild(single, tmp_path, monkeypatch):
    """Its schema and codec are pickled under the old module path, which re-exports the classes."""
    for value in vars(whoosh_format).values():
        if isinstance(value, type) and value.__module__ == whoosh_format.__name__:
            monkeypatch.setattr(value, "__module__", OLD_FORMAT_MODULE)
    WhooshBackend(tmp_path, procs=1).rebuild(batches())
    monkeypatch.undo()
    toc = b"".join(path.read_bytes() for path in tmp_path.glob("gen-*/*.toc"))
    assert OLD_FORMAT_MODULE.encode() in toc and b"app.search.engines" not in toc
    reopened = WhooshBackend(tmp_path, procs=1)
    assert reopened.is_healthy()
    for query in ("spectrum", '"spectrum policy"', "remark*"):
        assert found(reopened, query) == found(single, query)
