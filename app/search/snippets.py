"""Highlighted snippets cut from a document's plain text, escaped, in its original spelling.

Matching uses the analyzer, so "societes" highlights "sociétés" and "المجتمع" highlights
"المُجْتَمَع"; a quoted word highlights only its exact form, as the index matches it ("communities"
not "community"); what is shown is always the original text, escaped piece by piece.
"""

from markupsafe import Markup, escape

from app.search.analysis import WORDS, analyze, field_kind, prefix_query, term_spans, word_term
from app.search.query import Phrase, Word, positive_nodes

SNIPPET_LENGTH = 240
LEAD = 60


class Highlighter:
    """The terms of one query, ready to mark matches in texts of any declared language."""

    def __init__(self, root):
        nodes = positive_nodes(root)
        exact = [node for node in nodes if isinstance(node, Phrase) and node.exact]
        self._nodes = [node for node in nodes if node not in exact]
        self._exact = {token.term for node in exact for token in analyze(node.text, WORDS)}
        self._terms: dict[str, set[str]] = {}
        self._prefixes: dict[str, list] = {}
        self._prefix_words = [node.text for node in self._nodes if isinstance(node, Word) and node.prefix]

    def _terms_for(self, kind: str) -> set[str]:
        terms = self._terms.get(kind)
        if terms is None:
            terms = {
                token.term
                for node in self._nodes
                if not (isinstance(node, Word) and node.prefix)
                for token in analyze(node.text, kind)
            }
            self._terms[kind] = terms
        return terms

    def _prefixes_for(self, kind: str) -> list:
        prefixes = self._prefixes.get(kind)
        if prefixes is None:
            found = (prefix_query(text, kind) for text in self._prefix_words)
            prefixes = self._prefixes[kind] = [prefix for prefix in found if prefix is not None]
        return prefixes

    def _matcher(self, kind: str):
        """A function telling whether an index term of this kind matches the query (None: nothing can)."""
        terms, prefixes = self._terms_for(kind), self._prefixes_for(kind)
        if not terms and not prefixes:
            return None if not self._exact else (lambda term: False)
        if not prefixes:
            return terms.__contains__
        return lambda term: (
            term in terms
            or any(term.startswith(p.beginning) or term == p.whole or term in p.exact for p in prefixes)
        )

    def _match_spans(self, text: str, kind: str, stop: int | None = None):
        """Character spans of matches in `text`, in order; those starting at `stop` or later are not read."""
        matches, exact = self._matcher(kind), self._exact
        if matches is None:
            return
        for term, start, end in term_spans(text, kind):
            if stop is not None and start >= stop:
                return
            if matches(term) or (exact and word_term(text[start:end], WORDS) in exact):
                yield start, end

    def spans(self, text: str, language: str | None) -> list[tuple[int, int]]:
        """Character spans of `text` that match the query (as the index matches them), merged, in order."""
        return _merge(sorted(self._match_spans(text, field_kind(language))))

    def highlight(self, text: str, language: str | None) -> Markup:
        """The whole text, escaped, with matches in <mark>."""
        return _marked(text or "", self.spans(text or "", language), 0, len(text or ""))

    def snippet(self, text: str, language: str | None, length: int = SNIPPET_LENGTH) -> Markup:
        """A window of the text around the first match (or its start), escaped, matches in <mark>.

        The text is analysed only as far as the window reaches: most of a long post is never read.
        """
        text = text or ""
        found = self._match_spans(text, field_kind(language))
        first = next(found, None)
        start = 0
        if first is not None and first[0] > LEAD:
            start = _word_start(text, first[0] - LEAD)
        end = min(len(text), start + length)
        if end < len(text):
            end = _word_end(text, end)
        spans = [] if first is None else [first]
        for span in found:
            if span[0] >= end:
                break
            spans.append(span)
        body = _marked(text, _merge(sorted(spans)), start, end)
        prefix = "… " if start > 0 else ""
        suffix = " …" if end < len(text) else ""
        return Markup(escape(prefix)) + body + Markup(escape(suffix))


def _merge(spans):
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _word_start(text: str, index: int) -> int:
    space = text.find(" ", index)
    return space + 1 if 0 <= space < index + 20 else index


def _word_end(text: str, index: int) -> int:
    space = text.rfind(" ", index - 20, index)
    return space if space > 0 else index


def _marked(text: str, spans, start: int, end: int) -> Markup:
    pieces = []
    cursor = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        pieces += [escape(text[cursor:span_start]), "<mark>", escape(text[span_start:span_end]), "</mark>"]
        cursor = span_end
    pieces.append(escape(text[cursor:end]))
    return Markup("".join(pieces))  # every piece of the text is escaped; the tags are ours
