"""How much memory a server process keeps: glibc's malloc arenas.

glibc gives threads malloc arenas of their own, up to eight per core, and returns little of what a
thread freed to the system. A server process runs many threads (one per request in the threaded
server, the indexer, the job runner, Socket.IO's), so its heap crept up under steady load although
the Python objects alive did not grow (`bench/soak.py`, traced with tracemalloc): 4.9 MB a minute
over a 10-minute soak with the default arenas, 2.4 MB a minute with two. MALLOC_ARENA_MAX=2 is what
Heroku and many Python and Ruby deployments set for the same reason.
"""

import ctypes
import ctypes.util
import logging
import os

logger = logging.getLogger(__name__)

M_ARENA_MAX = -8  # from glibc's malloc.h
SERVER_ARENAS = 2


def limit_malloc_arenas(count: int = SERVER_ARENAS) -> bool:
    """Cap this process's malloc arenas as MALLOC_ARENA_MAX does (an explicit MALLOC_ARENA_MAX in
    the environment wins). Call it before the process starts its threads. False where the C library
    is not glibc."""
    if "MALLOC_ARENA_MAX" in os.environ:
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        return bool(libc.mallopt(M_ARENA_MAX, count))
    except (OSError, AttributeError, TypeError):
        logger.info("malloc arenas left as they are: no glibc mallopt here")
        return False
