"""Twenty people replying at once to a real server process: not one reply fails, none is lost."""

from tests.support.live import live_server
from tests.support.writers import SERVER_ENV, contend, unreachable


def test_twenty_concurrent_writers_get_no_error_and_every_reply_is_reachable(tmp_path):
    with live_server(tmp_path, **SERVER_ENV) as server:
        result, thread_ids = contend(server.url, writers=20, seconds=12, threads=2)

        assert result.failures == [], f"{len(result.failures)} of {len(result.latencies)} replies failed"
        assert len(result.acknowledged) > 20
        assert unreachable(server.url, result, thread_ids) == []
