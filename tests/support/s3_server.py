"""A real S3-compatible server process on 127.0.0.1 (moto's server mode), with one bucket, for the
`UPLOAD_STORAGE=s3` tests."""

import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

from tests.support.live import free_port, skip_or_fail, wait_for_port

CREDENTIALS = {"S3_ACCESS_KEY_ID": "majlis-test", "S3_SECRET_ACCESS_KEY": "majlis-test-secret"}


class S3Server:
    def __init__(self, url: str):
        self.url = url
        self.bucket = f"majlis-{uuid.uuid4().hex[:12]}"

    def settings(self) -> dict:
        """The configuration an app needs to keep its uploads in this server's bucket."""
        return {"UPLOAD_STORAGE": "s3", "S3_ENDPOINT_URL": self.url, "S3_BUCKET": self.bucket, **CREDENTIALS}

    def client(self):
        import boto3

        return boto3.client(
            "s3", endpoint_url=self.url, region_name="us-east-1",
            aws_access_key_id=CREDENTIALS["S3_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["S3_SECRET_ACCESS_KEY"],
        )  # fmt: skip

    def keys(self) -> list[str]:
        listing = self.client().list_objects_v2(Bucket=self.bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))


@contextmanager
def s3_server(tmp_dir: Path):
    """Start `python -m moto.server` on a free port; yields an S3Server whose bucket exists."""
    try:
        import moto.server  # noqa: F401
    except ImportError:
        skip_or_fail("moto[server] is not installed (pip install -r requirements.txt)")
    tmp_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with open(tmp_dir / "s3-server.log", "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_for_port(port, process)
        server = S3Server(f"http://127.0.0.1:{port}")
        server.client().create_bucket(Bucket=server.bucket)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
