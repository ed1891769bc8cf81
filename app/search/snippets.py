"""Highlighted snippets cut from a document's plain text, escaped, in its original spelling.

Matching uses the analyzer, so "societes" highlights "sociétés" and "المجتمع" highlights
"المُجْتَمَع"; what is shown is always the original text, escaped piece by piece.
"""

from markupsafe import Markup, escape

from app.search.analysis import WORDS, analyze, field_kind
from app.search.query import Word, positive_nodes

SNIPPET_LENGTH = 240
LEAD = 60


class Highlighter:
    """The terms of one query, ready to mark matches in texts of any declared language."""

    def __init__(self, root):
        self._nodes = positive_nodes(root)
        self._terms: dict[str, set[str]] = {}
        self._prefixes = [
            terms[-1]
            for node in self._nodes
            if isinstance(node, Word) and node.prefix
            for terms in [[t.terms[0] for t in analyze(node.text, WORDS)]]
            if terms
        ]

    def _terms_for(self, kind: str) -> set[str]:
        terms = self._terms.get(kind)
        if terms is None:
            terms = {
                term
                for node in self._nodes
                if not (isinstance(node, Word) and node.prefix)
                for token in analyze(node.text, kind)
                for term in token.terms
            }
            self._terms[kind] = terms
        return terms

    def spans(self, text: str, language: str | None) -> list[tuple[int, int]]:
        """Character spans of `text` that match the query, merged and in order."""
        terms = self._terms_for(field_kind(language))
        spans = [(t.start, t.end) for t in analyze(text, field_kind(language)) if terms.intersection(t.terms)]
        if self._prefixes:
            spans += [
                (t.start, t.end)
                for t in analyze(text, WORDS)
                if any(t.terms[0].startswith(prefix) for prefix in self._prefixes)
            ]
        return _merge(sorted(spans))

    def highlight(self, text: str, language: str | None) -> Markup:
        """The whole text, escaped, with matches in <mark>."""
        return _marked(text or "", self.spans(text or "", language), 0, len(text or ""))

    def snippet(self, text: str, language: str | None, length: int = SNIPPET_LENGTH) -> Markup:
        """A window of the text around the first match (or its start), escaped, matches in <mark>."""
        text = text or ""
        spans = self.spans(text, language)
        start = 0
        if spans and spans[0][0] > LEAD:
            start = _word_start(text, spans[0][0] - LEAD)
        end = min(len(text), start + length)
        if end < len(text):
            end = _word_end(text, end)
        body = _marked(text, spans, start, end)
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
    out = Markup("")
    cursor = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        out += escape(text[cursor:span_start])
        out += Markup("<mark>") + escape(text[span_start:span_end]) + Markup("</mark>")
        cursor = span_end
    out += escape(text[cursor:end])
    return out
