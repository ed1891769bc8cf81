"""Install FlaskBB 2.2.0 into its own virtualenv under PEER_HOME, step by step, skipping steps already done.

    .venv/bin/python bench/peer/install.py     # run.py calls install() itself

Steps (bench/peer/README.md says why each is needed):
1. a virtualenv made with CPython 3.13 (FlaskBB 2.2.0 needs >= 3.12; Debian's 3.11 makes pip pick 2.0.2);
2. pip install flaskbb==2.2.0 with the 2.x plugins and gunicorn;
3. `from __future__ import annotations` in seven modules that fail on 3.12+ with
   `NameError: name 'Distribution' is not defined`;
4. `<site-packages>/logs`, which `flaskbb makeconfig` and the app's logging expect;
5. flaskbb.cfg (SQLite, Redis off but REDIS_URL valid, no e-mail, Whoosh search index under PEER_HOME).
"""

import os
import subprocess
import sys
import time
from pathlib import Path

PYTHON = os.environ.get("PEER_PYTHON", "/root/.pyenv/versions/3.13.0/bin/python3.13")
REQUIREMENTS = ["flaskbb==2.2.0", "flaskbb-plugin-conversations<3", "flaskbb-plugin-portal<3", "gunicorn"]
PATCHED_MODULES = [
    "plugins/manager.py",
    "utils/database.py",
    "utils/helpers.py",
    "forum/models.py",
    "auth/services/authentication.py",
    "auth/services/registration.py",
    "auth/views.py",
]
FUTURE = "from __future__ import annotations\n"


def peer_home() -> Path:
    return Path(os.environ.get("PEER_HOME", "/work/peer-home")).resolve()


class FlaskBB:
    """Paths of the FlaskBB installation under PEER_HOME."""

    def __init__(self, home: Path | None = None):
        self.home = home or peer_home()
        self.root = self.home / "flaskbb"
        self.venv = self.root / "venv"
        self.python = self.venv / "bin" / "python"
        self.gunicorn = self.venv / "bin" / "gunicorn"
        self.config = self.root / "flaskbb.cfg"

    def site_packages(self) -> Path:
        out = subprocess.run(
            [str(self.python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        return Path(out.stdout.strip())

    def env(self) -> dict:
        """The environment for FlaskBB commands: its venv's bin first on PATH (`flaskbb install` runs pybabel)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "VIRTUAL_ENV"))}
        env["PATH"] = f"{self.venv / 'bin'}:{env.get('PATH', '')}"
        env["VIRTUAL_ENV"] = str(self.venv)
        env["FLASKBB_CONFIG"] = str(self.config)
        return env


def step(name: str, done: bool, action) -> None:
    if done:
        print(f"  [skip] {name}")
        return
    started = time.perf_counter()
    action()
    print(f"  [done] {name} ({time.perf_counter() - started:.0f} s)")


def patch_module(path: Path) -> None:
    """Put `from __future__ import annotations` first (after the module docstring, as Python requires)."""
    text = path.read_text()
    if FUTURE in text:
        return
    lines = text.splitlines(keepends=True)
    insert_at = 0
    # skip encoding line, comments and the docstring
    index = 0
    while index < len(lines) and (lines[index].startswith("#") or not lines[index].strip()):
        index += 1
    if index < len(lines) and lines[index].lstrip().startswith(('"""', "'''")):
        quote = lines[index].lstrip()[:3]
        rest = lines[index].lstrip()[3:]
        if quote in rest:
            insert_at = index + 1
        else:
            index += 1
            while index < len(lines) and quote not in lines[index]:
                index += 1
            insert_at = index + 1
    else:
        insert_at = index
    lines.insert(insert_at, FUTURE)
    path.write_text("".join(lines))


def write_config(fb: FlaskBB) -> None:
    """`flaskbb makeconfig` non-interactively, then the settings the benchmark needs."""
    db_path = fb.root / "flaskbb.sqlite"
    # --development writes the file without prompting; the production settings are appended below.
    subprocess.run(
        [str(fb.venv / "bin" / "flaskbb"), "makeconfig", "--development", "--force", "--output", str(fb.config)],
        check=True, env=fb.env(), cwd=fb.root, capture_output=True,
    )  # fmt: skip
    text = fb.config.read_text()
    extra = f"""

# --- bench/peer additions ---
DEBUG = False
SEND_FILE_MAX_AGE_DEFAULT = 43200
SERVER_NAME = None
PREFERRED_URL_SCHEME = "http"
SQLALCHEMY_DATABASE_URI = "sqlite:///{db_path}"
REDIS_ENABLED = False
REDIS_URL = "redis://127.0.0.1:6379/15"
WHOOSHEE_DIR = "{fb.root / "whoosh_index"}"
WHOOSHEE_MIN_STRING_LEN = 3
# The benchmark signs in and posts from many connections at once; FlaskBB's own rate limits would refuse them.
AUTH_RATELIMIT_ENABLED = False
RATELIMIT_ENABLED = False
SEND_LOGS = False
CELERY_CONFIG = {{"task_always_eager": True, "broker_url": "memory://", "result_backend": "cache+memory://"}}
"""
    fb.config.write_text(text + extra)


def install(home: Path | None = None) -> FlaskBB:
    fb = FlaskBB(home)
    fb.root.mkdir(parents=True, exist_ok=True)
    print(f"FlaskBB 2.2.0 in {fb.root}")
    step(
        f"virtualenv with {PYTHON}",
        fb.python.exists(),
        lambda: subprocess.run([PYTHON, "-m", "venv", str(fb.venv)], check=True),
    )
    marker = fb.venv / ".installed"
    step(
        "pip install " + " ".join(REQUIREMENTS),
        marker.exists(),
        lambda: (
            subprocess.run(
                [str(fb.python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *REQUIREMENTS],
                check=True,
                capture_output=True,
            ),
            marker.touch(),
        ),
    )
    package = fb.site_packages() / "flaskbb"
    step(
        "from __future__ import annotations in 7 modules",
        all(FUTURE in (package / name).read_text() for name in PATCHED_MODULES),
        lambda: [patch_module(package / name) for name in PATCHED_MODULES],
    )
    logs = fb.site_packages() / "logs"
    step(f"mkdir {logs}", logs.is_dir(), lambda: logs.mkdir(parents=True))
    step("flaskbb makeconfig", fb.config.exists(), lambda: write_config(fb))
    return fb


if __name__ == "__main__":
    install(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
