"""The Whoosh engine (whoosh-reloaded) for the embedded deployment.

Layout of SEARCH_INDEX_DIR: generation directories `gen-*` and a file `CURRENT` naming the one in
use. A rebuild writes a new generation and replaces `CURRENT` atomically, so searching goes on
meanwhile. Readers are snapshots and not thread-safe: one searcher per thread, refreshed per request.
Only the indexer (and a rebuild) open writers; nothing here is called with a writer on a request path.

The schema holds what queries need and nothing more: one title and one text field per field kind
(a document fills those of its declared language) and one pair for exact forms (every document), ids as single terms, the day for date filters,
and columns for sorting and facets. Only the key is stored: snippets are cut from the plain text
the providers load. Prefix queries expand on the stemmed fields (see `analysis.prefix_query`).
A bulk rebuild uses several writer processes. The classes pickled into the index (tokenizer, field
type, codec and posting blocks) live in `format`; queries of words, AND, OR and NOT are
evaluated whole posting lists at a time by `arrays`, the rest by Whoosh's matchers.
"""

import itertools
import logging
import os
import shutil
import threading
import time
from datetime import datetime, timedelta
from html import unescape
from pathlib import Path

from whoosh import collectors, sorting
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.columns import NumericColumn, VarBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, NUMERIC, Schema
from whoosh.reading import EmptyReader

from app.search.analysis import (
    ANALYZER_VERSION,
    FIELD_LANGUAGES,
    WORDS,
    field_kind,
)
from app.search.backend import NO_COMMUNITY, Hit, IndexUnavailable, Ranked, SearchBackend, SearchFilters
from app.search.engines.whoosh import arrays
from app.search.engines.whoosh.format import MajlisCodec, MajlisText, MajlisTokenizer
from app.search.engines.whoosh.pool import MajlisMpWriter, MajlisSegmentWriter
from app.search.engines.whoosh.queries import EPOCH, EXACT, day_number, filter_query, text_query
from app.search.query import ParsedQuery

logger = logging.getLogger(__name__)

SCHEMA_VERSION = f"6.{ANALYZER_VERSION}"  # bump the first number when the fields change
CURRENT_FILE = "CURRENT"
VERSION_FILE = "MAJLIS_SCHEMA"
TITLE_BOOST = 2.0
REBUILD_LIMIT_MB = 1024  # posting pool of each rebuild writer process before it spills to disk
PARALLEL_JOB_SIZE = 250  # documents per job file handed to a writer process


_NOTHING = object()  # the query has words, but none that can match


def build_schema() -> Schema:
    fields = {
        "key": ID(stored=True, unique=True),
        "type": ID(sortable=True),
        "community": KEYWORD(),  # one term per community id
        "community_key": COLUMN(VarBytesColumn()),  # all ids, space-separated, for facet counts
        "sole_community": ID(),  # set when the document belongs to exactly one community
        "author": ID(),
        "status": ID(),
        "thread": ID(),
        "has": KEYWORD(),  # "attachment"
        "created": COLUMN(NumericColumn("q")),  # microseconds since 1970, for sorting by date
        "day": NUMERIC(int, bits=16, signed=False, shift_step=8),  # days since 1970, for before:/after:
    }
    for kind in FIELD_LANGUAGES:
        fields[f"title_{kind}"] = MajlisText(analyzer=MajlisTokenizer(kind), field_boost=TITLE_BOOST)
        fields[f"text_{kind}"] = MajlisText(analyzer=MajlisTokenizer(kind))
    fields[f"title_{EXACT}"] = MajlisText(analyzer=MajlisTokenizer(WORDS), field_boost=TITLE_BOOST)
    fields[f"text_{EXACT}"] = MajlisText(analyzer=MajlisTokenizer(WORDS))
    return Schema(**fields)


def document_key(type_name: str, entity_id: int) -> str:
    return f"{type_name}:{entity_id}"


def _microseconds(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)


def _document_fields(doc) -> dict:
    kind = field_kind(doc.language)
    title, text = unescape(doc.title or ""), unescape(doc.text or "")  # plain_text() escapes entities
    communities = [str(cid) for cid in (doc.community_ids or [NO_COMMUNITY])]
    fields = {
        "key": document_key(doc.type, doc.id),
        "type": doc.type,
        "community": " ".join(communities),
        "community_key": " ".join(communities).encode(),
        "author": (doc.author_username or "").lower(),
        "created": _microseconds(doc.created_at),
        "day": day_number(doc.created_at),
    }
    if title:  # an empty value would still be analysed
        fields[f"title_{kind}"] = fields[f"title_{EXACT}"] = title
    if text:
        fields[f"text_{kind}"] = fields[f"text_{EXACT}"] = text
    if len(communities) == 1:
        fields["sole_community"] = communities[0]
    if doc.status:
        fields["status"] = doc.status.lower()
    if doc.thread_id:
        fields["thread"] = str(doc.thread_id)
    if doc.has:
        fields["has"] = " ".join(doc.has)
    return fields


class CountingTopCollector(collectors.TopCollector):
    """The top N by score, and the exact number of matches, in one pass.

    Whoosh's TopCollector raises a minimum score as its heap fills and then drops sub-queries that
    cannot reach it (though they still match), so it must count the total in a second full pass of
    the query, which cost as much as the search. Keeping the minimum at 0 counts while collecting.
    """

    def __init__(self, limit: int):
        super().__init__(limit, usequality=False)

    def _collect(self, global_docnum, score):
        result = super()._collect(global_docnum, score)
        self.minscore = 0
        return result

    def computes_count(self):
        return True


class WhooshBackend(SearchBackend):
    def __init__(
        self,
        root: str | os.PathLike,
        procs: int | None = None,
        parallel_threshold: int = 5000,
        job_size: int = PARALLEL_JOB_SIZE,
    ):
        self.root = Path(root)
        self.procs = procs if procs is not None else min(2, os.cpu_count() or 1)
        self.parallel_threshold = parallel_threshold  # fewer documents: one writer in this process
        self.job_size = job_size
        self._local = threading.local()
        self._open_lock = threading.Lock()

    # -- generations ---------------------------------------------------------------------------

    def current_path(self) -> Path | None:
        try:
            name = (self.root / CURRENT_FILE).read_text().strip()
        except OSError:
            return None
        path = self.root / name
        return path if name and path.is_dir() else None

    def open_index(self):
        """The current index, or IndexUnavailable if it is missing, corrupt or outdated."""
        path = self.current_path()
        if path is None:
            raise IndexUnavailable("no current index")
        try:
            version = (path / VERSION_FILE).read_text().strip()
        except OSError as error:
            raise IndexUnavailable("no schema version") from error
        if version != SCHEMA_VERSION:
            raise IndexUnavailable(f"schema version {version}, expected {SCHEMA_VERSION}")
        try:
            return whoosh_index.open_dir(str(path))
        except Exception as error:  # Whoosh raises many kinds on a damaged directory
            raise IndexUnavailable(str(error)) from error

    def is_healthy(self) -> bool:
        try:
            ix = self.open_index()
            with ix.searcher() as searcher:
                searcher.doc_count()
            return True
        except Exception:
            return False

    def _new_generation(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / f"gen-{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
        path.mkdir()
        return path

    def _swap(self, path: Path) -> None:
        old = self.current_path()
        temporary = self.root / f"{CURRENT_FILE}.{os.getpid()}.tmp"
        temporary.write_text(path.name)
        os.replace(temporary, self.root / CURRENT_FILE)
        for stale in self.root.glob("gen-*"):
            if stale != path and (old is None or stale == old or stale.name < path.name):
                shutil.rmtree(stale, ignore_errors=True)

    # -- writing -------------------------------------------------------------------------------

    def index(self, documents, deletions=()) -> None:
        """One writer, one commit for the whole batch."""
        if not documents and not deletions:
            return
        ix = self.open_index()
        writer = ix.writer(timeout=30.0, limitmb=128, codec=MajlisCodec())
        try:
            for hit in deletions:
                writer.delete_by_term("key", document_key(hit.type, hit.id))
            for doc in documents:
                writer.update_document(**_document_fields(doc))
            writer.commit()
        except BaseException:
            _release(writer)
            raise

    def rebuild(self, batches, progress=None) -> int:
        """Index every document into a new generation, then swap it in.

        A large rebuild (at least `parallel_threshold` documents) runs `procs` writer processes, each
        writing a segment of its own (Whoosh's MpWriter with multisegment=True: no final merge).
        """
        path = self._new_generation()
        count = 0
        try:
            ix = whoosh_index.create_in(str(path), build_schema())
            batches = iter(batches)
            head = _take_documents(batches, self.parallel_threshold)
            writer = self._rebuild_writer(
                ix, parallel=self.procs > 1 and len(head) >= self.parallel_threshold
            )
            try:
                for batch in itertools.chain([head], batches):
                    for doc in batch:
                        writer.add_document(**_document_fields(doc))
                    count += len(batch)
                    if progress and batch:
                        progress(len(batch))
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            _check_count(ix, count)
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise
        (path / VERSION_FILE).write_text(SCHEMA_VERSION)
        self._swap(path)
        logger.info("Search index rebuilt with %s documents in %s", count, path)
        return count

    def _rebuild_writer(self, ix, parallel: bool):
        if not parallel:
            return MajlisSegmentWriter(ix, limitmb=REBUILD_LIMIT_MB, codec=MajlisCodec())
        return MajlisMpWriter(
            ix,
            procs=self.procs,
            multisegment=True,
            batchsize=self.job_size,
            limitmb=REBUILD_LIMIT_MB,
            codec=MajlisCodec(),
        )

    # -- reading -------------------------------------------------------------------------------

    def _searcher(self):
        """This thread's searcher, refreshed (a new snapshot if the index changed)."""
        path = self.current_path()
        state = getattr(self._local, "state", None)
        if state is not None and state[0] == path:
            searcher = self._refreshed(state[1])
        else:
            if state is not None:
                state[1].close()
            searcher = self.open_index().searcher()
        self._local.state = (path, searcher)
        return searcher

    def _refreshed(self, searcher):
        """The searcher itself if current, else a new snapshot.

        Not `searcher.refresh()`: it reuses the readers of unchanged segments together with their old
        deletions, so an edited or deleted document stayed findable (and an empty reader cannot refresh).
        """
        if not isinstance(searcher.ixreader, EmptyReader) and searcher.up_to_date():
            return searcher
        searcher.close()
        return self.open_index().searcher()

    def close(self) -> None:
        state = getattr(self._local, "state", None)
        if state is not None:
            state[1].close()
            self._local.state = None

    def one_search(self):
        return arrays.shared_evaluations()

    def ranked(self, query: ParsedQuery, filters: SearchFilters, limit: int) -> Ranked:
        searcher = self._searcher()
        main, restrict, mask = self._queries(query, filters)
        if main is _NOTHING:
            return Ranked(hits=[], total=0)
        try:
            docnums, total = arrays.top_documents(
                searcher, main, restrict, mask, limit, newest=filters.sort == "newest"
            )
        except arrays.Unsupported:
            return self._ranked_by_whoosh(searcher, main, restrict, mask, filters, limit)
        return Ranked(hits=[_hit(searcher.stored_fields(docnum)) for docnum in docnums], total=total)

    @staticmethod
    def _ranked_by_whoosh(searcher, main, restrict, mask, filters, limit) -> Ranked:
        """Whoosh's own matchers, one document at a time: for phrases and prefixes."""
        if filters.sort == "newest" or main is None:
            collector = collectors.SortingCollector("created", limit=limit, reverse=True)  # no scoring
        else:
            collector = CountingTopCollector(limit)
        if restrict is not None or mask is not None:
            collector = collectors.FilterCollector(collector, allow=restrict, restrict=mask)
        searcher.search_with_collector(main or wq.Every(), collector)
        results = collector.results()
        return Ranked(hits=[_hit(fields) for fields in results], total=len(results))

    def facets(self, query: ParsedQuery, filters: SearchFilters) -> dict:
        searcher = self._searcher()
        main, restrict, mask = self._queries(query, filters)
        if main is _NOTHING:
            return {"type": {}, "community": {}}
        reader = searcher.reader()
        wanted = {
            "type": list(reader.field_terms("type")),
            "community": list(reader.field_terms("community")),
        }
        try:
            counts = arrays.facet_counts(searcher, main, restrict, mask, wanted)
        except arrays.Unsupported:
            return self._facets_by_whoosh(searcher, main, restrict, mask)
        communities = {int(cid): n for cid, n in counts["community"].items() if int(cid) != NO_COMMUNITY}
        return {"type": counts["type"], "community": communities}

    @staticmethod
    def _facets_by_whoosh(searcher, main, restrict, mask) -> dict:
        groups = {
            "type": sorting.FieldFacet("type", maptype=sorting.Count),
            "community": sorting.FieldFacet("community_key", maptype=sorting.Count),
        }
        results = searcher.search(
            main or wq.Every(), limit=1, filter=restrict, mask=mask, groupedby=groups, scored=False
        )
        communities: dict[int, int] = {}
        for key, count in results.groups("community").items():
            for cid in (key or b"").split():
                if int(cid) != NO_COMMUNITY:
                    communities[int(cid)] = communities.get(int(cid), 0) + count
        types = {key: count for key, count in results.groups("type").items() if key}
        return {"type": types, "community": communities}

    def matches(self, query: ParsedQuery, filters: SearchFilters) -> list[tuple[Hit, list[int]]]:
        searcher = self._searcher()
        main, restrict, mask = self._queries(query, filters)
        if main is _NOTHING:
            return []
        try:
            docnums = arrays.matching_documents(searcher, main, restrict, mask)
        except arrays.Unsupported:
            results = searcher.search(
                main or wq.Every(), limit=None, filter=restrict, mask=mask, scored=False
            )
            docnums = [result.docnum for result in results]
        if not docnums:
            return []  # and an empty index has no columns
        communities = searcher.reader().column_reader("community_key")
        return [
            (
                _hit(searcher.stored_fields(docnum)),
                [int(cid) for cid in (communities[docnum] or b"").split() if int(cid) != NO_COMMUNITY],
            )
            for docnum in docnums
        ]

    def status(self) -> dict:
        path = self.current_path()
        counts: dict[str, int] = {}
        try:
            ix = self.open_index()
            with ix.searcher() as searcher:
                for term, freq in _type_frequencies(searcher):
                    counts[term] = freq
        except IndexUnavailable:
            return {"available": False, "documents": {}, "size_bytes": 0, "path": str(path)}
        size = sum(f.stat().st_size for f in path.iterdir() if f.is_file())
        return {"available": True, "documents": counts, "size_bytes": size, "path": str(path)}

    # -- query building ------------------------------------------------------------------------

    def _queries(self, query: ParsedQuery, filters: SearchFilters):
        main = None
        if query.root is not None:
            main = text_query(query.root, filters.in_title)
            main = _NOTHING if main is None else main
        restrict = filter_query(filters)
        hidden = [wq.Term("sole_community", str(cid)) for cid in sorted(filters.hidden_community_ids)]
        hidden += [wq.Term("type", name) for name in filters.excluded_types]
        mask = wq.Or(hidden) if hidden else None
        return main, restrict, mask


def _hit(fields) -> Hit:
    type_name, _, entity_id = fields["key"].partition(":")
    return Hit(type_name, int(entity_id))


def _release(writer) -> None:
    """Give up a writer whose batch or commit failed: its lock must not outlive it, or every later
    writer waits for it (the outbox rows stay, so the batch is indexed again)."""
    try:
        writer.cancel()
    except Exception:
        logger.exception("Search writer could not be cancelled; releasing its lock")
    lock = getattr(writer, "writelock", None)
    if lock is not None and lock.fd is not None:  # cancel() failed before releasing it
        lock.release()


def _take_documents(batches, count: int) -> list:
    """The first `count` documents (or all, if fewer) from an iterator of batches, as one list."""
    documents: list = []
    for batch in batches:
        documents.extend(batch)
        if len(documents) >= count:
            break
    return documents


def _check_count(ix, expected: int) -> None:
    """A writer process that died would lose its documents silently: refuse such an index."""
    with ix.searcher() as searcher:
        found = searcher.doc_count_all()
    if found != expected:
        raise RuntimeError(f"search rebuild indexed {found} documents instead of {expected}")


def _type_frequencies(searcher):
    reader = searcher.reader()
    for term in reader.field_terms("type"):
        # doc_frequency counts deleted documents until a merge; count live ones instead
        yield term, len(list(searcher.docs_for_query(wq.Term("type", term))))
