"""The tests' stand-ins for outside services, each a real process on 127.0.0.1: the webhook receiver
(`webhook_receiver.py`) and the OpenID Connect provider (`oidc_provider.py`). They run with `python -P`
so that this folder's `http.py` does not shadow the standard library's."""

import json
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from tests.support.live import free_port, wait_for_port

SUPPORT = Path(__file__).resolve().parent
AMINA = {"sub": "u-1001", "email": "amina@ministry.example", "email_verified": True, "name": "Amina K.",
         "preferred_username": "amina.k"}  # fmt: skip


@contextmanager
def _running(script: str, port: int, *arguments):
    process = subprocess.Popen(
        [sys.executable, "-P", str(SUPPORT / script), str(port), *map(str, arguments)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process)
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def webhook_receiver(log: Path, status: Path | None = None, port: int | None = None):
    """The receiver on `port` (a free one by default), writing each request to `log` as a JSON line
    and answering with the code in `status` when that file exists; yields its hook's address."""
    port = port or free_port()
    with _running("webhook_receiver.py", port, log, *([status] if status else [])):
        yield f"http://127.0.0.1:{port}/hook"


@contextmanager
def oidc_provider(folder: Path, redirect_uri: str, **claims):
    """The provider for client `majlis` (secret `s3cret`), signing in Amina (`claims` change her);
    yields its issuer."""
    port = free_port()
    settings = folder / f"provider-{port}.json"
    settings.write_text(
        json.dumps({"client_id": "majlis", "client_secret": "s3cret", "redirect_uri": redirect_uri,
                    "user": {**AMINA, **claims}})
    )  # fmt: skip
    with _running("oidc_provider.py", port, settings):
        yield f"http://127.0.0.1:{port}"
