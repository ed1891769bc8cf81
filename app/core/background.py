"""A daemon thread that does one pass of work after each wake-up and every few seconds.

The search indexer and the job runner both run this way in the embedded default (and in their
`flask … worker` commands, in the foreground): woken right after a commit that gave them work,
polling for what a wake-up missed (another process's commits, retries that came due).
"""

import logging
import threading
from collections.abc import Callable

logger = logging.getLogger(__name__)


class WakeableLoop:
    """Subclassed by a worker. Runs `step()` until stopped: after `start()` (then `on_start()` once), after each `wake()`,
    and every `poll` seconds. A failing pass is logged and the loop goes on."""

    def __init__(
        self,
        name: str,
        step: Callable[[], object],
        on_start: Callable[[], object] | None = None,
        settle: float = 0.0,
    ):
        """`settle`: after a wake-up, wait this long before the pass, so that the commits of the
        next few moments are handled together (one index commit for several replies)."""
        self.name, self.step, self.on_start, self.settle = name, step, on_start, settle
        self._event = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._thread_lock = threading.Lock()

    def wake(self) -> None:
        self._event.set()

    def start_background(self, poll: float = 1.0) -> None:
        """Start the daemon thread once (a second call while it runs does nothing)."""
        with self._thread_lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._thread = threading.Thread(
                target=self.run_forever, args=(poll,), name=self.name, daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._event.set()

    def run_forever(self, poll: float = 1.0) -> None:
        logger.info("%s started", self.name)
        if self.on_start is not None:
            try:
                self.on_start()
            except Exception:
                logger.exception("%s: start-up check failed", self.name)
        while not self._stop.is_set():
            try:
                self.step()
            except Exception:
                logger.exception("%s pass failed; retrying", self.name)
            woken = self._event.wait(poll)
            self._event.clear()
            if woken and self.settle:
                self._stop.wait(self.settle)
