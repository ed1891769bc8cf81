"""Where uploaded files live: content-addressed blobs (the SHA-256 of the bytes names them, so the same
file uploaded twice is stored once), each written atomically (a temporary file in the same directory,
then a rename), so a reader never sees half a file and a crash leaves none."""

import hashlib
import os
import tempfile
from pathlib import Path


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class LocalStorage:
    """UPLOAD_DIR (instance/uploads by default): `ab/cd/abcd…` for the blob whose SHA-256 is abcd…."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def path_of(self, digest: str) -> Path:
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ValueError(f"not a SHA-256 digest: {digest!r}")
        return self.root / digest[:2] / digest[2:4] / digest

    def put(self, data: bytes) -> str:
        """Store `data` once; returns its digest."""
        digest = digest_of(data)
        target = self.path_of(digest)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return digest

    def exists(self, digest: str) -> bool:
        return self.path_of(digest).exists()

    def read(self, digest: str) -> bytes:
        return self.path_of(digest).read_bytes()

    def delete(self, digest: str) -> None:
        self.path_of(digest).unlink(missing_ok=True)
