"""The array evaluation of Whoosh queries gives exactly what Whoosh's own matchers give.

Same hits in the same order, same totals and the same facet counts, on an index of several
segments with deleted and replaced documents, for every query shape search builds and every filter.
"""

import random
from datetime import datetime, timedelta

import pytest

from app.search.backend import Hit, SearchFilters
from app.search.engines.whoosh import arrays as whoosh_arrays
from app.search.engines.whoosh import postings as whoosh_postings
from app.search.engines.whoosh.backend import WhooshBackend
from app.search.query import parse
from app.search.registry import SearchDocument
from tests.search.test_relevance import corpus_documents

WORDS = "spectrum policy rural broadband schools health data privacy access women youth open".split()
TYPES = ("post", "thread", "contribution")


def generated_documents(count: int, first_id: int, seed: int) -> list[SearchDocument]:
    rng = random.Random(seed)
    documents = []
    for number in range(count):
        type_name = TYPES[number % 3]
        documents.append(
            SearchDocument(
                type=type_name,
                id=first_id + number,
                title=" ".join(rng.choices(WORDS, k=rng.randint(0, 4))),
                text=" ".join(rng.choices(WORDS, k=rng.randint(1, 30))),
                language=rng.choice(["en", "en", "fr", None]),
                community_ids=rng.sample(range(1, 8), k=rng.randint(1, 2)),
                author_username=f"user{number % 7}",
                created_at=datetime(2016, 1, 1) + timedelta(hours=rng.randint(0, 20_000)),
                url="/",
                status=rng.choice(["accepted", "submitted"]) if type_name == "contribution" else None,
                thread_id=number % 11 + 1 if type_name == "post" else None,
            )
        )
    return documents


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    """Two rebuild segments plus two incremental ones, with deletions and replaced documents."""
    backend = WhooshBackend(tmp_path_factory.mktemp("arrays"), procs=2, parallel_threshold=50, job_size=60)
    documents = corpus_documents() + generated_documents(300, 1000, seed=3)
    backend.rebuild([documents[start : start + 50] for start in range(0, len(documents), 50)])
    backend.index(generated_documents(40, 2000, seed=4))
    replaced = generated_documents(20, 1000, seed=5)  # same keys, new text: the old versions are deleted
    backend.index(replaced, _hits(generated_documents(15, 1100, seed=3)))
    with backend.open_index().reader() as reader:
        assert len(reader.leaf_readers()) >= 3 and reader.has_deletions()
    return backend


def _key_hit(key: str) -> Hit:
    type_name, _, entity_id = key.partition(":")
    return Hit(type_name, int(entity_id))


def _hits(documents):
    return [Hit(doc.type, doc.id) for doc in documents]


QUERIES = [
    "spectrum",
    "rural broadband",
    "rural OR health",
    "schools -privacy",
    "(data OR access) women",
    "open -youth -policy",
    "information",
    "société",
    "المجتمع",
    "信息社会",
    "nothingmatchesthis",
    "spectrum policy rural broadband schools health",
    '"rural broadband"',
    '"data data"',
    '"spectrum policy" -women',
    'health -"open access"',
    '"schools health data" OR youth',
    '"information society"',
    '"信息社会"',
    '"société de l\'information"',
    "broad*",
    "rur* OR heal*",
    "sp* -policy",
    "e-gov*",
    "inform* society",
    '"spectrum"',
    '"المجتمع"',
    '"信"',
    '"policies" rural',
]
FILTERS = [
    {},
    {"types": ["post"]},
    {"types": ["contribution"], "statuses": ["accepted"]},
    {"community_ids": {2, 3}},
    {"hidden_community_ids": {4}},
    {"authors": ["user3"]},
    {"thread_ids": [2, 5]},
    {"after": datetime(2017, 1, 1), "before": datetime(2017, 6, 1)},
    {"in_title": True},
    {"excluded_types": ["contribution"], "hidden_community_ids": {4}},
]


def _both(backend, text, filters, limit, sort="relevance"):
    parsed = parse(text)
    searcher = backend._searcher()
    main, restrict, mask = backend._queries(parsed, SearchFilters(**filters, sort=sort))
    whoosh = backend._ranked_by_whoosh(
        searcher, main, restrict, mask, SearchFilters(**filters, sort=sort), limit
    )
    arrays = backend.ranked(parsed, SearchFilters(**filters, sort=sort), limit)
    return whoosh, arrays


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f) or "none")
@pytest.mark.parametrize("text", QUERIES)
def test_same_hits_order_and_total_as_whoosh(backend, text, filters):
    for limit in (1, 7, 40, 1000):
        whoosh, arrays = _both(backend, text, filters, limit)
        assert arrays.total == whoosh.total, (text, filters, limit)
        assert arrays.hits == whoosh.hits, (text, filters, limit)


@pytest.mark.parametrize("filters", FILTERS[:4], ids=lambda f: ",".join(f) or "none")
@pytest.mark.parametrize("text", ["spectrum", "rural -health", "schools OR data"])
def test_newest_first_same_as_whoosh(backend, text, filters):
    whoosh, arrays = _both(backend, text, filters, 25, sort="newest")
    assert arrays.total == whoosh.total
    assert arrays.hits == whoosh.hits


def test_only_filters_lists_newest_first(backend):
    whoosh, arrays = _both(backend, "community:c1", {"community_ids": {3}}, 30)
    assert arrays.total == whoosh.total > 0
    assert arrays.hits == whoosh.hits


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f) or "none")
@pytest.mark.parametrize(
    "text", ["spectrum", "rural OR health", "open -youth", "nothingmatchesthis", '"schools" -"data"']
)
def test_same_facet_counts_as_whoosh(backend, text, filters):
    parsed = parse(text)
    search_filters = SearchFilters(**filters)
    searcher = backend._searcher()
    main, restrict, mask = backend._queries(parsed, search_filters)
    expected = backend._facets_by_whoosh(searcher, main, restrict, mask)
    assert backend.facets(parsed, search_filters) == expected


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f) or "none")
@pytest.mark.parametrize("text", ["spectrum", '"rural broadband"', "sp* -policy", "nothingmatchesthis"])
def test_same_matches_as_whoosh(backend, text, filters):
    """Every hit with its communities (facet counts of contributions are made from them)."""
    parsed = parse(text)
    searcher = backend._searcher()
    main, restrict, mask = backend._queries(parsed, SearchFilters(**filters))
    results = searcher.search(main, limit=None, filter=restrict, mask=mask, scored=False)
    expected = sorted(result.docnum for result in results)
    assert whoosh_arrays.matching_documents(searcher, main, restrict, mask) == expected
    matches = backend.matches(parsed, SearchFilters(**filters))
    assert {hit for hit, _ in matches} == {_key_hit(searcher.stored_fields(n)["key"]) for n in expected}
    assert len(matches) == len(expected)
    assert all(communities and 0 not in communities for _, communities in matches)


@pytest.mark.parametrize("kind", ["fuzzy", "only not"])
def test_other_query_kinds_use_whoosh_matchers(backend, kind):
    from whoosh import query as wq

    main = {
        "fuzzy": wq.FuzzyTerm("text_en", "spectrum"),
        "only not": wq.And([wq.Not(wq.Term("text_en", "rural"))]),
    }[kind]
    with pytest.raises(whoosh_arrays.Unsupported):
        whoosh_arrays.top_documents(backend._searcher(), main, None, None, 10, newest=False)


def test_phrases_are_evaluated_here_and_match_whoosh(backend):
    main, _, _ = backend._queries(parse('"rural broadband"'), SearchFilters())
    docnums, total = whoosh_arrays.top_documents(backend._searcher(), main, None, None, 1000, newest=False)
    whoosh, arrays = _both(backend, '"rural broadband"', {}, 1000)
    assert total == arrays.total == whoosh.total > 5
    assert arrays.hits == whoosh.hits


def test_scores_are_whooshs_scores(backend):
    """Not only the order: the BM25F value of each hit equals Whoosh's own."""
    from whoosh import collectors

    parsed = parse('rural OR health data OR "open access" OR broad*')
    main, _, _ = backend._queries(parsed, SearchFilters())
    searcher = backend._searcher()
    collector = collectors.TopCollector(limit=100_000)
    searcher.search_with_collector(main, collector)
    expected = {hit.docnum: hit.score for hit in collector.results()}
    seen = 0
    for segment in whoosh_postings.segments(searcher):
        matched, scores = whoosh_arrays._matches(segment, main, None, None, scored=True)
        for docnum in matched.nonzero()[0]:
            assert scores[docnum] == pytest.approx(expected[docnum + segment.offset], rel=1e-9)
            seen += 1
    assert seen == len(expected) > 20


def test_posting_cache_stays_within_its_byte_budget():
    import numpy as np

    cache = whoosh_postings.PostingCache(max_bytes=8 * 250 + 2 * whoosh_postings.PostingCache.ENTRY_OVERHEAD)
    loads = []

    def load(n):
        loads.append(n)
        return np.arange(n, dtype=np.int64)

    for key in range(5):
        cache.get(key, lambda key=key: load(100))
    assert len(cache._items) == 2
    cache.get(4, lambda: load(100))  # the newest stays without reloading
    assert loads == [100] * 5
    cache.get(0, lambda: load(100))  # the oldest was dropped
    assert loads == [100] * 6


def test_posting_cache_forgets_segments_a_merge_replaced_and_counts_empty_arrays():
    """Steady writing makes small segments that merges soon replace: their arrays, even empty ones,
    must not pile up in the server's memory."""
    import numpy as np

    cache = whoosh_postings.PostingCache(max_bytes=100 * whoosh_postings.PostingCache.ENTRY_OVERHEAD)
    for segment in range(1_000):
        cache.get((f"segment{segment}", "type", "post"), lambda: np.array([], dtype=np.int64))
    assert len(cache._items) == 100  # empty arrays still take room
    cache.retain({"segment998", "segment999", "segment5000"})
    assert sorted(key[0] for key in cache._items) == ["segment998", "segment999"]
    assert cache._bytes == 2 * whoosh_postings.PostingCache.ENTRY_OVERHEAD
