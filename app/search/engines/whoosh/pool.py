"""Rebuild writers whose posting pool spills to disk in chunks (Whoosh's pickles every posting).

A rebuild writer keeps its postings in memory up to `limitmb`, then sorts them and writes them to a
run file; at the end the runs are merged. Whoosh writes and reads a run one pickled posting at a time,
which cost more than indexing the postings had (a 100,000-post rebuild with exact-form fields
spilled once per writer process and took twice the CPU). `MajlisPostingPool` writes sorted chunks of
postings as one pickle each: the same runs and the same merge order, a few C calls per chunk.
"""

import pickle
from itertools import islice

from whoosh import multiproc
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import PostingPool, SegmentWriter

CHUNK = 10_000  # postings per pickle in a run file


class MajlisPostingPool(PostingPool):
    def _write_run(self, f, items):
        items = iter(items)
        try:
            while chunk := list(islice(items, CHUNK)):
                pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
        finally:
            f.close()

    def _read_run(self, path):
        f = self._open_run(path)
        try:
            while True:
                try:
                    chunk = pickle.load(f)
                except EOFError:
                    return
                yield from chunk
        finally:
            f.close()
            self._remove_run(path)


class MajlisSegmentWriter(SegmentWriter):
    """Whoosh's segment writer with `MajlisPostingPool`."""

    def __init__(self, ix, limitmb=128, **kwargs):
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = MajlisPostingPool(self._tempstorage, self.newsegment, limitmb=limitmb)


class _MajlisSubWriterTask(SubWriterTask):
    def run(self):
        multiproc.SegmentWriter = MajlisSegmentWriter  # in this writer process only
        super().run()


class MajlisMpWriter(MpWriter):
    """Whoosh's multi-process writer whose writer processes use `MajlisSegmentWriter`."""

    def _new_task(self):
        task = _MajlisSubWriterTask(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment
        )
        self.tasks.append(task)
        task.start()
        return task
