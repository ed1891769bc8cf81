"""The background loop that the search indexer runs in (app/core/background.py)."""

import threading

from app.core.background import WakeableLoop


def test_commits_of_the_next_moments_are_handled_in_one_pass():
    """Woken by a commit, the loop waits `settle` before its pass: two replies a moment apart are
    indexed together (one index commit), not one pass each."""
    pending, batches, passed, idle = [], [], threading.Event(), threading.Event()

    def step():
        idle.set()  # the first pass, at start, found nothing
        if pending:
            batches.append(len(pending))
            pending.clear()
            passed.set()

    loop = WakeableLoop("test-loop", step, settle=1.0)
    loop.start_background(poll=30)
    try:
        assert idle.wait(10)
        pending.append("reply 1")
        loop.wake()
        pending.append("reply 2")
        loop.wake()
        assert passed.wait(10)
    finally:
        loop.stop()
    assert batches == [2]
