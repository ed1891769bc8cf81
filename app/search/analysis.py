"""The script-aware text analyzer (DESIGN.md §4), independent of any search engine.

Text becomes a list of `Token`s: each has a position, the character span it came from (for
highlighting the original spelling) and one or two index terms. The pipeline:

- words keep their combining marks (Arabic harakat, Latin accents typed as combining characters);
- lowercase; Arabic normalisation as Lucene's ArabicNormalizer (tashkeel and tatweel removed,
  أ إ آ ٱ → ا, ى → ي, ة → ه) then light10 stemming;
- Han, kana and Hangul runs become overlapping bigrams (a lone character stays a unigram); a query
  word of several bigrams is matched as a phrase;
- Cyrillic: ё → е, then the Russian Snowball stemmer;
- Latin: the Snowball stemmer of the field's language, then accent folding. As Snowball gives a
  different stem to some words typed without accents ("données" / "donnees"), the stem of the folded
  word is indexed at the same position too, and queries use it, so accents never matter.

A field kind is one of `FIELD_LANGUAGES`: "en", "fr", "es" (Latin words stemmed for that language)
or "other" (Latin words only folded). Arabic, Chinese and Russian are analysed the same in every kind.
The `words` kind is normalised but unstemmed, for prefix queries. The module keeps no engine state:
Whoosh (and later PostgreSQL) wrap `analyze()`. Bump `ANALYZER_VERSION` whenever output changes.
"""

import re
import threading
import unicodedata
from dataclasses import dataclass

import snowballstemmer

ANALYZER_VERSION = 1

LATIN_LANGUAGES = {"en": "english", "fr": "french", "es": "spanish"}
FIELD_LANGUAGES = ("en", "fr", "es", "other")
WORDS = "words"  # unstemmed kind, for prefix queries

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
    """One position in the text: its index terms and where it came from."""

    terms: tuple[str, ...]
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


def _cache() -> dict:
    cache = getattr(_local, "cache", None)
    if cache is None or len(cache) > 200_000:
        cache = _local.cache = {}
    return cache


def fold_accents(word: str) -> str:
    """Remove combining marks (é → e); used for Latin-script words only."""
    decomposed = unicodedata.normalize("NFD", word)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def normalize_arabic(word: str) -> str:
    """Lucene's ArabicNormalizer: no tashkeel or tatweel, one alef, ya for alef maqsura, ha for ta marbuta."""
    return word.translate(_ARABIC_STRIP).translate(_ARABIC_MAP)


def light10(word: str) -> str:
    """Arabic light10 stemming: one prefix, then the listed suffixes, keeping at least two letters."""
    for prefix in ARABIC_PREFIXES:
        if word.startswith(prefix):
            if (len(prefix) == 1 and len(word) > 3) or (len(prefix) > 1 and len(word) - len(prefix) >= 2):
                word = word[len(prefix) :]
            break
    for suffix in ARABIC_SUFFIXES:
        if word.endswith(suffix) and len(word) >= len(suffix) + 2:
            word = word[: -len(suffix)]
    return word


def _latin_terms(word: str, kind: str) -> tuple[str, ...]:
    folded = fold_accents(word)
    language = LATIN_LANGUAGES.get(kind)
    if language is None:
        return (folded,)
    stemmer = _stemmer(language)
    stem_then_fold = fold_accents(stemmer.stemWord(word))
    fold_then_stem = stemmer.stemWord(folded)
    if stem_then_fold == fold_then_stem:
        return (fold_then_stem,)
    return (fold_then_stem, stem_then_fold)  # the first is what queries use


def word_terms(word: str, kind: str) -> tuple[str, ...]:
    """Index terms of one lowercased non-CJK word for a field kind (first term = the query term)."""
    key = (kind, word)
    cache = _cache()
    terms = cache.get(key)
    if terms is not None:
        return terms
    if ARABIC_RE.search(word):
        normalized = normalize_arabic(word)
        terms = (normalized if kind == WORDS else light10(normalized),) if normalized else ()
    elif CYRILLIC_RE.search(word):
        normalized = word.replace("ё", "е")
        terms = (normalized if kind == WORDS else _stemmer("russian").stemWord(normalized),)
    elif kind == WORDS:
        terms = (fold_accents(word),)
    else:
        terms = _latin_terms(word, kind)
    cache[key] = terms
    return terms


def _cjk_tokens(run: str, offset: int, position: int):
    if len(run) == 1:
        yield Token((run,), position, offset, offset + 1)
        return
    for index in range(len(run) - 1):
        yield Token((run[index : index + 2],), position + index, offset + index, offset + index + 2)


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
    tokens: list[Token] = []
    position = 0
    for match in WORD_RE.finditer(text or ""):
        word = match.group()
        if not CJK_CHAR_RE.search(word):
            terms = word_terms(word.lower(), kind)
            if terms and terms[0]:
                tokens.append(Token(terms, position, match.start(), match.end()))
                position += 1
            continue
        for is_cjk, segment, offset in _segments(word):
            start = match.start() + offset
            if is_cjk:
                cjk = list(_cjk_tokens(segment, start, position))
                tokens.extend(cjk)
                position += len(cjk)
                continue
            terms = word_terms(segment.lower(), kind)
            if terms and terms[0]:
                tokens.append(Token(terms, position, start, start + len(segment)))
                position += 1
    return tokens


def query_terms(text: str, kind: str) -> list[str]:
    """The terms a query word or phrase becomes in a field kind, in order (several = a phrase)."""
    return [token.terms[0] for token in analyze(text, kind)]


def index_terms(text: str, kind: str) -> list[str]:
    """Every term indexed for `text` (for engines fed with plain term lists, such as PostgreSQL)."""
    return [term for token in analyze(text, kind) for term in token.terms]


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
