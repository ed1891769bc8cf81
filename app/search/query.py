"""The search query language, parsed into a backend-neutral tree.

    words            all must match            "exact phrase"    words next to each other
    a OR b           either                    -word / -"phrase"  must not match
    word*            prefix                    author:name  community:slug  type:post|thread|contribution
    before:YYYY-MM-DD  after:YYYY-MM-DD        in:title  status:accepted  thread:42  has:attachment

Implicit AND binds looser than OR: `a b OR c` means a AND (b OR c). The parser never raises: what
it cannot use it drops, and says so in `ParsedQuery.messages` (lazy, translatable strings).
"""

import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

from app.core.database import parse_id
from app.search.analysis import is_stop_word

MAX_QUERY_LENGTH = 500
MAX_TERMS = 32
DOCUMENT_TYPES = ("post", "thread", "contribution", "document")
FILTER_KEYS = ("author", "community", "type", "before", "after", "in", "status", "thread", "has")
HAS_VALUES = {"attachment": "attachment", "file": "attachment"}  # has:attachment(s), has:file(s)

_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff]")
_HAS_WORD_RE = re.compile(r"\w")
_TOKEN_RE = re.compile(
    r'(?P<neg>-)?(?:(?P<key>[A-Za-z]+):(?:"(?P<qvalue>[^"]*)"?|(?P<value>[^\s"]*))'
    r'|"(?P<phrase>[^"]*)(?P<closed>"?)|(?P<word>[^\s"]+))'
)


@dataclass(frozen=True)
class Word:
    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    text: str
    exact: bool = True  # typed in quotes: the words' exact forms (normalised, not stemmed)


@dataclass(frozen=True)
class Not:
    node: object


@dataclass(frozen=True)
class And:
    nodes: tuple


@dataclass(frozen=True)
class Or:
    nodes: tuple


@dataclass
class QueryFilters:
    """The filters of a query, as typed (slugs and usernames are resolved by the search service)."""

    authors: list[str] = field(default_factory=list)
    communities: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    threads: list[int] = field(default_factory=list)
    has: list[str] = field(default_factory=list)  # "attachment"
    before: date | None = None
    after: date | None = None
    in_title: bool = False

    def is_empty(self) -> bool:
        return not (
            self.authors or self.communities or self.types or self.statuses or self.threads or self.has
        ) and not (self.before or self.after or self.in_title)


@dataclass
class ParsedQuery:
    root: object | None  # Word | Phrase | Not | And | Or, or None when nothing is left to match
    filters: QueryFilters
    messages: list = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return self.root is None and self.filters.is_empty()


def clean(text: str | None) -> tuple[str, list]:
    """Control characters become spaces; over-long queries are cut (with a message)."""
    messages = []
    text = _CONTROL_RE.sub(" ", text or "")
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH]
        messages.append(
            _l("Your search was too long and was cut to %(count)d characters.", count=MAX_QUERY_LENGTH)
        )
    return text.strip(), messages


def parse(text: str | None) -> ParsedQuery:
    """Parse a query; never raises."""
    text, messages = clean(text)
    filters = QueryFilters()
    items: list = []  # nodes and the string "OR"
    for match in _TOKEN_RE.finditer(text):
        node = _read_token(match, filters, messages)
        if node is not None:
            items.append(node)
    root = _combine(items, messages)
    return ParsedQuery(root=_drop_stop_words(root, messages), filters=filters, messages=messages)


def _read_token(match, filters: QueryFilters, messages: list):
    negated = bool(match.group("neg"))
    if match.group("key") is not None:
        key = match.group("key").lower()
        value = match.group("qvalue") if match.group("qvalue") is not None else match.group("value")
        if key in FILTER_KEYS:
            if negated:
                messages.append(_l("Filters cannot be excluded: “-%(key)s:” was ignored.", key=key))
                return None
            _apply_filter(key, (value or "").strip(), filters, messages)
            return None
        return (
            _negate(Phrase(f"{key} {value}", exact=False), negated) if value else _negate(Word(key), negated)
        )
    if match.group("phrase") is not None:
        if not match.group("closed"):
            messages.append(_l("A quotation mark was not closed; the phrase runs to the end of the search."))
        phrase = match.group("phrase").strip()
        return _negate(Phrase(phrase), negated) if _HAS_WORD_RE.search(phrase) else None
    word = match.group("word")
    if word == "OR" and not negated:
        return "OR"
    return _word(word, negated)


def _word(word: str, negated: bool):
    prefix = word.endswith("*")
    word = word.strip("*")
    if not _HAS_WORD_RE.search(word):
        return None
    node = Word(word, prefix=prefix)
    return _negate(node, negated)


def _negate(node, negated: bool):
    return Not(node) if negated else node


def _apply_filter(key: str, value: str, filters: QueryFilters, messages: list) -> None:
    if not value:
        messages.append(
            _l("“%(key)s:” needs a value, for example %(example)s.", key=key, example=_EXAMPLES[key])
        )
        return
    handler = _FILTER_HANDLERS[key]
    handler(value, filters, messages)


def _author(value, filters, messages):
    filters.authors.append(value.lstrip("@").lower())


def _community(value, filters, messages):
    filters.communities.append(value.lower())


def _type(value, filters, messages):
    value = value.lower().rstrip("s")
    if value in DOCUMENT_TYPES:
        filters.types.append(value)
    else:
        messages.append(
            _l("Unknown type “%(value)s”: use post, thread, contribution or document.", value=value)
        )


def _date(key):
    def handler(value, filters, messages):
        try:
            setattr(filters, key, date.fromisoformat(value))
        except ValueError:
            messages.append(
                _l("“%(key)s:%(value)s” is not a date: write it as YYYY-MM-DD.", key=key, value=value)
            )

    return handler


def _in(value, filters, messages):
    if value.lower() == "title":
        filters.in_title = True
    else:
        messages.append(_l("Only “in:title” is supported."))


def _status(value, filters, messages):
    filters.statuses.append(value.lower())


def _thread(value, filters, messages):
    thread_id = parse_id(value)
    if thread_id is not None:
        filters.threads.append(thread_id)
    else:
        messages.append(_l("“thread:” takes a thread number, for example thread:42."))


def _has(value, filters, messages):
    wanted = HAS_VALUES.get(value.lower().rstrip("s"))
    if wanted is not None:
        filters.has.append(wanted)
    else:
        messages.append(_l("Only “has:attachment” is supported."))


_FILTER_HANDLERS = {
    "author": _author,
    "community": _community,
    "type": _type,
    "before": _date("before"),
    "after": _date("after"),
    "in": _in,
    "status": _status,
    "thread": _thread,
    "has": _has,
}
_EXAMPLES = {
    "author": "author:amina",
    "community": "community:c7-e-health",
    "type": "type:thread",
    "before": "before:2017-02-20",
    "after": "after:2016-09-01",
    "in": "in:title",
    "status": "status:accepted",
    "thread": "thread:42",
    "has": "has:attachment",
}


def _combine(items: list, messages: list):
    """Group `x OR y` runs, then AND the groups together."""
    groups: list[list] = []
    pending_or = False
    lone_or = False
    for item in items:
        if item == "OR":
            if not groups or pending_or:
                lone_or = True
            pending_or = True
            continue
        if pending_or and groups:
            groups[-1].append(item)
        else:
            groups.append([item])
        pending_or = False
    if pending_or:
        lone_or = True
    if lone_or:
        messages.append(_l("“OR” needs a word on each side, as in: internet OR broadband."))
    nodes = [group[0] if len(group) == 1 else Or(tuple(group)) for group in groups]
    if _count_terms(nodes) > MAX_TERMS:
        messages.append(_l("Only the first %(count)d words were used.", count=MAX_TERMS))
        nodes = _limit_terms(nodes)
    if not nodes:
        return None
    return nodes[0] if len(nodes) == 1 else And(tuple(nodes))


def _count_terms(nodes) -> int:
    return sum(len(node.nodes) if isinstance(node, Or) else 1 for node in nodes)


def _limit_terms(nodes):
    kept, count = [], 0
    for node in nodes:
        size = len(node.nodes) if isinstance(node, Or) else 1
        if count + size > MAX_TERMS:
            break
        kept.append(node)
        count += size
    return kept


def _is_stop(node) -> bool:
    return isinstance(node, Word) and not node.prefix and is_stop_word(node.text)


def _drop_stop_words(root, messages: list):
    """Very common words are not required when something else is searched for."""
    if isinstance(root, And):
        kept = tuple(node for node in root.nodes if not _is_stop(node))
        positive = [node for node in kept if not isinstance(node, Not)]
        if positive and len(kept) < len(root.nodes):
            return kept[0] if len(kept) == 1 else And(kept)
        if not positive and any(_is_stop(node) for node in root.nodes):
            messages.append(_only_stop_words_message())
        return root
    if _is_stop(root):
        messages.append(_only_stop_words_message())
    return root


def _only_stop_words_message():
    return _l("Your search contains only very common words; add a more specific word for better results.")


def positive_nodes(root) -> list:
    """The Word and Phrase nodes that are not excluded (for highlighting)."""
    if root is None or isinstance(root, Not):
        return []
    if isinstance(root, And | Or):
        return [leaf for node in root.nodes for leaf in positive_nodes(node)]
    return [root]


def has_positive(root) -> bool:
    """Whether the query requires or offers at least one word (not only exclusions)."""
    return bool(positive_nodes(root))
