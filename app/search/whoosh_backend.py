"""The Whoosh engine (whoosh-reloaded) for the embedded deployment.

Layout of SEARCH_INDEX_DIR: generation directories `gen-*` and a file `CURRENT` naming the one in
use. A rebuild writes a new generation and replaces `CURRENT` atomically, so searching goes on
meanwhile. Readers are snapshots and not thread-safe: one searcher per thread, refreshed per request.
Only the indexer (and a rebuild) open writers; nothing here is called with a writer on a request path.
"""

import logging
import os
import shutil
import threading
import time
from html import unescape
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import sorting
from whoosh.analysis import Token as WhooshToken
from whoosh.analysis import Tokenizer
from whoosh.fields import DATETIME, ID, KEYWORD, TEXT, Schema
from whoosh.reading import EmptyReader

from app.search.analysis import ANALYZER_VERSION, FIELD_LANGUAGES, WORDS, analyze, field_kind
from app.search.backend import NO_COMMUNITY, Hit, Ranked, SearchBackend, SearchFilters
from app.search.query import Not, Or, ParsedQuery, Phrase, Word

logger = logging.getLogger(__name__)

SCHEMA_VERSION = f"1.{ANALYZER_VERSION}"
CURRENT_FILE = "CURRENT"
VERSION_FILE = "MAJLIS_SCHEMA"
TITLE_BOOST = 2.0


_NOTHING = object()  # the query has words, but none that can match


class IndexUnavailable(Exception):
    """The index is missing, unreadable or from another schema version: it must be rebuilt."""


class MajlisTokenizer(Tokenizer):
    """Feeds `app.search.analysis.analyze` into Whoosh. Holds only the field kind (it is pickled)."""

    def __init__(self, kind: str):
        self.kind = kind

    def __eq__(self, other):
        return isinstance(other, MajlisTokenizer) and other.kind == self.kind

    def __hash__(self):
        return hash(("MajlisTokenizer", self.kind))

    def __call__(
        self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
        start_pos=0, start_char=0, tokenize=True, mode="", **kwargs,
    ):  # fmt: skip
        token = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for item in analyze(value, self.kind):
            for term in item.terms:
                token.text = term
                token.boost = 1.0
                token.stopped = False
                if positions:
                    token.pos = start_pos + item.position
                if chars:
                    token.startchar = start_char + item.start
                    token.endchar = start_char + item.end
                yield token


def build_schema() -> Schema:
    fields = {
        "key": ID(stored=True, unique=True),
        "type": ID(sortable=True),
        "community": KEYWORD(),  # one term per community id
        "community_key": ID(sortable=True),  # all ids, space-separated, for facet counts
        "sole_community": ID(),  # set when the document belongs to exactly one community
        "author": ID(),
        "status": ID(),
        "thread": ID(),
        "created": DATETIME(sortable=True),
        "words": TEXT(analyzer=MajlisTokenizer(WORDS), phrase=False),
        "title_words": TEXT(analyzer=MajlisTokenizer(WORDS), phrase=False),
    }
    for kind in FIELD_LANGUAGES:
        fields[f"title_{kind}"] = TEXT(analyzer=MajlisTokenizer(kind), field_boost=TITLE_BOOST)
        fields[f"text_{kind}"] = TEXT(analyzer=MajlisTokenizer(kind))
    return Schema(**fields)


def document_key(type_name: str, entity_id: int) -> str:
    return f"{type_name}:{entity_id}"


def _document_fields(doc) -> dict:
    kind = field_kind(doc.language)
    title, text = unescape(doc.title or ""), unescape(doc.text or "")  # plain_text() escapes entities
    communities = [str(cid) for cid in (doc.community_ids or [NO_COMMUNITY])]
    fields = {
        "key": document_key(doc.type, doc.id),
        "type": doc.type,
        "community": " ".join(communities),
        "community_key": " ".join(communities),
        "author": (doc.author_username or "").lower(),
        "created": doc.created_at,
        f"title_{kind}": title,
        f"text_{kind}": text,
        "title_words": title,
        "words": text,
    }
    if len(communities) == 1:
        fields["sole_community"] = communities[0]
    if doc.status:
        fields["status"] = doc.status.lower()
    if doc.thread_id:
        fields["thread"] = str(doc.thread_id)
    return fields


class WhooshBackend(SearchBackend):
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
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

    def create_empty(self) -> None:
        """An empty current index (first start, or tests)."""
        self.rebuild([])

    # -- writing -------------------------------------------------------------------------------

    def index(self, documents, deletions=()) -> None:
        """One writer, one commit for the whole batch."""
        if not documents and not deletions:
            return
        ix = self.open_index()
        writer = ix.writer(timeout=30.0, limitmb=128)
        try:
            for hit in deletions:
                writer.delete_by_term("key", document_key(hit.type, hit.id))
            for doc in documents:
                writer.update_document(**_document_fields(doc))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def rebuild(self, batches, progress=None) -> int:
        """Index every document into a new generation, then swap it in."""
        path = self._new_generation()
        ix = whoosh_index.create_in(str(path), build_schema())
        writer = ix.writer(limitmb=256)
        count = 0
        try:
            for batch in batches:
                for doc in batch:
                    writer.add_document(**_document_fields(doc))
                count += len(batch)
                if progress:
                    progress(len(batch))
        except BaseException:
            writer.cancel()
            shutil.rmtree(path, ignore_errors=True)
            raise
        writer.commit()
        (path / VERSION_FILE).write_text(SCHEMA_VERSION)
        self._swap(path)
        logger.info("Search index rebuilt with %s documents in %s", count, path)
        return count

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
        """The searcher itself if current, else a new snapshot (Whoosh cannot refresh an empty reader)."""
        if isinstance(searcher.ixreader, EmptyReader):
            searcher.close()
            return self.open_index().searcher()
        return searcher if searcher.up_to_date() else searcher.refresh()

    def close(self) -> None:
        state = getattr(self._local, "state", None)
        if state is not None:
            state[1].close()
            self._local.state = None

    def ranked(self, query: ParsedQuery, filters: SearchFilters, limit: int) -> Ranked:
        searcher = self._searcher()
        main, restrict, mask = self._queries(query, filters)
        if main is _NOTHING:
            return Ranked(hits=[], total=0)
        options = {"limit": limit, "filter": restrict, "mask": mask}
        if filters.sort == "newest" or main is None:
            options.update(sortedby="created", reverse=True)
        results = searcher.search(main or wq.Every(), **options)
        hits = []
        for hit in results:
            type_name, _, entity_id = hit["key"].partition(":")
            hits.append(Hit(type_name, int(entity_id)))
        return Ranked(hits=hits, total=len(results))

    def facets(self, query: ParsedQuery, filters: SearchFilters) -> dict:
        searcher = self._searcher()
        main, restrict, mask = self._queries(query, filters)
        if main is _NOTHING:
            return {"type": {}, "community": {}}
        groups = {
            "type": sorting.FieldFacet("type", maptype=sorting.Count),
            "community": sorting.FieldFacet("community_key", maptype=sorting.Count),
        }
        results = searcher.search(main or wq.Every(), limit=1, filter=restrict, mask=mask, groupedby=groups)
        communities: dict[int, int] = {}
        for key, count in results.groups("community").items():
            for cid in (key or "").split():
                if int(cid) != NO_COMMUNITY:
                    communities[int(cid)] = communities.get(int(cid), 0) + count
        types = {key: count for key, count in results.groups("type").items() if key}
        return {"type": types, "community": communities}

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
            main = _to_whoosh(query.root, filters.in_title)
            main = _NOTHING if main is None else main
        restrict = _filter_query(filters)
        mask = None
        if filters.hidden_community_ids:
            mask = wq.Or(
                [wq.Term("sole_community", str(cid)) for cid in sorted(filters.hidden_community_ids)]
            )
        return main, restrict, mask


def _type_frequencies(searcher):
    reader = searcher.reader()
    for term in reader.field_terms("type"):
        # doc_frequency counts deleted documents until a merge; count live ones instead
        yield term, len(list(searcher.docs_for_query(wq.Term("type", term))))


def _text_fields(kind: str, in_title: bool) -> list[str]:
    return [f"title_{kind}"] if in_title else [f"title_{kind}", f"text_{kind}"]


def _tokens_query(fieldname: str, tokens) -> wq.Query:
    if len(tokens) == 1:
        terms = tokens[0].terms
        if len(terms) == 1:
            return wq.Term(fieldname, terms[0])
        return wq.Or([wq.Term(fieldname, term) for term in terms])
    return wq.Phrase(fieldname, [token.terms[0] for token in tokens])


def _prefix_query(text: str, in_title: bool):
    tokens = analyze(text, WORDS)
    if not tokens:
        return None
    fields = ["title_words"] if in_title else ["title_words", "words"]
    parts = []
    for fieldname in fields:
        exact = [wq.Term(fieldname, token.terms[0]) for token in tokens[:-1]]
        parts.append(wq.And([*exact, wq.Prefix(fieldname, tokens[-1].terms[0])]) if exact else
                     wq.Prefix(fieldname, tokens[-1].terms[0]))  # fmt: skip
    return wq.Or(parts)


def _is_single_cjk(text: str) -> bool:
    tokens = analyze(text, WORDS)
    return len(tokens) == 1 and len(tokens[0].terms[0]) == 1 and not tokens[0].terms[0].isascii()


def _text_query(text: str, prefix: bool, in_title: bool):
    if prefix or _is_single_cjk(text):
        return _prefix_query(text, in_title)
    parts = []
    for kind in FIELD_LANGUAGES:
        tokens = analyze(text, kind)
        if tokens:
            parts.extend(_tokens_query(fieldname, tokens) for fieldname in _text_fields(kind, in_title))
    return wq.Or(parts) if parts else None


def _to_whoosh(node, in_title: bool):
    """A query tree node as a Whoosh query (None when it matches nothing analysable)."""
    if isinstance(node, Word):
        return _text_query(node.text, node.prefix, in_title)
    if isinstance(node, Phrase):
        return _text_query(node.text, False, in_title)
    if isinstance(node, Not):
        inner = _to_whoosh(node.node, in_title)
        return wq.Not(inner) if inner is not None else None
    children = [child for child in (_to_whoosh(n, in_title) for n in node.nodes) if child is not None]
    if not children:
        return None
    if isinstance(node, Or):
        return wq.Or(children)
    if all(isinstance(child, wq.Not) for child in children):
        children.insert(0, wq.Every())
    return wq.And(children)


def _any_of(fieldname: str, values) -> wq.Query:
    terms = [wq.Term(fieldname, str(value)) for value in values]
    return terms[0] if len(terms) == 1 else wq.Or(terms)


def _filter_query(filters: SearchFilters):
    parts = []
    if filters.types:
        parts.append(_any_of("type", filters.types))
    if filters.authors:
        parts.append(_any_of("author", filters.authors))
    if filters.community_ids is not None:
        parts.append(_any_of("community", sorted(filters.community_ids) or [-1]))
    if filters.statuses:
        parts.append(_any_of("status", filters.statuses))
    if filters.thread_ids:
        parts.append(_any_of("thread", filters.thread_ids))
    if filters.before or filters.after:
        parts.append(wq.DateRange("created", filters.after, filters.before, endexcl=True))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)
