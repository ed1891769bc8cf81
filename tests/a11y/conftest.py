import pytest

from tests.a11y.site import populate
from tests.i18n.catalogs import ensure_compiled
from tests.support.live import chromium_browser, live_server


@pytest.fixture(scope="package")
def a11y_site(tmp_path_factory):
    """One server for all accessibility checks: starting and filling it costs seconds."""
    ensure_compiled()
    with live_server(tmp_path_factory.mktemp("a11y") / "server") as server:
        yield populate(server)


@pytest.fixture(scope="module")
def a11y_browser():
    """One Chromium per module: Playwright's sync API must be closed before other tests start theirs."""
    with chromium_browser() as browser:
        yield browser
