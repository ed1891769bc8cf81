"""Blobs are stored once per content, atomically, under their SHA-256."""

import pytest

from app.files.storage import LocalStorage, digest_of


def test_the_same_bytes_are_stored_once_under_their_digest(tmp_path):
    storage = LocalStorage(tmp_path / "uploads")
    first, second = storage.put(b"a concept note"), storage.put(b"a concept note")
    assert first == second == digest_of(b"a concept note")
    assert storage.read(first) == b"a concept note"
    assert [p for p in (tmp_path / "uploads").rglob("*") if p.is_file()] == [storage.path_of(first)]


def test_no_temporary_file_is_left_behind_and_a_bad_name_is_refused(tmp_path):
    storage = LocalStorage(tmp_path)
    digest = storage.put(b"x" * 1000)
    assert not list(tmp_path.rglob(".upload-*"))
    with pytest.raises(ValueError):
        storage.path_of("../../etc/passwd")
    storage.delete(digest)
    assert not storage.exists(digest)
