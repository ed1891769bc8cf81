"""A checkout without compiled catalogs (no `make translations`) still serves every language."""

import os
import shutil
from pathlib import Path

from app import create_app
from app.communities.seed import seed_communities
from app.extensions import db
from config import TestConfig

SOURCE = Path(__file__).resolve().parents[2] / "app" / "translations"


def _catalogs_without_mo(tmp_path) -> Path:
    directory = tmp_path / "translations"
    shutil.copytree(SOURCE, directory, ignore=shutil.ignore_patterns("*.mo"))
    return directory


def _home_page_in_arabic(tmp_path, directory) -> str:
    config = TestConfig(tmp_path)
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'test.db'}"
    config.BABEL_TRANSLATION_DIRECTORIES = str(directory)
    app = create_app(config)
    with app.app_context():
        db.create_all()
        seed_communities()
        db.session.commit()
    try:
        return app.test_client().get("/", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    finally:
        with app.app_context():
            db.engine.dispose()


def test_missing_catalogs_are_compiled_at_start(tmp_path):
    directory = _catalogs_without_mo(tmp_path)
    html = _home_page_in_arabic(tmp_path, directory)
    assert "تسجيل الدخول" in html and ">Sign in<" not in html
    assert sorted(p.parent.parent.name for p in directory.glob("*/LC_MESSAGES/messages.mo")) == [
        "ar", "es", "fr", "ru", "zh"
    ]  # fmt: skip


def test_a_catalog_older_than_its_source_is_compiled_again(tmp_path):
    directory = _catalogs_without_mo(tmp_path)
    stale = directory / "ar" / "LC_MESSAGES" / "messages.mo"
    stale.write_bytes(b"")  # an unreadable leftover from before the .po changed
    os.utime(stale, (1, 1))
    html = _home_page_in_arabic(tmp_path, directory)
    assert "تسجيل الدخول" in html
    assert stale.stat().st_size > 0
