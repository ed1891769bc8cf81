"""Exactly one `flask search worker` drains the outbox: a second stands by, and takes over when the first dies."""

import time

import pytest

from tests.scaleout.cluster import scaleout_cluster

pytestmark = pytest.mark.e2e


def wait_for_output(path, text: str, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in path.read_text(errors="replace"):
            return True
        time.sleep(0.2)
    return False


def test_a_second_worker_stands_by_and_takes_over(tmp_path):
    with scaleout_cluster(tmp_path, instances=0, search_worker=False) as cluster:
        first = cluster.start_worker()
        assert wait_for_output(tmp_path / "worker-1.log", "Search worker running")
        second = cluster.start_worker()
        assert wait_for_output(tmp_path / "worker-2.log", "standing by")
        refused = cluster.flask_result("search", "worker", "--no-wait")
        assert refused.returncode != 0 and "another search worker is running" in refused.stderr
        cluster.kill(first)
        assert wait_for_output(tmp_path / "worker-2.log", "Search worker running")
        cluster.kill(second)
