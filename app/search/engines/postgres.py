"""The PostgreSQL engine (SEARCH_BACKEND=postgres) for the scale-out deployment (DESIGN.md §4).

Documents go into one table, `search_documents`, that the engine owns like Whoosh owns its directory
(derived data, outside the migrations: `flask search reindex` rebuilds it). Text is analysed in Python
by the same `app.search.analysis.analyze` that feeds Whoosh, and stored as a `tsvector` literal, so
PostgreSQL never stems anything itself:

- every term is namespaced by its field kind (`en:connect`, `fr:connect`, `other:信息`), which
  reproduces Whoosh's one-field-per-language layout in one column;
- title terms carry weight A (ranked twice as high, and `in:title` keeps only them), text terms weight D;
  the text starts a few positions after the title so that phrases never run across the two;
- exact forms (normalised, not stemmed) are there too, as `exact:…` lexemes at the same positions, with
  weight B in the title and C in the text: a quoted word or phrase matches only them, an unquoted word
  matches them beside its stems, ranked twice as high (so documents with the typed form come first);
- queries become `tsquery` values built from the same tree and the same analysis: a word is an OR over
  the kinds, several tokens (a phrase, CJK bigrams) are `<->` chains, a prefix is `'en:…':*` (or the
  typed word's own stem) in each kind, as in Whoosh.

Writes run in the caller's session: the indexer deletes its outbox rows in the same transaction, so a
batch is indexed exactly when its rows are gone. A GIN index serves the matching.
"""

import logging
from html import unescape

from sqlalchemy import text as sql

from app.extensions import db
from app.search.analysis import (
    ANALYZER_VERSION,
    FIELD_LANGUAGES,
    WORDS,
    analyze,
    exact_tokens,
    field_kind,
    is_single_cjk,
    prefix_query,
)
from app.search.backend import NO_COMMUNITY, Hit, IndexUnavailable, Ranked, SearchBackend, SearchFilters
from app.search.query import Not, Or, ParsedQuery, Phrase, Word

logger = logging.getLogger(__name__)

TABLE = "search_documents"
SCHEMA_VERSION = f"majlis-search 3.{ANALYZER_VERSION}"
MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
TEXT_OFFSET = 8  # positions between the title and the text
# D (text), C (text, exact forms), B (title, exact forms), A (title): the title counts twice, and so does
# an exact form beside its stem
RANK_WEIGHTS = "{0.25, 0.5, 1.0, 0.5}"
EXACT = "exact"  # the namespace of exact forms

_NOTHING = object()  # the query has words, but none that can match

CREATE_STATEMENTS = [
    f"""CREATE TABLE {TABLE} (
        key text PRIMARY KEY,
        type text NOT NULL,
        entity_id integer NOT NULL,
        communities integer[] NOT NULL,
        sole_community integer,
        author text NOT NULL,
        status text,
        thread_id integer,
        has text[] NOT NULL,
        created timestamp NOT NULL,
        vector tsvector NOT NULL
    )""",
    f"CREATE INDEX ix_{TABLE}_vector ON {TABLE} USING gin (vector)",
    f"CREATE INDEX ix_{TABLE}_communities ON {TABLE} USING gin (communities)",
    f"CREATE INDEX ix_{TABLE}_created ON {TABLE} (created)",
    f"COMMENT ON TABLE {TABLE} IS '{SCHEMA_VERSION}'",
]


# -- documents ---------------------------------------------------------------------------------


def _quote(lexeme: str) -> str:
    """A lexeme quoted for tsvector/tsquery input (quotes and backslashes doubled)."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _vector_entries(tokens, namespace: str, offset: int, weight: str) -> list[str]:
    return [
        f"{_quote(f'{namespace}:{token.term}')}:{min(MAX_POSITION, offset + token.position + 1)}{weight}"
        for token in tokens
    ]


def document_vector(title: str, body: str, language: str | None) -> str:
    """The tsvector literal of a document in its language's kind, title then text."""
    kind = field_kind(language)
    title_tokens, title_exact = analyze(title, kind), analyze(title, WORDS)
    text_offset = max(len(title_tokens), len(title_exact)) + TEXT_OFFSET
    entries = _vector_entries(title_tokens, kind, 0, "A")
    entries += _vector_entries(title_exact, EXACT, 0, "B")
    entries += _vector_entries(analyze(body, kind), kind, text_offset, "")
    entries += _vector_entries(analyze(body, WORDS), EXACT, text_offset, "C")
    return " ".join(entries)


def _row(doc) -> dict:
    communities = list(doc.community_ids or [NO_COMMUNITY])
    return {
        "key": f"{doc.type}:{doc.id}",
        "type": doc.type,
        "entity_id": doc.id,
        "communities": communities,
        "sole_community": communities[0] if len(communities) == 1 else None,
        "author": (doc.author_username or "").lower(),
        "status": doc.status.lower() if doc.status else None,
        "thread_id": doc.thread_id,
        "has": list(doc.has),
        "created": doc.created_at,
        "vector": document_vector(unescape(doc.title or ""), unescape(doc.text or ""), doc.language),
    }


_UPSERT = sql(
    f"""INSERT INTO {TABLE} (key, type, entity_id, communities, sole_community, author, status, thread_id,
                             has, created, vector)
        VALUES (:key, :type, :entity_id, :communities, :sole_community, :author, :status, :thread_id,
                :has, :created, CAST(:vector AS tsvector))
        ON CONFLICT (key) DO UPDATE SET type = EXCLUDED.type, entity_id = EXCLUDED.entity_id,
            communities = EXCLUDED.communities, sole_community = EXCLUDED.sole_community,
            author = EXCLUDED.author, status = EXCLUDED.status, thread_id = EXCLUDED.thread_id, has = EXCLUDED.has,
            created = EXCLUDED.created, vector = EXCLUDED.vector"""
)


# -- queries -----------------------------------------------------------------------------------


def _lexeme(namespace: str, term: str, in_title: bool, prefix: bool = False) -> str:
    flags = ("*" if prefix else "") + (("B" if namespace == EXACT else "A") if in_title else "")
    return _quote(f"{namespace}:{term}") + (f":{flags}" if flags else "")


def _any(parts: list[str], operator: str) -> str:
    return parts[0] if len(parts) == 1 else "(" + f" {operator} ".join(parts) + ")"


def _tokens_query(namespace: str, tokens, in_title: bool) -> str:
    if len(tokens) == 1:
        return _lexeme(namespace, tokens[0].term, in_title)
    return "(" + " <-> ".join(_lexeme(namespace, token.term, in_title) for token in tokens) + ")"


def _prefix_query(text: str, in_title: bool) -> str | None:
    """`text*` in every kind: lexemes that begin with the typed beginning, or the typed word's stem."""
    parts = []
    for kind in FIELD_LANGUAGES:
        prefix = prefix_query(text, kind)
        if prefix is None:
            continue
        last = [_lexeme(kind, prefix.beginning, in_title, prefix=True)]
        if not prefix.whole.startswith(prefix.beginning):
            last.append(_lexeme(kind, prefix.whole, in_title))
        exact = [_lexeme(kind, term, in_title) for term in prefix.exact]
        parts.append(_any([*exact, _any(last, "|")], "&"))
    return _any(parts, "|") if parts else None


def _text_query(text: str, prefix: bool, in_title: bool) -> str | None:
    if prefix or is_single_cjk(text):
        return _prefix_query(text, in_title)
    parts = []
    for kind in FIELD_LANGUAGES:
        tokens = analyze(text, kind)
        if tokens:
            parts.append(_tokens_query(kind, tokens, in_title))
    exact = exact_tokens(text, stemmed=True)
    if parts and exact:
        parts.append(_tokens_query(EXACT, exact, in_title))
    return _any(parts, "|") if parts else None


def _exact_query(text: str, in_title: bool) -> str | None:
    """A quoted word or phrase: its exact forms only (a lone Han character: the bigrams it begins)."""
    if is_single_cjk(text):
        return _lexeme(EXACT, analyze(text, WORDS)[0].term, in_title, prefix=True)
    tokens = exact_tokens(text, stemmed=False)
    return _tokens_query(EXACT, tokens, in_title) if tokens else None


def to_tsquery(node, in_title: bool) -> str | None:
    """A query tree node as tsquery text (None when nothing in it can be analysed)."""
    if isinstance(node, Word):
        return _text_query(node.text, node.prefix, in_title)
    if isinstance(node, Phrase):
        return _exact_query(node.text, in_title) if node.exact else _text_query(node.text, False, in_title)
    if isinstance(node, Not):
        inner = to_tsquery(node.node, in_title)
        return f"!{inner}" if inner is not None else None
    children = [child for child in (to_tsquery(n, in_title) for n in node.nodes) if child is not None]
    if not children:
        return None
    return _any(children, "|" if isinstance(node, Or) else "&")


def _where(query: ParsedQuery, filters: SearchFilters) -> tuple[list[str], dict] | object:
    """SQL conditions and parameters for the query and filters, or _NOTHING."""
    conditions, params = [], {}
    if query.root is not None:
        tsquery = to_tsquery(query.root, filters.in_title)
        if tsquery is None:
            return _NOTHING
        conditions.append("vector @@ CAST(:tsquery AS tsquery)")
        params["tsquery"] = tsquery
    for column, values in (
        ("type", filters.types),
        ("author", filters.authors),
        ("status", filters.statuses),
        ("thread_id", filters.thread_ids),
    ):
        if values:
            conditions.append(f"{column} = ANY(:{column}s)")
            params[f"{column}s"] = list(values)
    if filters.has:
        conditions.append("has @> CAST(:has AS text[])")
        params["has"] = list(dict.fromkeys(filters.has))
    if filters.community_ids is not None:
        conditions.append("communities && CAST(:community_ids AS integer[])")
        params["community_ids"] = sorted(filters.community_ids) or [-1]
    if filters.after:
        conditions.append("created >= :after")
        params["after"] = filters.after
    if filters.before:
        conditions.append("created < :before")
        params["before"] = filters.before
    if filters.excluded_types:
        conditions.append("NOT type = ANY(:excluded_types)")
        params["excluded_types"] = list(filters.excluded_types)
    if filters.hidden_community_ids:
        conditions.append("(sole_community IS NULL OR NOT sole_community = ANY(:hidden))")
        params["hidden"] = sorted(filters.hidden_community_ids)
    return conditions, params


class PostgresBackend(SearchBackend):
    """Full-text search in PostgreSQL: tsvector + GIN, fed by our analyzer."""

    def __init__(self, app):
        self.app = app

    def _engine(self):
        """The app's engine, also from threads without an app context (the indexer loop)."""
        with self.app.app_context():
            return db.engine

    def _require_table(self) -> None:
        if not self.is_healthy():
            raise IndexUnavailable(f"table {TABLE} missing or not {SCHEMA_VERSION}")

    def is_healthy(self) -> bool:
        """The table exists and was built by this analyzer version (its comment says which)."""
        with self._engine().connect() as connection:
            comment = connection.execute(
                sql("SELECT obj_description(to_regclass(:table), 'pg_class')"), {"table": TABLE}
            ).scalar()
        return comment == SCHEMA_VERSION

    # -- writing -------------------------------------------------------------------------------

    def index(self, documents, deletions=()) -> None:
        """Upsert and delete in the caller's transaction (the indexer commits it with its outbox rows)."""
        if not documents and not deletions:
            return
        self._require_table()
        if deletions:
            keys = [f"{hit.type}:{hit.id}" for hit in deletions]
            db.session.execute(sql(f"DELETE FROM {TABLE} WHERE key = ANY(:keys)"), {"keys": keys})
        if documents:
            latest = {f"{doc.type}:{doc.id}": _row(doc) for doc in documents}
            db.session.execute(_UPSERT, list(latest.values()))

    def rebuild(self, batches, progress=None) -> int:
        """Refill the table in one transaction (searches see the old rows until it commits); a missing
        or outdated table is recreated."""
        count = 0
        healthy = self.is_healthy()
        with self._engine().begin() as connection:
            if healthy:
                connection.execute(sql(f"DELETE FROM {TABLE}"))
            else:
                connection.execute(sql(f"DROP TABLE IF EXISTS {TABLE}"))
                for statement in CREATE_STATEMENTS:
                    connection.execute(sql(statement))
            for batch in batches:
                rows = [_row(doc) for doc in batch]
                if rows:
                    connection.execute(_UPSERT, rows)
                count += len(rows)
                if progress:
                    progress(len(rows))
        logger.info("Search table rebuilt with %s documents", count)
        return count

    # -- reading -------------------------------------------------------------------------------

    def ranked(self, query: ParsedQuery, filters: SearchFilters, limit: int) -> Ranked:
        self._require_table()
        where = _where(query, filters)
        if where is _NOTHING:
            return Ranked(hits=[], total=0)
        conditions, params = where
        clause = " AND ".join(conditions) or "TRUE"
        if filters.sort == "newest" or query.root is None:
            order = "created DESC, key"
        else:
            order = f"ts_rank(CAST('{RANK_WEIGHTS}' AS real[]), vector, CAST(:tsquery AS tsquery)) DESC, created DESC, key"
        rows = db.session.execute(
            sql(
                f"SELECT type, entity_id, count(*) OVER () FROM {TABLE} WHERE {clause} ORDER BY {order} LIMIT :limit"
            ),
            {**params, "limit": limit},
        ).all()
        total = rows[0][2] if rows else 0
        return Ranked(hits=[Hit(type_name, entity_id) for type_name, entity_id, _ in rows], total=total)

    def facets(self, query: ParsedQuery, filters: SearchFilters) -> dict:
        self._require_table()
        where = _where(query, filters)
        if where is _NOTHING:
            return {"type": {}, "community": {}}
        conditions, params = where
        clause = " AND ".join(conditions) or "TRUE"
        types = db.session.execute(
            sql(f"SELECT type, count(*) FROM {TABLE} WHERE {clause} GROUP BY type"), params
        ).all()
        communities = db.session.execute(
            sql(
                f"SELECT community, count(*) FROM {TABLE}, unnest(communities) AS community "
                f"WHERE {clause} AND community <> {NO_COMMUNITY} GROUP BY community"
            ),
            params,
        ).all()
        return {"type": dict(types), "community": dict(communities)}

    def matches(self, query: ParsedQuery, filters: SearchFilters) -> list[tuple[Hit, list[int]]]:
        self._require_table()
        where = _where(query, filters)
        if where is _NOTHING:
            return []
        conditions, params = where
        clause = " AND ".join(conditions) or "TRUE"
        rows = db.session.execute(
            sql(f"SELECT type, entity_id, communities FROM {TABLE} WHERE {clause}"), params
        ).all()
        return [
            (Hit(type_name, entity_id), [cid for cid in communities if cid != NO_COMMUNITY])
            for type_name, entity_id, communities in rows
        ]

    def status(self) -> dict:
        """Document counts by type and the table's size (works outside an app context, as Whoosh's)."""
        where = f"PostgreSQL table {TABLE}"
        if not self.is_healthy():
            return {"available": False, "documents": {}, "size_bytes": 0, "path": where}
        with self._engine().connect() as connection:
            counts = connection.execute(sql(f"SELECT type, count(*) FROM {TABLE} GROUP BY type")).all()
            size = connection.execute(
                sql("SELECT pg_total_relation_size(to_regclass(:t))"), {"t": TABLE}
            ).scalar()
        return {"available": True, "documents": dict(counts), "size_bytes": size, "path": where}
