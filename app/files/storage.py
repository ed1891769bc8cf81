"""Where uploaded files live: content-addressed blobs (the SHA-256 of the bytes names them, so the same
file uploaded twice is stored once), each written whole or not at all, so a reader never sees half a
file and a crash leaves none.

Two stores answer the same five calls: `LocalStorage` (a directory, the embedded default) and
`S3Storage` (a bucket on any S3-compatible server, for several app instances on several machines)."""

import hashlib
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def relative_name(digest: str) -> str:
    """`ab/cd/abcd…` for the blob whose SHA-256 is abcd… (a bad digest never becomes a path or key)."""
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise ValueError(f"not a SHA-256 digest: {digest!r}")
    return f"{digest[:2]}/{digest[2:4]}/{digest}"


class LocalStorage:
    """UPLOAD_DIR (instance/uploads by default), each blob written to a temporary file in its own
    directory, then renamed."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def path_of(self, digest: str) -> Path:
        return self.root / relative_name(digest)

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

    @contextmanager
    def local_copy(self, digest: str):
        """A path to the blob's bytes on this machine, for a child process to read."""
        yield self.path_of(digest)


class S3Storage:
    """A bucket on an S3-compatible server (`UPLOAD_STORAGE=s3`): a PUT of a whole object is atomic
    there, and every app instance sees the same blobs. The bucket must exist."""

    def __init__(self, client, bucket: str, prefix: str = "uploads/"):
        self.client = client
        self.bucket = bucket
        self.prefix = prefix

    @classmethod
    def from_config(cls, config) -> "S3Storage":
        import boto3
        from botocore.config import Config

        client = boto3.client(
            "s3",
            endpoint_url=config.get("S3_ENDPOINT_URL") or None,
            region_name=config.get("S3_REGION") or "us-east-1",
            aws_access_key_id=config.get("S3_ACCESS_KEY_ID") or None,
            aws_secret_access_key=config.get("S3_SECRET_ACCESS_KEY") or None,
            config=Config(
                retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=5, read_timeout=30
            ),
        )
        return cls(client, config["S3_BUCKET"], config.get("S3_PREFIX", "uploads/"))

    def key_of(self, digest: str) -> str:
        return self.prefix + relative_name(digest)

    def put(self, data: bytes) -> str:
        digest = digest_of(data)
        if not self.exists(digest):
            self.client.put_object(Bucket=self.bucket, Key=self.key_of(digest), Body=data)
        return digest

    def exists(self, digest: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key_of(digest))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def read(self, digest: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=self.key_of(digest))["Body"].read()

    def delete(self, digest: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.key_of(digest))

    @contextmanager
    def local_copy(self, digest: str):
        with tempfile.NamedTemporaryFile(prefix="majlis-upload-") as copy:
            self.client.download_fileobj(self.bucket, self.key_of(digest), copy)
            copy.flush()
            yield Path(copy.name)
