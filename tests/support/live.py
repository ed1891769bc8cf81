"""Real server processes and headless Chromium for end-to-end tests."""

import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=127.0.0.1;localhost;[::1]",
]


def skip_or_fail(reason: str):
    """Skip with a clear reason; in CI (MAJLIS_REQUIRE_ALL=1) nothing may skip, so fail instead."""
    if os.environ.get("MAJLIS_REQUIRE_ALL") == "1":
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process=None, timeout=30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


class LiveServer:
    def __init__(self, process, port, tmp_dir, env, log_path):
        self.process = process
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.tmp_dir = tmp_dir
        self.env = env
        self.log_path = log_path

    def flask(self, *args) -> subprocess.CompletedProcess:
        """Run a `flask --app run` command against this server's database."""
        return subprocess.run(
            [sys.executable, "-m", "flask", "--app", "run", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )

    def log(self) -> str:
        return Path(self.log_path).read_text(errors="replace")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def server_env(tmp_dir: Path, **overrides) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "WERKZEUG_"))}
    env.update(
        {
            "INSTANCE_DIR": str(tmp_dir / "instance"),
            "DATABASE_URL": f"sqlite:///{tmp_dir / 'live.db'}",
            "SEARCH_INDEX_DIR": str(tmp_dir / "search_index"),
            "SECRET_KEY": "live-test-secret",
            "RATELIMIT_ENABLED": "0",
            # People the browser tests sign up post at once; tests/mail confirm addresses themselves.
            "REQUIRE_EMAIL_CONFIRMATION": "0",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update({k: str(v) for k, v in overrides.items()})
    return env


@contextmanager
def live_server(tmp_dir: Path, port: int | None = None, **env_overrides):
    """Start `python run.py` on 127.0.0.1 with its own database; yields a LiveServer.

    The database is a SQLite file, or a new PostgreSQL database when the suite runs on PostgreSQL
    (TEST_DATABASE_URL), so that end-to-end tests cover the engine under test too."""
    tmp_dir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    with ExitStack() as stack:
        if "DATABASE_URL" not in env_overrides and os.environ.get("TEST_DATABASE_URL", "").startswith(
            "postgres"
        ):
            from tests.scaleout.services import fresh_postgres_database  # it imports this module

            env_overrides["DATABASE_URL"] = stack.enter_context(fresh_postgres_database())
        env = server_env(tmp_dir, PORT=port, HOST="127.0.0.1", **env_overrides)
        log_path = tmp_dir / f"server-{port}.log"
        with open(log_path, "w") as log:
            process = subprocess.Popen(
                [sys.executable, "run.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        server = LiveServer(process, port, tmp_dir, env, log_path)
        stack.callback(server.stop)  # before the database is dropped
        wait_for_port(port, process)
        yield server


@contextmanager
def chromium_browser():
    """Headless Debian Chromium driven by Playwright, with the flags the workplace requires."""
    if not Path(CHROMIUM).exists():
        skip_or_fail("Chromium is not installed (apt-get install chromium fonts-noto-core fonts-noto-cjk)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("Python Playwright is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def screenshot_dir() -> Path:
    """Where browser tests leave screenshots to look at (git-ignored)."""
    path = Path(os.environ.get("MAJLIS_SCREENSHOTS", ROOT / "instance" / "screenshots"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def have(executable: str) -> bool:
    return shutil.which(executable) is not None


def signed_in_context(browser, server, visitor, **options):
    """A browser context (another device) signed in as `visitor`: its session cookies copied in."""
    context = browser.new_context(**options)
    context.add_cookies([{"name": c.name, "value": c.value, "url": server.url} for c in visitor.http.cookies])
    return context


def watched_page(context):
    """A new page that records the script errors thrown on it (`page.errors`)."""
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page
