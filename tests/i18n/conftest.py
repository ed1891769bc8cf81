import pytest

from tests.i18n.catalogs import ensure_compiled


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs():
    """The pages under test need the .mo files that `make translations` builds."""
    ensure_compiled()
