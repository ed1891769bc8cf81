"""A server process caps glibc's malloc arenas (app/core/memory.py), unless told otherwise."""

import subprocess
import sys

from app.core.memory import limit_malloc_arenas


def test_the_server_caps_malloc_arenas_unless_malloc_arena_max_is_set(monkeypatch):
    probe = "from app.core.memory import limit_malloc_arenas; print(limit_malloc_arenas())"
    capped = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert capped.stdout.strip() == "True"  # glibc, as on every machine this runs on
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert limit_malloc_arenas() is False  # the operator's own setting stands
