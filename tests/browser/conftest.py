import pytest

from tests.support.live import chromium_browser, live_server


@pytest.fixture
def server(tmp_path):
    with live_server(tmp_path / "server") as running:
        yield running


@pytest.fixture
def browser():
    with chromium_browser() as running:
        yield running
