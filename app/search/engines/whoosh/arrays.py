"""Whoosh queries evaluated a whole posting list at a time, with numpy.

Whoosh matches, filters and scores one document at a time in Python: a word found in half of
100,000 posts cost 300-450 ms before the first hit was shown. For the shapes search builds — terms
joined by AND, OR and NOT, phrases, prefixes and the filter terms — this module takes each term's
postings whole (`postings`), computes the scores Whoosh would (BM25F with the searcher's own
idf, average field length, B and K1, the same quantised field lengths), counts every match and
takes the top N with `argpartition`. Prefixes are expanded per segment, as Whoosh does; phrases are
matched on positions as sorted integer keys (`_phrase`). Anything else raises `Unsupported` and the
caller uses Whoosh's matchers; date ranges in filters are evaluated by Whoosh and combined here.
"""

from contextlib import contextmanager
from contextvars import ContextVar

import numpy as np
from whoosh import query as wq
from whoosh.scoring import BM25F

from app.search.engines.whoosh.format import MajlisPositions
from app.search.engines.whoosh.postings import EMPTY_IDS, EMPTY_WEIGHTS, Segment, segments


class Unsupported(Exception):
    """The query has a node this module does not evaluate: use Whoosh's own matchers."""


# The main query's evaluations in the current search, by segment (see `shared_evaluations`).
_shared: ContextVar[dict | None] = ContextVar("majlis_search_evaluations", default=None)


@contextmanager
def shared_evaluations():
    """Within, each segment's evaluation of a main query is kept and reused: one search ranks its
    hits, counts its facets and lists the matches of each checked type, with the same main query
    and different filters (four evaluations of every term became one)."""
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def _main_query(segment: Segment, main, scored: bool):
    """`_evaluate(segment, main, scored)`, reused within `shared_evaluations`; the caller may change
    the arrays it gets."""
    memo = _shared.get()
    if memo is None or segment.segment_id is None:
        return _evaluate(segment, main, scored)
    try:
        key = (segment.segment_id, segment.offset, main)
        kept = memo.get(key)
    except TypeError:  # a query node that cannot be hashed: nothing shared
        return _evaluate(segment, main, scored)
    if kept is None or (scored and kept[1] is None):
        kept = memo[key] = _evaluate(segment, main, scored)
    matched, scores = kept
    return matched.copy(), (scores.copy() if scored else None)


def _bm25_parameters(searcher, fieldname: str):
    weighting = searcher.weighting
    if type(weighting) is not BM25F:
        raise Unsupported("weighting")
    b = weighting._field_B.get(fieldname, weighting.B)
    return b, weighting.K1


def _term(segment: Segment, node: wq.Term, scored: bool):
    field = segment.reader.schema[node.fieldname] if node.fieldname in segment.reader.schema else None
    matched = np.zeros(segment.size, dtype=bool)
    if field is None:
        return matched, (np.zeros(segment.size) if scored else None)
    if not scored:
        matched[segment.filter_ids(node.fieldname, node.text)] = True
        return matched, None
    if not field.scorable:
        raise Unsupported("a scored term in an unscored field")
    ids, weights = segment.postings(node.fieldname, node.text)
    matched[ids] = True
    scores = np.zeros(segment.size)
    if len(ids):
        scores[ids] = _bm25(segment, node.fieldname, node.text, ids, weights) * node.boost
    return matched, scores


def _bm25(segment: Segment, fieldname: str, text, ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Whoosh's BM25F score of one term for each of `ids`, from the top searcher's statistics."""
    top = segment.top
    idf = top.idf(fieldname, text)
    average = top.avg_field_length(fieldname) or 1
    b, k1 = _bm25_parameters(top, fieldname)
    lengths = segment.field_lengths(fieldname)[ids]
    return idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * lengths / average)))


def _phrase(segment: Segment, node: wq.Phrase, scored: bool):
    """Documents holding the words at consecutive positions; scored as Whoosh does, by the sum of
    the words' own scores. Positions are matched as sorted (doc << 32 | position - offset) keys."""
    matched = np.zeros(segment.size, dtype=bool)
    scores = np.zeros(segment.size) if scored else None
    if node.fieldname not in segment.reader.schema:
        return matched, scores
    if not isinstance(segment.reader.schema[node.fieldname].format, MajlisPositions):
        raise Unsupported("positions in Whoosh's own format")
    postings = [segment.positions(node.fieldname, word) for word in node.words]
    if any(found is None for found in postings):
        return matched, scores
    keys = None
    by_size = sorted(enumerate(postings), key=lambda item: len(item[1][3]))  # fewest queries first
    for offset, (ids, _, counts, positions) in by_size:
        word_keys = (np.repeat(ids, counts) << 32) + positions - offset
        word_keys = word_keys[positions >= offset]  # still sorted: ids and positions ascend
        keys = word_keys if keys is None else keys[_contained(word_keys, keys)]
        if not len(keys):
            return matched, scores
    matched[keys >> 32] = True  # sorted, with repeats where the phrase occurs more than once
    if scored:
        for word, (ids, weights, _, _) in zip(node.words, postings, strict=True):
            scores[ids] += _bm25(segment, node.fieldname, word, ids, weights)
        scores *= node.boost
        scores[~matched] = 0  # documents with the words apart: an OR around the phrase adds nothing
    return matched, scores


def _prefix(segment: Segment, node: wq.Prefix, scored: bool):
    """Every term of this segment that begins with the prefix, scored as Whoosh does: the sum of the
    terms' BM25F scores (its "constant score" falls back to the searcher's weighting)."""
    if node.fieldname not in segment.reader.schema:
        return np.zeros(segment.size, dtype=bool), (np.zeros(segment.size) if scored else None)
    ids, scores = [EMPTY_IDS], [EMPTY_WEIGHTS]
    for term in segment.reader.expand_prefix(node.fieldname, node.text):
        text = term.decode("utf-8")
        if scored:
            term_ids, weights = segment.postings(node.fieldname, text)
            scores.append(_bm25(segment, node.fieldname, text, term_ids, weights))
        else:
            term_ids = segment.postings(node.fieldname, text)[0]
        ids.append(term_ids)
    ids = np.concatenate(ids)
    matched = np.bincount(ids, minlength=segment.size).astype(bool)
    if not scored:
        return matched, None
    return matched, np.bincount(ids, weights=np.concatenate(scores), minlength=segment.size)


def _contained(sorted_values: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """For each of `queries`, whether it occurs in `sorted_values`."""
    if not len(sorted_values):
        return np.zeros(len(queries), dtype=bool)
    places = np.minimum(np.searchsorted(sorted_values, queries), len(sorted_values) - 1)
    return sorted_values[places] == queries


def _evaluate(segment: Segment, node, scored: bool):
    """(matched bool array, scores array or None) of `node` in one segment."""
    if isinstance(node, wq.Term):
        return _term(segment, node, scored)
    if isinstance(node, wq.Every):
        return segment.live.copy(), (np.full(segment.size, node.boost) if scored else None)
    if node is wq.NullQuery:
        return np.zeros(segment.size, dtype=bool), (np.zeros(segment.size) if scored else None)
    if isinstance(node, wq.Phrase) and node.slop == 1:  # consecutive words, as search builds them
        return _phrase(segment, node, scored)
    if isinstance(node, wq.Prefix):
        return _prefix(segment, node, scored)
    if isinstance(node, wq.Or):
        return _union(segment, node.subqueries, scored)
    if isinstance(node, wq.And):
        return _intersection(segment, node.subqueries, scored)
    if isinstance(node, wq.Not):
        raise Unsupported("a lone NOT")  # search always pairs it with a positive part
    if not scored:
        return _whoosh_docs(segment, node), None
    raise Unsupported(type(node).__name__)


def _union(segment, children, scored):
    matched = np.zeros(segment.size, dtype=bool)
    scores = np.zeros(segment.size) if scored else None
    for child in children:
        child_matched, child_scores = _evaluate(segment, child, scored)
        matched |= child_matched
        if scored:
            scores += child_scores
    return matched, scores


def _intersection(segment, children, scored):
    positives = [child for child in children if not isinstance(child, wq.Not)]
    negatives = [child.query for child in children if isinstance(child, wq.Not)]
    if not positives:
        raise Unsupported("only NOT")
    matched, scores = _evaluate(segment, positives[0], scored)
    for child in positives[1:]:
        child_matched, child_scores = _evaluate(segment, child, scored)
        matched &= child_matched
        if scored:
            scores += child_scores
    for child in negatives:
        matched &= ~_evaluate(segment, child, False)[0]
    return matched, scores


def _whoosh_docs(segment: Segment, node) -> np.ndarray:
    """A filter node this module does not read itself (a date range): Whoosh lists its documents."""
    matched = np.zeros(segment.size, dtype=bool)
    ids = list(node.docs(segment.searcher))
    if ids:
        matched[np.array(ids, dtype=np.int64)] = True
    return matched


def _matches(segment: Segment, main, allow, exclude, scored: bool):
    if main is None:
        matched, scores = segment.live.copy(), None
    else:
        matched, scores = _main_query(segment, main, scored)
        matched &= segment.live
    if allow is not None:
        matched &= _evaluate(segment, allow, False)[0]
    if exclude is not None:
        matched &= ~_evaluate(segment, exclude, False)[0]
    return matched, scores


def top_documents(searcher, main, allow, exclude, limit: int, newest: bool) -> tuple[list[int], int]:
    """Global doc numbers of the first `limit` matches (by score, or newest first) and the total.

    Ties keep Whoosh's order: by score, then doc number; by date, then doc number from the last.
    """
    keys, docnums, total = [], [], 0
    for segment in segments(searcher):
        matched, scores = _matches(segment, main, allow, exclude, scored=not newest and main is not None)
        found = np.flatnonzero(matched)
        total += len(found)
        if not len(found):
            continue
        key = segment.column("created")[found] if newest or scores is None else scores[found]
        if len(found) > limit:  # keep every tie of the last place: the doc number decides between them
            threshold = -np.partition(-key, limit - 1)[limit - 1]
            best = key >= threshold
            found, key = found[best], key[best]
        keys.append(key)
        docnums.append(found + segment.offset)
    if not docnums:
        return [], total
    keys_all, docnums_all = np.concatenate(keys), np.concatenate(docnums)
    by_docnum = -docnums_all if newest or main is None else docnums_all  # Whoosh's reverse sort
    order = np.lexsort((by_docnum, -keys_all))[:limit]
    return docnums_all[order].tolist(), total


def matching_documents(searcher, main, allow, exclude) -> list[int]:
    """Global doc numbers of every match, ascending."""
    docnums = []
    for segment in segments(searcher):
        matched, _ = _matches(segment, main, allow, exclude, scored=False)
        docnums.extend((np.flatnonzero(matched) + segment.offset).tolist())
    return docnums


def facet_counts(searcher, main, allow, exclude, facets: dict[str, list[str]]) -> dict[str, dict[str, int]]:
    """For each field of `facets`, how many matches hold each of the given terms."""
    counts = {field: dict.fromkeys(terms, 0) for field, terms in facets.items()}
    for segment in segments(searcher):
        matched, _ = _matches(segment, main, allow, exclude, scored=False)
        if not matched.any():
            continue
        for field, terms in facets.items():
            for term in terms:
                ids = segment.filter_ids(field, term)
                if len(ids):
                    counts[field][term] += int(np.count_nonzero(matched[ids]))
    return {field: {term: n for term, n in found.items() if n} for field, found in counts.items()}
