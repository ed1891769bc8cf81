"""Where Whoosh indexes written before `app/search/engines/whoosh/format.py` find their classes.

An index pickles its schema and codec by module path, and indexes built before the engines moved name
this module: re-exporting the classes here lets them open without a rebuild. Keep it while such
indexes may exist (it costs nothing); `tests/search/test_whoosh_rebuild.py` opens one.
"""

from app.search.engines.whoosh.format import (  # noqa: F401
    MajlisCodec,
    MajlisLeafMatcher,
    MajlisPerDocReader,
    MajlisPositions,
    MajlisPostingsWriter,
    MajlisText,
    MajlisTokenizer,
)
