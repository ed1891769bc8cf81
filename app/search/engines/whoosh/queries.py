"""Parsed queries and filters as Whoosh query objects, over the fields `backend` indexes.

A word is looked for in the title and text field of every field kind, each analysing the word its
own way (DESIGN.md §4), and in the exact-form fields (`title_exact`, `text_exact`: normalised, not
stemmed) with a boost, so that documents with the typed form come first; a quoted word or phrase is
looked for in the exact-form fields only. Several terms from one word make a phrase; `word*` expands
on the stemmed fields (`analysis.prefix_query`).
"""

from datetime import datetime

from whoosh import query as wq

from app.search.analysis import FIELD_LANGUAGES, WORDS, analyze, exact_tokens, is_single_cjk, prefix_query
from app.search.backend import SearchFilters
from app.search.query import Not, Or, Phrase, Word

EPOCH = datetime(1970, 1, 1)
EXACT = "exact"  # the field kind of exact forms: title_exact, text_exact
EXACT_BOOST = 2.0  # an unquoted word's exact form, beside its stems


def day_number(moment: datetime) -> int:
    """Days since 1970, as the `day` field holds them (for before: and after:)."""
    return min(max((moment - EPOCH).days, 0), 0xFFFF)


def text_query(root, in_title: bool):
    """The Whoosh query of a parsed query tree (None when nothing in it can match)."""
    return _to_whoosh(root, in_title)


def _text_fields(kind: str, in_title: bool) -> list[str]:
    return [f"title_{kind}"] if in_title else [f"title_{kind}", f"text_{kind}"]


def _tokens_query(fieldname: str, tokens, boost: float = 1.0) -> wq.Query:
    if len(tokens) == 1:
        return wq.Term(fieldname, tokens[0].term, boost=boost)
    return wq.Phrase(fieldname, [token.term for token in tokens], boost=boost)


def _exact_parts(text: str, stemmed: bool, in_title: bool) -> list:
    """The word's or phrase's exact forms in the exact-form fields (boosted beside its stems)."""
    fields = _text_fields(EXACT, in_title)
    if not stemmed and is_single_cjk(text):  # a lone Han character: the bigrams it begins
        return [wq.Prefix(fieldname, analyze(text, WORDS)[0].term) for fieldname in fields]
    tokens = exact_tokens(text, stemmed)
    if not tokens:
        return []
    boost = EXACT_BOOST if stemmed else 1.0
    return [_tokens_query(fieldname, tokens, boost) for fieldname in fields]


def _prefix_query(text: str, in_title: bool):
    """`text*` in every kind: index terms that begin with the typed beginning, or the typed word's stem."""
    parts = []
    for kind in FIELD_LANGUAGES:
        prefix = prefix_query(text, kind)
        if prefix is None:
            continue
        for fieldname in _text_fields(kind, in_title):
            last = wq.Prefix(fieldname, prefix.beginning)
            if not prefix.whole.startswith(prefix.beginning):
                last = wq.Or([last, wq.Term(fieldname, prefix.whole)])
            exact = [wq.Term(fieldname, term) for term in prefix.exact]
            parts.append(wq.And([*exact, last]) if exact else last)
    return wq.Or(parts) if parts else None


def _text_query(text: str, prefix: bool, in_title: bool):
    if prefix or is_single_cjk(text):
        return _prefix_query(text, in_title)
    parts = []
    for kind in FIELD_LANGUAGES:
        tokens = analyze(text, kind)
        if tokens:
            parts.extend(_tokens_query(fieldname, tokens) for fieldname in _text_fields(kind, in_title))
    if parts:
        parts.extend(_exact_parts(text, True, in_title))
    return wq.Or(parts) if parts else None


def _exact_query(text: str, in_title: bool):
    """A quoted word or phrase: its exact forms only."""
    parts = _exact_parts(text, False, in_title)
    return (parts[0] if len(parts) == 1 else wq.Or(parts)) if parts else None


def _to_whoosh(node, in_title: bool):
    """A query tree node as a Whoosh query (None when it matches nothing analysable)."""
    if isinstance(node, Word):
        return _text_query(node.text, node.prefix, in_title)
    if isinstance(node, Phrase):
        return _exact_query(node.text, in_title) if node.exact else _text_query(node.text, False, in_title)
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


def filter_query(filters: SearchFilters):
    """The filters as one Whoosh query (None when there are none)."""
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
    parts += [wq.Term("has", value) for value in dict.fromkeys(filters.has)]
    if filters.before or filters.after:  # dates (midnight): whole days
        first = day_number(filters.after) if filters.after else None
        last = day_number(filters.before) - 1 if filters.before else None
        parts.append(wq.NumericRange("day", first, last))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)
