"""`flask export` / `flask import`: the whole site moves between databases (SQLite → PostgreSQL) intact."""

import base64
import json
from contextlib import contextmanager

import pytest

from app import create_app
from app.auth.models import User
from app.extensions import db
from app.portability.services import UNUSABLE_PASSWORD
from config import TestConfig
from tests.factories import Make
from tests.files import samples
from tests.scaleout.content import populate, snapshot
from tests.scaleout.services import fresh_postgres_database
from tests.support.clients import client_for


@contextmanager
def empty_site(tmp_path, kind: str):
    """A second app on an empty database with the schema (SQLite file or a new PostgreSQL database)."""
    with _database_url(tmp_path, kind) as url:
        config = TestConfig(tmp_path / f"target-{kind}")
        config.SQLALCHEMY_DATABASE_URI = url
        target = create_app(config)
        with target.app_context():
            db.create_all()
        try:
            yield target
        finally:
            with target.app_context():
                db.session.remove()
                db.engine.dispose()


@contextmanager
def _database_url(tmp_path, kind: str):
    if kind == "postgresql":
        with fresh_postgres_database() as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / 'target.db'}"


def export_to(app, path, *flags) -> list[dict]:
    result = app.test_cli_runner().invoke(args=["export", str(path), *flags])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def import_from(app, path, *flags):
    return app.test_cli_runner().invoke(args=["import", str(path), *flags])


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_round_trip_keeps_every_row(app, make, tmp_path, kind):
    populate(app, make)
    export_to(app, tmp_path / "site.jsonl", "--with-passwords")
    with empty_site(tmp_path, kind) as target:
        result = import_from(target, tmp_path / "site.jsonl")
        assert result.exit_code == 0, result.output
        assert snapshot(target) == snapshot(app)
        new_thread = Make(target).thread(title="After the move", body="New ids follow the imported ones.")
    assert new_thread.id > max(row["id"] for row in snapshot(app)["threads"])


def test_passwords_stay_out_unless_asked(app, make, tmp_path):
    user = make.user(username="amina")
    lines = export_to(app, tmp_path / "site.jsonl")
    users = [item["row"] for item in lines if item.get("table") == "users"]
    assert users and all("password_hash" not in row for row in users)
    assert lines[0]["with_passwords"] is False
    with empty_site(tmp_path, "sqlite") as target:
        assert import_from(target, tmp_path / "site.jsonl").exit_code == 0
        with target.app_context():
            imported = db.session.get(User, user.id)
            assert imported.password_hash == UNUSABLE_PASSWORD
            assert not imported.check_password("correct horse battery")


def test_signing_in_works_after_a_move_with_passwords(app, make, tmp_path):
    user = make.user(username="jon")
    export_to(app, tmp_path / "site.jsonl", "--with-passwords")
    with empty_site(tmp_path, "sqlite") as target:
        assert import_from(target, tmp_path / "site.jsonl").exit_code == 0
        with target.app_context():
            assert db.session.get(User, user.id).check_password("correct horse battery")


def test_import_refuses_a_database_with_content_unless_replacing(app, make, tmp_path):
    make.thread()
    export_to(app, tmp_path / "site.jsonl")
    result = import_from(app, tmp_path / "site.jsonl")
    assert result.exit_code != 0 and "not empty" in result.output
    before = snapshot(app, with_passwords=False)
    replaced = import_from(app, tmp_path / "site.jsonl", "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert snapshot(app, with_passwords=False) == before


def test_a_truncated_export_writes_nothing(app, make, tmp_path):
    make.thread()
    lines = export_to(app, tmp_path / "site.jsonl")
    (tmp_path / "cut.jsonl").write_text("".join(json.dumps(item) + "\n" for item in lines[:-3]))
    with empty_site(tmp_path, "sqlite") as target:
        result = import_from(target, tmp_path / "cut.jsonl")
        assert result.exit_code != 0 and "truncated" in result.output
        assert all(not rows for rows in snapshot(target).values())


def _post_with_files(make):
    author, thread = make.user("amina"), make.thread(title="Files that move")
    post = make.reply(thread, author=author)
    paper = make.attached_file("post", post, author, samples.pdf(["Moving house"]), "paper.pdf")
    photo = make.attached_file("post", post, author, samples.png(), "photo.png")
    return paper, photo


def test_uploaded_files_move_with_the_site_into_the_new_sites_storage(app, make, tmp_path):
    paper, photo = _post_with_files(make)
    before = {
        path: client_for(app).get(path).data
        for path in (
            f"/files/{paper.id}/paper.pdf",
            f"/files/{photo.id}/photo.png",
            f"/files/{photo.id}/thumbnail",
        )
    }
    lines = export_to(app, tmp_path / "site.jsonl")
    stored = {paper.digest, photo.digest, photo.thumbnail_digest}
    assert {item["blob"] for item in lines if "blob" in item} == stored and lines[-1]["blobs"] == len(stored)
    with empty_site(tmp_path, "sqlite") as target:
        result = import_from(target, tmp_path / "site.jsonl")
        assert result.exit_code == 0, result.output
        assert target.config["INSTANCE_DIR"] != app.config["INSTANCE_DIR"]
        for path, data in before.items():
            moved = client_for(target).get(path)
            assert moved.status_code == 200 and moved.data == data


def test_a_damaged_file_in_an_export_is_refused_and_nothing_is_written(app, make, tmp_path):
    _post_with_files(make)
    lines = export_to(app, tmp_path / "site.jsonl")
    blob = next(item for item in lines if "blob" in item)
    blob["data"] = base64.b64encode(b"not the file").decode()
    (tmp_path / "damaged.jsonl").write_text("".join(json.dumps(item) + "\n" for item in lines))
    with empty_site(tmp_path, "sqlite") as target:
        result = import_from(target, tmp_path / "damaged.jsonl")
        assert result.exit_code != 0 and "does not match its SHA-256" in result.output
        assert all(not rows for rows in snapshot(target).values())
    rows_only = export_to(app, tmp_path / "rows.jsonl", "--without-files")
    assert not any("blob" in item for item in rows_only) and rows_only[-1]["blobs"] == 0
