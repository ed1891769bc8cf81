"""Posting lists of a Whoosh segment as numpy arrays, for `arrays`.

`Segment` reads a term's doc numbers and weights from the heads of its blocks, and its positions
from the tails (`format.MajlisPostingsWriter`), without a Python step per posting; segments
written by Whoosh's own codec are read through its matcher. Segments never change, so the doc-id
arrays of unscored terms (filters such as type, community and author; words only excluded or
counted for facets) are kept in a per-process cache of 64 MB keyed by segment id; deletions are
read from the current reader.
"""

import threading
from collections import OrderedDict
from itertools import accumulate

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.util.numeric import byte_to_length

from app.search.engines.whoosh.format import MajlisLeafMatcher

# Quantised field lengths by their one-byte code; Whoosh reads code 0 as "no length" (scored as 1).
_LENGTHS = np.array([byte_to_length(code) if code else 1 for code in range(256)], dtype=np.float64)
_CACHE_BYTES = 64 * 2**20  # doc-id arrays of filter and unscored terms kept per process


class PostingCache:
    """Doc-id arrays of unscored terms by (segment id, field, term): segments are immutable.

    Bounded by bytes, least recently used first out: a frequent word's array is 8 bytes a posting,
    and every entry counts ENTRY_OVERHEAD more (its key and array object), or the near-empty arrays
    of the small segments each write makes would pile up uncounted. The segments a merge replaced
    are dropped as soon as a searcher no longer has them (`retain`): under steady writing they were
    most of the entries, and the server's memory grew by megabytes a minute until the budget.
    """

    ENTRY_OVERHEAD = 256

    def __init__(self, max_bytes: int):
        self._max_bytes = max_bytes
        self._bytes = 0
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.segment_ids: frozenset = frozenset()

    def _cost(self, value) -> int:
        return value.nbytes + self.ENTRY_OVERHEAD

    def retain(self, segment_ids) -> None:
        """Forget the arrays of segments not in `segment_ids` (the current searcher's)."""
        segment_ids = frozenset(segment_ids)
        if segment_ids == self.segment_ids:
            return
        with self._lock:
            self.segment_ids = segment_ids
            for key in [key for key in self._items if key[0] not in segment_ids]:
                self._bytes -= self._cost(self._items.pop(key))

    def get(self, key, load):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = load()
        with self._lock:
            if key not in self._items:
                self._items[key] = value
                self._bytes += self._cost(value)
            while self._bytes > self._max_bytes and self._items:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= self._cost(dropped)
        return value


_filter_postings = PostingCache(_CACHE_BYTES)


class Segment:
    """One segment of the searcher being evaluated: its reader, doc-number offset and live docs."""

    def __init__(self, searcher, subsearcher, offset: int):
        self.top = searcher
        self.searcher = subsearcher
        self.reader = subsearcher.reader()
        self.offset = offset
        self.size = self.reader.doc_count_all()
        self.live = np.ones(self.size, dtype=bool)
        deleted = self.reader.deleted_docs_set if hasattr(self.reader, "deleted_docs_set") else ()
        if deleted:
            self.live[np.fromiter(deleted, dtype=np.int64, count=len(deleted))] = False
        self.segment_id = _segment_id(self.reader)

    def postings(self, fieldname: str, text) -> tuple[np.ndarray, np.ndarray]:
        """Doc numbers and weights of one term in this segment (empty arrays if it is absent)."""
        field = self.reader.schema[fieldname] if fieldname in self.reader.schema else None
        if field is None:
            return EMPTY_IDS, EMPTY_WEIGHTS
        tbytes = field.to_bytes(text)
        if (fieldname, tbytes) not in self.reader:
            return EMPTY_IDS, EMPTY_WEIGHTS
        matcher = self.reader._terms.matcher(fieldname, tbytes, field.format)
        return _read_postings(matcher)

    def positions(self, fieldname: str, text):
        """Doc numbers, weights, position counts and all positions (in posting order) of one term."""
        field = self.reader.schema[fieldname]
        tbytes = field.to_bytes(text)
        if (fieldname, tbytes) not in self.reader:
            return None
        return _read_positions(self.reader._terms.matcher(fieldname, tbytes, field.format))

    def filter_ids(self, fieldname: str, text) -> np.ndarray:
        if self.segment_id is None:
            return self.postings(fieldname, text)[0]
        key = (self.segment_id, fieldname, text)
        return _filter_postings.get(key, lambda: self.postings(fieldname, text)[0])

    def field_lengths(self, fieldname: str) -> np.ndarray:
        """Each document's quantised length of `fieldname`, as Whoosh's scorer reads it."""
        perdoc = self.reader._perdoc
        perdoc.doc_field_length(0, fieldname)  # MajlisPerDocReader loads the whole column once
        codes = np.frombuffer(perdoc.__dict__.get("_length_bytes", {}).get(fieldname, b""), dtype=np.uint8)
        lengths = np.ones(self.size, dtype=np.float64)
        count = min(len(codes), self.size)
        lengths[:count] = _LENGTHS[codes[:count]]
        return lengths

    def column(self, fieldname: str) -> np.ndarray:
        """A NumericColumn("q") as int64 per document (0 where a document has no value)."""
        values = np.zeros(self.size, dtype=np.int64)
        if not self.reader._perdoc.has_column(fieldname):
            return values
        reader = self.reader.column_reader(fieldname, translate=False)
        count = min(reader._count, self.size)
        if count:
            raw = reader._dbfile.get(reader._basepos, count * 8)
            values[:count] = np.frombuffer(raw, dtype=">i8")
        return values


EMPTY_IDS = np.zeros(0, dtype=np.int64)
EMPTY_WEIGHTS = np.zeros(0, dtype=np.float64)


def _segment_id(reader):
    try:
        return reader.segment().segment_id()
    except Exception:  # not a segment reader (an empty index)
        return None


def _read_postings(matcher) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(matcher, MajlisLeafMatcher):
        return _read_heads(matcher)
    if not isinstance(matcher, W3LeafMatcher):  # inlined postings (a term in one document)
        ids, weights = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)
    ids: list[int] = []
    weights: list[np.ndarray] = []
    while True:
        matcher._read_data()
        block_ids, block_weights = matcher._data[0], matcher._data[1]
        count = matcher._blocklength
        ids.extend(block_ids if matcher._byteids else accumulate(block_ids))  # ids are delta-coded
        if block_weights is None:
            weights.append(np.ones(count))
        elif isinstance(block_weights, float):
            weights.append(np.full(count, block_weights))
        else:
            weights.append(np.asarray(block_weights).astype(np.float64))  # array("f") or a tuple
        if matcher._lastblock:
            break
        matcher._goto(matcher._nextoffset)
    return np.array(ids, dtype=np.int64), np.concatenate(weights)


def _read_heads(matcher) -> tuple[np.ndarray, np.ndarray]:
    """Ids and weights of every block from its head alone (positions are not read)."""
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    while True:
        block_ids, block_weights = matcher.read_head()
        ids.append(np.frombuffer(block_ids, dtype=np.uint32).cumsum(dtype=np.int64))
        weights.append(_block_weights(block_weights, matcher._blocklength))
        if matcher._lastblock:
            break
        matcher._goto(matcher._nextoffset)
    return np.concatenate(ids), np.concatenate(weights)


def _read_positions(matcher):
    if not isinstance(matcher, MajlisLeafMatcher):  # inlined postings (a term in one document)
        ids, weights, positions = [], [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            positions.append(matcher.format.decode_positions(matcher.value()))
            matcher.next()
        counts = np.array([len(found) for found in positions], dtype=np.int64)
        flat = np.array([position for found in positions for position in found], dtype=np.int64)
        return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64), counts, flat
    ids, weights = [], []
    counts, positions = [], []
    while True:
        block_counts, block_positions = matcher.read_tail()
        counts.append(np.frombuffer(block_counts, dtype=np.uint32))
        positions.append(np.frombuffer(block_positions, dtype=np.uint32))
        block_ids, block_weights = matcher._data
        ids.append(np.frombuffer(block_ids, dtype=np.uint32).cumsum(dtype=np.int64))
        weights.append(_block_weights(block_weights, matcher._blocklength))
        if matcher._lastblock:
            break
        matcher._goto(matcher._nextoffset)
    return (
        np.concatenate(ids),
        np.concatenate(weights),
        np.concatenate(counts).astype(np.int64),
        np.concatenate(positions).astype(np.int64),
    )


def _block_weights(weights, count: int) -> np.ndarray:
    if isinstance(weights, float):
        return np.full(count, weights)
    if not weights:
        return np.ones(count)
    return np.frombuffer(weights, dtype=np.float32).astype(np.float64)


def segments(searcher) -> list[Segment]:
    """Each segment of `searcher` (itself when it has one) with its doc-number offset."""
    found = [Segment(searcher, sub, offset) for sub, offset in searcher.leaf_searchers()]
    _filter_postings.retain(segment.segment_id for segment in found if segment.segment_id is not None)
    return found
