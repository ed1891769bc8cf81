"""The first commands a newcomer types on a new database work, as `python run.py` does."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _flask(tmp_path, *args):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}",
        "INSTANCE_DIR": str(tmp_path),
        "SEARCH_INDEX_DIR": str(tmp_path / "search_index"),
        "SEARCH_INDEXER": "inline",
    }
    env.pop("TEST_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "run", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip


def test_seed_demo_on_a_new_database_creates_the_demo(tmp_path):
    result = _flask(tmp_path, "seed-demo")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "wsis-forum-2017: created" in result.stdout
    assert "wsis-forum-live: created" in result.stdout


def test_create_admin_on_a_new_database(tmp_path):
    result = _flask(tmp_path, "create-admin", "amina", "amina@example.org", "--password", "correct horse 1")
    assert result.returncode == 0, result.stderr
    assert "amina is an administrator." in result.stdout
