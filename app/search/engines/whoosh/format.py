"""The classes Whoosh pickles into each index: tokenizer, field type, codec and posting blocks.

They are found again by module path when an index is opened: keep this module where it is (indexes
written before it moved here name `app.search.whoosh_format`, which re-exports them), and bump
`backend.SCHEMA_VERSION` whenever what they write changes (an index of another version is rebuilt,
not read).

Posting blocks. Whoosh's own block is one zlib-compressed pickle of (ids, weights, positions): to
read which documents hold a word it must unpickle every position of every document, which was most
of the time of a search for a frequent word. `MajlisPostingsWriter` writes each block as two parts:
a compressed head with the delta-coded ids and the weights as raw arrays, then the positions, raw
and uncompressed (`MajlisPositions`). A matcher reads the head alone unless a phrase asks for
positions, and `arrays` turns both parts straight into numpy arrays.
"""

import functools
import pickle
import struct
import zlib
from array import array
from itertools import accumulate

from whoosh.analysis import Token as WhooshToken
from whoosh.analysis import Tokenizer
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3LeafMatcher,
    W3PerDocReader,
    W3PostingsWriter,
    _lenfield,
)
from whoosh.fields import TEXT
from whoosh.formats import Positions
from whoosh.system import emptybytes
from whoosh.util.numeric import byte_to_length, length_to_byte

from app.search.analysis import analyze, term_positions

_HEAD_LENGTH = struct.Struct("!I")
_ALL_ONE = b""  # weights part of a head whose postings all weigh 1.0


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
            token.text = item.term
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos + item.position
            if chars:
                token.startchar = start_char + item.start
                token.endchar = start_char + item.end
            yield token


class MajlisPerDocReader(W3PerDocReader):
    """Whoosh's per-document reader with field lengths held in memory.

    Flushing a segment asks for the length of every posting's field, and scoring for the length of
    every matching document's field: Whoosh read each from the column file (and, for fields without
    lengths, looked for the file again each time, one stat() per posting). A segment never changes,
    so each field's one-byte lengths are read once, as a bytes object.
    """

    def _cached_reader(self, fieldname, column):
        if fieldname not in self._readers:
            self._readers[fieldname] = (
                self.column_reader(fieldname, column) if self.has_column(fieldname) else None
            )
        return self._readers[fieldname]

    def doc_field_length(self, docnum, fieldname, default=0):
        lengths = self.__dict__.setdefault("_length_bytes", {})
        column = lengths.get(fieldname)
        if column is None:
            reader = self._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            column = lengths[fieldname] = bytes(reader) if reader is not None else b""
        code = column[docnum] if docnum < len(column) else 0
        return _BYTE_LENGTHS[code] if code else default


_BYTE_LENGTHS = [byte_to_length(code) for code in range(256)]


class MajlisCodec(W3Codec):
    """Whoosh's default codec with `MajlisPerDocReader` and split posting blocks (pickled into each
    segment's entry). Blocks of 512 postings, not 128: numpy reads whole lists, and the cost of a
    block is mostly its fixed overhead."""

    def __init__(self, blocklimit=512, compression=3, inlinelimit=1):
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def per_document_reader(self, storage, segment):
        return MajlisPerDocReader(storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return MajlisPostingsWriter(
            dbfile, blocklimit=self._blocklimit, byteids=byteids, compression=self._compression,
            inlinelimit=self._inlinelimit,
        )  # fmt: skip

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return MajlisLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


class MajlisPositions(Positions):
    """Positions as raw uint32 values (Whoosh pickles a list of deltas for each posting).

    Raw arrays join and split without a Python step per posting, so a block's positions are
    stored as one buffer (see `MajlisPostingsWriter`) and phrases are matched with numpy.
    """

    def encode(self, poslist):
        return array("I", poslist).tobytes()

    def decode_positions(self, valuestring):
        return array("I", valuestring).tolist()

    def decode_frequency(self, valuestring):
        return len(valuestring) // 4

    def combine(self, vs):
        return self.encode(sorted({pos for v in vs for pos in self.decode_positions(v)}))


class MajlisText(TEXT):
    """A TEXT field indexed straight from `term_positions()`: the postings Whoosh's tokenizer chain
    would give, without a Token object per word (most of the indexing time went there)."""

    def __init__(self, analyzer, field_boost=1.0):
        super().__init__(analyzer=analyzer, field_boost=field_boost)
        self.format = MajlisPositions(field_boost=field_boost)

    def index(self, value, **kwargs):
        boost = self.format.field_boost
        for term, positions in term_positions(value, self.analyzer.kind).items():
            encoded = (
                _single_position(positions[0]) if len(positions) == 1 else array("I", positions).tobytes()
            )
            yield term.encode("utf-8"), len(positions), len(positions) * boost, encoded


@functools.lru_cache(maxsize=4096)
def _single_position(position: int) -> bytes:
    """Most terms occur once in a document: their encoded position is a small, shared value."""
    return array("I", [position]).tobytes()


class MajlisPostingsWriter(W3PostingsWriter):
    """Writes each block as [head length][head: ids and weights][tail: positions] (see the module doc).

    The block info (count, last id, maximum weight, compression, length bytes) is Whoosh's, so
    skipping and block quality work unchanged. Vector postings (byte ids) keep Whoosh's layout.
    """

    def _write_block(self, last=False):
        if self._byteids:
            return super()._write_block(last)
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        comp = self._compression
        head = _compress(pickle.dumps((_delta_ids(self._ids), _weights_part(self._weights)), 2), comp)
        tail = pickle.dumps(self._tail_values(), 2)  # raw positions: decompressing cost more than reading
        ids = self._ids
        infobytes = pickle.dumps(
            (len(ids), ids[-1], self._maxweight, comp, length_to_byte(self._minlength),
             length_to_byte(self._maxlength)),
            2,
        )  # fmt: skip
        length = len(infobytes) + _HEAD_LENGTH.size + len(head) + len(tail)
        self._postfile.write_int(-length if last else length)
        self._postfile.write(infobytes + _HEAD_LENGTH.pack(len(head)) + head + tail)
        self._blockcount += 1
        self._new_block()

    def _tail_values(self):
        """Raw positions as (uint32 count of each posting, all positions in one buffer)."""
        if isinstance(self._format, MajlisPositions):
            values = self._values
            return array("I", [len(value) // 4 for value in values]).tobytes(), emptybytes.join(values)
        return self._mini_values()


def _compress(data: bytes, level: int) -> bytes:
    return zlib.compress(data, level) if level else data


def _delta_ids(ids) -> bytes:
    previous, deltas = 0, array("I")
    for docnum in ids:
        deltas.append(docnum - previous)
        previous = docnum
    return deltas.tobytes()


def _weights_part(weights):
    if all(weight == 1.0 for weight in weights):
        return _ALL_ONE
    if all(weight == weights[0] for weight in weights):
        return float(weights[0])
    return array("f", weights).tobytes()


class MajlisLeafMatcher(W3LeafMatcher):
    """Reads `MajlisPostingsWriter` blocks: the head on demand, the positions only when asked."""

    def read_head(self) -> tuple[bytes, object]:
        """This block's delta-coded ids (uint32 bytes) and weights (b"": all 1.0, a float, float32 bytes)."""
        start = self._dataoffset
        (size,) = _HEAD_LENGTH.unpack(self._postfile.get(start, _HEAD_LENGTH.size))
        head = self._postfile.get(start + _HEAD_LENGTH.size, size)
        self._tailoffset = start + _HEAD_LENGTH.size + size
        return pickle.loads(zlib.decompress(head) if self._compression else head)

    def _read_data(self):
        ids, weights = self.read_head()
        self._data = (ids, weights)

    def _read_ids(self):
        if self._data is None:
            self._read_data()
        self._ids = tuple(accumulate(array("I", self._data[0])))

    def _read_weights(self):
        if self._data is None:
            self._read_data()
        weights = self._data[1]
        if isinstance(weights, float):
            self._weights = array("f", [weights]) * self._blocklength
        elif weights == _ALL_ONE:
            self._weights = array("f", [1.0]) * self._blocklength
        else:
            self._weights = array("f", weights)

    def read_tail(self):
        """This block's positions part: (counts bytes, positions bytes) for `MajlisPositions`."""
        if self._data is None:
            self._read_data()
        return pickle.loads(self._postfile.get(self._tailoffset, self._nextoffset - self._tailoffset))

    def _read_values(self):
        values = self.read_tail()
        if isinstance(self.format, MajlisPositions):
            self._values = _split_positions(*values)
            return
        fixedsize = self._fixedsize
        if fixedsize is None or fixedsize < 0:
            self._values = values
        elif fixedsize == 0:
            self._values = (None,) * self._blocklength
        else:
            self._values = tuple(values[i : i + fixedsize] for i in range(0, len(values), fixedsize))


def _split_positions(counts: bytes, positions: bytes) -> tuple[bytes, ...]:
    """Each posting's value (its raw positions) from a block's counts and joined positions."""
    values, offset = [], 0
    for count in array("I", counts):
        values.append(positions[offset : offset + 4 * count])
        offset += 4 * count
    return tuple(values)
