"""Word-level differences between two versions of a text, for edit histories.

Google's diff-match-patch finds the differences; it works on characters, so each word (and each run
of spaces or punctuation) is first mapped to one private character, as its line mode does for lines.
A change reads as whole words struck and inserted, never as half a word.
"""

import re

from diff_match_patch import diff_match_patch

# A word in any script (letters, digits, marks), or a run of anything else.
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]+", re.UNICODE)
EQUAL, INSERTED, DELETED = "equal", "inserted", "deleted"
_KINDS = {0: EQUAL, 1: INSERTED, -1: DELETED}


def _encode(text: str, vocabulary: dict[str, str], words: list[str]) -> str:
    out = []
    for token in _TOKENS.findall(text):
        code = vocabulary.get(token)
        if code is None:
            code = vocabulary[token] = chr(0xF0000 + len(words))  # a private-use plane: never in the text
            words.append(token)
        out.append(code)
    return "".join(out)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The change from `old` to `new` as (kind, text) pieces, kind being equal, inserted or deleted."""
    vocabulary: dict[str, str] = {}
    words: list[str] = []
    coded_old, coded_new = _encode(old or "", vocabulary, words), _encode(new or "", vocabulary, words)
    engine = diff_match_patch()
    engine.Diff_Timeout = 1.0
    pieces = engine.diff_main(coded_old, coded_new, False)
    engine.diff_cleanupSemantic(pieces)
    return [(_KINDS[op], "".join(words[ord(code) - 0xF0000] for code in coded)) for op, coded in pieces]
