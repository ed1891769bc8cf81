"""The script-aware text analyzer (DESIGN.md §4), independent of any search engine.

Text becomes a list of `Token`s: each has a position, the character span it came from (for
highlighting the original spelling) and one index term. The pipeline:

- words keep their combining marks (Arabic harakat, Latin accents typed as combining characters);
- lowercase; Arabic normalisation as Lucene's ArabicNormalizer (tashkeel and tatweel removed,
  أ إ آ ٱ → ا, ى → ي, ة → ه) then light10 stemming;
- Han, kana and Hangul runs become overlapping bigrams (a lone character stays a unigram); a query
  word of several bigrams is matched as a phrase;
- Cyrillic: ё → е, then the Russian Snowball stemmer;
- Latin: accent folding, then the Snowball stemmer of the field's language. Stemming the folded word
  gives "données" and "donnees" the same term, so accents never matter, with one term per word.

A field kind is one of `FIELD_LANGUAGES`: "en", "fr", "es" (Latin words stemmed for that language)
or "other" (Latin words only folded). Arabic, Chinese and Russian are analysed the same in every kind.
The `words` kind is normalised but unstemmed: the exact forms that a quoted word or phrase matches
(each engine indexes them beside the stemmed terms; diacritics, accents, letter variants and case
still do not matter). A prefix query (`word*`) matches the stemmed index terms that begin with
`prefix_form()` of the typed beginning, or the stem of the typed word itself.

The module keeps no engine state: Whoosh and PostgreSQL wrap `analyze()` / `term_positions()`.
Results are cached per distinct word (vocabularies are Zipfian). Bump `ANALYZER_VERSION` whenever
output changes.
"""

import re
import threading
import unicodedata
from dataclasses import dataclass

import snowballstemmer

ANALYZER_VERSION = 2

LATIN_LANGUAGES = {"en": "english", "fr": "french", "es": "spanish"}
FIELD_LANGUAGES = ("en", "fr", "es", "other")
WORDS = "words"  # normalised, unstemmed: exact forms

_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
WORD_RE = re.compile(rf"[\w{_MARKS}\u0640]+")
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
CJK_RUN_RE = re.compile(rf"[{_CJK}]+")
CJK_CHAR_RE = re.compile(rf"[{_CJK}]")
ARABIC_RE = re.compile(r"[\u0600-\u06ff\u0750-\u077f]")
CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")

_ARABIC_STRIP = dict.fromkeys(
    [*range(0x0610, 0x061B), *range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE), 0x0640]
)
_ARABIC_MAP = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
ARABIC_PREFIXES = ("ال", "وال", "بال", "كال", "فال", "لل", "و")
ARABIC_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")

STOP_WORDS = frozenset(
    """a an and are as at be but by for from has have in into is it its of on or that the their this
    to was were will with au aux avec ce ces dans de des du elle en et il ils la le les leur mais ne
    nous ou par pas pour qu que qui sa se ses son sur un une vous y al como con del el es las lo los
    por se su sus un una y и в во не что он на я с со как а то все она так его но да ты к у же вы за
    бы по из о от ее мне было для мы при это этот эта эти في من على الى إلى عن مع هذا هذه التي الذي و
    的 了 和 是 在""".split()
)


@dataclass(frozen=True, slots=True)
class Token:
    """One position in the text: its index term and where it came from."""

    term: str
    position: int
    start: int
    end: int


_local = threading.local()


def _stemmer(language: str):
    """One Snowball stemmer per thread and language (they keep state while stemming)."""
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    stemmer = stemmers.get(language)
    if stemmer is None:
        stemmer = stemmers[language] = snowballstemmer.stemmer(language)
    return stemmer


def fold_accents(word: str) -> str:
    """Remove combining marks (é → e); used for Latin-script words only."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFD", word)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def normalize_arabic(word: str) -> str:
    """Lucene's ArabicNormalizer: no tashkeel or tatweel, one alef, ya for alef maqsura, ha for ta marbuta."""
    return word.translate(_ARABIC_STRIP).translate(_ARABIC_MAP)


def _strip_arabic_prefix(word: str) -> str:
    for prefix in ARABIC_PREFIXES:
        if word.startswith(prefix):
            if (len(prefix) == 1 and len(word) > 3) or (len(prefix) > 1 and len(word) - len(prefix) >= 2):
                word = word[len(prefix) :]
            break
    return word


def light10(word: str) -> str:
    """Arabic light10 stemming: one prefix, then the listed suffixes, keeping at least two letters."""
    word = _strip_arabic_prefix(word)
    for suffix in ARABIC_SUFFIXES:
        if word.endswith(suffix) and len(word) >= len(suffix) + 2:
            word = word[: -len(suffix)]
    return word


def _compute_term(word: str, kind: str) -> str:
    """The index term of one non-CJK word (any case) for a field kind; "" when nothing is left."""
    word = word.lower()
    if ARABIC_RE.search(word):
        normalized = normalize_arabic(word)
        return normalized if kind == WORDS or not normalized else light10(normalized)
    if CYRILLIC_RE.search(word):
        normalized = word.replace("ё", "е")
        return normalized if kind == WORDS else _stemmer("russian").stemWord(normalized)
    folded = fold_accents(word)
    language = LATIN_LANGUAGES.get(kind)
    return _stemmer(language).stemWord(folded) if language else folded


_CACHE_LIMIT = 100_000
_term_caches: dict[str, dict[str, str]] = {}


def _cache_for(kind: str) -> dict[str, str]:
    cache = _term_caches.get(kind)
    if cache is None:
        cache = _term_caches[kind] = {}
    return cache


def word_term(word: str, kind: str) -> str:
    """The index term of one non-CJK word for a field kind, cached per distinct word.

    A plain dict per kind (cleared when it grows past a limit) rather than `lru_cache`: the lookup
    sits in the indexing loop, and a dict is safe to share between threads as the value is pure.
    Words with CJK characters are never cached (their runs are long and rarely repeat).
    """
    cache = _cache_for(kind)
    term = cache.get(word)
    if term is None:
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        term = cache[word] = _compute_term(word, kind)
    return term


def term_spans(text: str, kind: str):
    """(term, start, end) for each position of `text`, in order, lazily (snippets stop early)."""
    return _spans(text or "", kind)


def _spans(text: str, kind: str):
    """(term, start, end) for each position of `text`, in order."""
    cache = _cache_for(kind)
    for match in WORD_RE.finditer(text):
        word = match.group()
        term = cache.get(word)  # a cached word has no CJK character
        if term is None:
            if CJK_CHAR_RE.search(word):
                yield from _cjk_word_spans(word, match.start(), kind)
                continue
            term = word_term(word, kind)
        if term:
            yield term, match.start(), match.end()


def _cjk_word_spans(word: str, base: int, kind: str):
    for is_cjk, segment, offset in _segments(word):
        start = base + offset
        if not is_cjk:
            term = word_term(segment, kind)
            if term:
                yield term, start, start + len(segment)
        elif len(segment) == 1:
            yield segment, start, start + 1
        else:
            for index in range(len(segment) - 1):
                yield segment[index : index + 2], start + index, start + index + 2


def _segments(word: str):
    """Split a word into CJK runs and the rest: (is_cjk, text, start offset)."""
    last = 0
    for match in CJK_RUN_RE.finditer(word):
        if match.start() > last:
            yield False, word[last : match.start()], last
        yield True, match.group(), match.start()
        last = match.end()
    if last < len(word):
        yield False, word[last:], last


def analyze(text: str, kind: str) -> list[Token]:
    """Tokens of `text` for a field kind ("en", "fr", "es", "other" or "words")."""
    return [
        Token(term, position, start, end)
        for position, (term, start, end) in enumerate(_spans(text or "", kind))
    ]


def term_positions(text: str, kind: str) -> dict[str, list[int]]:
    """Each distinct term of `text` with its positions, as `analyze()` numbers them.

    The indexing fast path: no Token objects and no character offsets.
    """
    cache = _cache_for(kind)
    positions: dict[str, list[int]] = {}
    position = 0
    for word in WORD_RE.findall(text or ""):
        term = cache.get(word)  # a cached word has no CJK character
        if term is None:
            if CJK_CHAR_RE.search(word):
                for term, _, _ in _cjk_word_spans(word, 0, kind):
                    _add_position(positions, term, position)
                    position += 1
                continue
            term = word_term(word, kind)
        if term:
            _add_position(positions, term, position)
            position += 1
    return positions


def _add_position(positions: dict[str, list[int]], term: str, position: int) -> None:
    found = positions.get(term)
    if found is None:
        positions[term] = [position]
    else:
        found.append(position)


def query_terms(text: str, kind: str) -> list[str]:
    """The terms a query word or phrase becomes in a field kind, in order (several = a phrase)."""
    return [term for term, _, _ in _spans(text or "", kind)]


def prefix_form(word: str) -> str:
    """What index terms of words beginning with `word` begin with, in every field kind.

    Latin: folded (stems keep the word's beginning); Cyrillic: ё → е; Arabic: normalised, without
    the article or prefix that light10 would strip; a CJK character or bigram: itself.
    """
    word = word.lower()
    if CJK_CHAR_RE.search(word):
        return word
    if ARABIC_RE.search(word):
        return _strip_arabic_prefix(normalize_arabic(word))
    if CYRILLIC_RE.search(word):
        return word.replace("ё", "е")
    return fold_accents(word)


@dataclass(frozen=True)
class PrefixQuery:
    """A `word*` query in one field kind: exact terms, then a term beginning or the whole last word."""

    exact: tuple[str, ...]  # the terms before the last (for "e-gov*", "e")
    beginning: str  # index terms starting with this match
    whole: str  # and so does this term (the typed word's own stem, shorter than its beginning)


def prefix_query(text: str, kind: str) -> PrefixQuery | None:
    """How `text*` is matched in a field kind (None if nothing in it can be indexed)."""
    tokens = analyze(text, kind)
    if not tokens:
        return None
    last = tokens[-1]
    beginning = prefix_form(text[last.start : last.end]) or last.term
    return PrefixQuery(tuple(token.term for token in tokens[:-1]), beginning, last.term)


def exact_tokens(text: str, stemmed: bool) -> list[Token]:
    """The exact-form tokens a query word or phrase is matched on, beside or instead of its stems.

    An unquoted word (`stemmed`) gets none when all its terms are CJK: bigrams are not stemmed, so
    its exact forms would find the same documents again.
    """
    tokens = analyze(text, WORDS)
    if stemmed and all(CJK_CHAR_RE.search(token.term) for token in tokens):
        return []
    return tokens


def is_single_cjk(text: str) -> bool:
    """A query of one Han character: matched as a prefix of the bigrams it begins."""
    tokens = analyze(text, WORDS)
    return len(tokens) == 1 and len(tokens[0].term) == 1 and not tokens[0].term.isascii()


def is_stop_word(word: str) -> bool:
    """A very common word that is not worth requiring in a query."""
    lowered = word.lower()
    return lowered in STOP_WORDS or normalize_arabic(lowered) in STOP_WORDS


def field_kind(language: str | None) -> str:
    """The field kind for a document's declared language (undeclared: the site default, English)."""
    if not language:
        return "en"
    base = language.split("-")[0].split("_")[0].lower()
    return base if base in LATIN_LANGUAGES else "other"
