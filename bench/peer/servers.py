"""The three deployments compared, seeded once (cached under PEER_HOME by data-set version) and served
from a fresh copy of the seeded data on every run (the benchmark's replies must not pile up).

- majlis:    gunicorn -w 2 (sync workers) run:app on SQLite + Whoosh, search indexer and jobs as the
             embedded default runs them (background threads in each web process);
- flaskbb:   FlaskBB 2.2.0, gunicorn -w 2 'flaskbb:create_app(...)' on SQLite + Whoosh (flask-whooshee);
- majlis-pg: gunicorn -w 2 run:app on PostgreSQL (search in PostgreSQL), Redis as Socket.IO message queue
             and shared fragment cache, one `flask search worker` and one `flask jobs worker`.
"""

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from contextlib import ExitStack, contextmanager
from pathlib import Path

import dataset
import psycopg
from install import FlaskBB, install, peer_home

from tests.support import live

ROOT = Path(__file__).resolve().parents[2]
MAJLIS_PY = Path(sys.executable)
POSTGRES = os.environ.get("PEER_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("PEER_REDIS_URL", "redis://127.0.0.1:6379/7")
PG_RUN = "majlis_peer_run"
SECRET_KEY = "peer-bench-secret"
# As bench/load.py: rate limits and new-account abuse limits off, so seeding and writing accounts can post.
MAJLIS_LIMITS = {
    "RATELIMIT_ENABLED": "0",
    "NEW_USER_MAX_THREADS_PER_DAY": "1000",
    "NEW_USER_ACCEPTED_POSTS": "0",
    "DUPLICATE_POST_WINDOW_SECONDS": "0",
    "REQUIRE_EMAIL_CONFIRMATION": "0",
}


def data_dir() -> Path:
    return peer_home() / "data" / f"v{dataset.VERSION}"


def schema_key() -> str:
    """Majlis's migrations on disk: seeded Majlis data is kept per schema, and seeded again when it changes."""
    names = sorted(path.name for path in (ROOT / "migrations/versions").glob("*.py"))
    return hashlib.sha1("\n".join(names).encode()).hexdigest()[:8]


def pg_template() -> str:
    return f"majlis_peer_v{dataset.VERSION}_{schema_key()}"


def run_dir() -> Path:
    return peer_home() / "run"


def dir_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    """tests/support/live.py's wait, longer (a gunicorn loading 50,000 posts' app), naming the log."""
    try:
        live.wait_for_port(port, process, timeout=90)
    except (RuntimeError, TimeoutError) as error:
        raise type(error)(f"{error}; see {log}") from None


def _start_seeding(target: Path, what: str) -> tuple[Path, float]:
    """`target` emptied for a new seed; its marker (written by `_done` at the end) and the start time."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    print(f"Seeding {what}...", flush=True)
    return target / ".seeded", time.perf_counter()


def _vacuum(sqlite_path: Path) -> None:
    import sqlite3

    with sqlite3.connect(sqlite_path) as connection:
        connection.execute("VACUUM")


def _done(marker: Path, started: float) -> None:
    marker.write_text(json.dumps({"seconds": round(time.perf_counter() - started, 1)}))


def seeded_seconds(marker: Path) -> float:
    return json.loads(marker.read_text())["seconds"]


# -- seeding (cached) ----------------------------------------------------------------------------------


def majlis_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "WERKZEUG_"))}
    env.update({"SECRET_KEY": SECRET_KEY, "AUTO_MIGRATE": "0", "PYTHONUNBUFFERED": "1", **MAJLIS_LIMITS})
    env.update({k: str(v) for k, v in extra.items()})
    return env


def _seed_majlis(env: dict, log: Path) -> None:
    with open(log, "w") as out:
        subprocess.run(
            [str(MAJLIS_PY), str(ROOT / "bench/peer/seed_majlis.py")],
            cwd=ROOT, env=env, check=True, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip


def _prepare_majlis(env: dict, log: Path) -> None:
    """`flask prepare` on the copy: migrations added since the data was seeded (a no-op otherwise)."""
    with open(log, "w") as out:
        subprocess.run(
            [str(MAJLIS_PY), "-m", "flask", "--app", "run", "prepare"],
            cwd=ROOT, env=env, check=True, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip


def seed_majlis_sqlite() -> Path:
    target = data_dir() / f"majlis-{schema_key()}"
    marker = target / ".seeded"
    if marker.exists():
        return target
    marker, started = _start_seeding(target, "Majlis (SQLite, Whoosh)")
    env = majlis_env(
        DATABASE_URL=f"sqlite:///{target / 'majlis.db'}",
        SEARCH_INDEX_DIR=target / "search_index",
        INSTANCE_DIR=target / "instance",
    )
    _seed_majlis(env, target / "seed.log")
    _vacuum(target / "majlis.db")
    _done(marker, started)
    return target


def _pg(database: str = "postgres"):
    return psycopg.connect(f"{POSTGRES}/{database}", autocommit=True)


def _database_exists(name: str) -> bool:
    with _pg() as connection:
        return (
            connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None
        )


def seed_majlis_postgres() -> Path:
    """The seeded database is kept as pg_template(); each run serves a copy (CREATE DATABASE ... TEMPLATE).
    Templates of other data-set versions or schemas are dropped."""
    template = pg_template()
    target = data_dir() / f"majlis-pg-{schema_key()}"
    marker = target / ".seeded"
    if marker.exists() and _database_exists(template):
        return target
    marker, started = _start_seeding(target, f"Majlis (PostgreSQL database {template})")
    with _pg() as connection:
        stale = connection.execute("SELECT datname FROM pg_database WHERE datname LIKE 'majlis\\_peer\\_v%'")
        for (name,) in stale.fetchall():
            connection.execute(f"DROP DATABASE {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {template}")
    env = majlis_env(
        DATABASE_URL=f"{POSTGRES.replace('postgresql://', 'postgresql+psycopg://')}/{template}",
        SEARCH_BACKEND="postgres",
        INSTANCE_DIR=target / "instance",
        SEARCH_INDEX_DIR=target / "unused_search_index",
    )
    _seed_majlis(env, target / "seed.log")
    with _pg(template) as connection:
        connection.execute("VACUUM ANALYZE")
    _done(marker, started)
    return target


def flaskbb_env(fb: FlaskBB, db_path: Path, whoosh_dir: Path) -> dict:
    env = fb.env()
    env["FLASKBB_SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{db_path}"
    env["FLASKBB_WHOOSHEE_DIR"] = str(whoosh_dir)
    return env


def seed_flaskbb(fb: FlaskBB) -> Path:
    """`flaskbb install`, then bench/peer/seed_flaskbb.py under FlaskBB's Python."""
    target = data_dir() / "flaskbb"
    marker = target / ".seeded"
    if marker.exists():
        return target
    marker, started = _start_seeding(target, "FlaskBB (SQLite, Whoosh)")
    env = flaskbb_env(fb, target / "flaskbb.sqlite", target / "whoosh_index")
    log = target / "seed.log"
    with open(log, "w") as out:
        subprocess.run(
            [str(fb.venv / "bin/flaskbb"), "--config", str(fb.config), "install", "--force",
             "--username", "admin", "--email", "admin@example.org", "--password", dataset.PASSWORD],
            cwd=fb.root, env=env, check=True, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        subprocess.run(
            [str(fb.python), str(ROOT / "bench/peer/seed_flaskbb.py"), str(fb.config), str(target / "ids.json")],
            cwd=fb.root, env=env, check=True, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    _vacuum(target / "flaskbb.sqlite")
    _done(marker, started)
    return target


def storage() -> dict:
    """Bytes on disk of each seeded SQLite database and search index directory."""
    base, majlis = data_dir(), data_dir() / f"majlis-{schema_key()}"
    return {
        "majlis": (dir_size(majlis / "majlis.db"), dir_size(majlis / "search_index")),
        "flaskbb": (dir_size(base / "flaskbb/flaskbb.sqlite"), dir_size(base / "flaskbb/whoosh_index")),
    }


# -- serving -------------------------------------------------------------------------------------------


class Server:
    def __init__(self, name: str, url: str, log: Path, processes: list[subprocess.Popen], ids: dict):
        self.name, self.url, self.log, self.processes, self.ids = name, url, log, processes, ids

    def problems(self) -> int:
        """Tracebacks written to the server's and its workers' logs."""
        return sum(
            path.read_text(errors="replace").count("Traceback") for path in self.log.parent.glob("*.log")
        )


def _start(command, cwd, env, log: Path) -> subprocess.Popen:
    with open(log, "w") as out:
        return subprocess.Popen(
            command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _gunicorn(binary: Path, app: str, port: int, worker_class: str) -> list[str]:
    return [str(binary), "--no-control-socket", "-w", "2", "-k", worker_class, "--bind", f"127.0.0.1:{port}",
            "--timeout", "120", "--error-logfile", "-", app]  # fmt: skip


@contextmanager
def serve_majlis(seeded: Path, workers: str):
    here = run_dir() / "majlis"
    here.mkdir(parents=True)
    shutil.copy(seeded / "majlis.db", here / "majlis.db")
    shutil.copytree(seeded / "search_index", here / "search_index")
    env = majlis_env(
        DATABASE_URL=f"sqlite:///{here / 'majlis.db'}",
        SEARCH_INDEX_DIR=here / "search_index",
        INSTANCE_DIR=here / "instance",
    )
    _prepare_majlis(env, here / "prepare.log")
    port, log = live.free_port(), here / "gunicorn.log"
    process = _start(_gunicorn(MAJLIS_PY.parent / "gunicorn", "run:app", port, workers), ROOT, env, log)
    try:
        wait_for_port(port, process, log)
        yield Server("majlis", f"http://127.0.0.1:{port}", log, [process], {})
    finally:
        _stop(process)


@contextmanager
def serve_majlis_postgres(seeded: Path, workers: str):
    here = run_dir() / "majlis-pg"
    here.mkdir(parents=True)
    with _pg() as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {PG_RUN}")
        connection.execute(f"CREATE DATABASE {PG_RUN} TEMPLATE {pg_template()}")
    tag = uuid.uuid4().hex[:12]
    env = majlis_env(
        DATABASE_URL=f"{POSTGRES.replace('postgresql://', 'postgresql+psycopg://')}/{PG_RUN}",
        SEARCH_BACKEND="postgres",
        SEARCH_INDEXER="worker",
        JOBS_RUNNER="worker",
        SOCKETIO_MESSAGE_QUEUE=REDIS_URL,
        SOCKETIO_CHANNEL=f"majlis-peer-{tag}",
        PRESENCE_KEY_PREFIX=f"majlis-peer:{tag}:presence:",
        FRAGMENT_CACHE_URL=REDIS_URL,
        FRAGMENT_CACHE_PREFIX=f"majlis-peer:{tag}:fragment:",
        FRAGMENT_CACHE_TTL=900,
        INSTANCE_DIR=here / "instance",
        SEARCH_INDEX_DIR=here / "unused_search_index",
    )
    _prepare_majlis(env, here / "prepare.log")
    port = live.free_port()
    flask = [str(MAJLIS_PY), "-m", "flask", "--app", "run"]
    processes = []
    try:
        processes.append(_start([*flask, "search", "worker"], ROOT, env, here / "search-worker.log"))
        processes.append(_start([*flask, "jobs", "worker"], ROOT, env, here / "jobs-worker.log"))
        log = here / "gunicorn.log"
        web = _start(_gunicorn(MAJLIS_PY.parent / "gunicorn", "run:app", port, workers), ROOT, env, log)
        processes.append(web)
        wait_for_port(port, web, log)
        yield Server("majlis-pg", f"http://127.0.0.1:{port}", log, processes, {})
    finally:
        for process in reversed(processes):
            _stop(process)
        with _pg() as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {PG_RUN} WITH (FORCE)")


@contextmanager
def serve_flaskbb(fb: FlaskBB, seeded: Path):
    here = run_dir() / "flaskbb"
    here.mkdir(parents=True)
    shutil.copy(seeded / "flaskbb.sqlite", here / "flaskbb.sqlite")
    shutil.copytree(seeded / "whoosh_index", here / "whoosh_index")
    env = flaskbb_env(fb, here / "flaskbb.sqlite", here / "whoosh_index")
    port, log = live.free_port(), here / "gunicorn.log"
    app = f'flaskbb:create_app(config="{fb.config}")'
    process = _start(_gunicorn(fb.gunicorn, app, port, "sync"), fb.root, env, log)
    try:
        wait_for_port(port, process, log)
        ids = json.loads((seeded / "ids.json").read_text())
        yield Server("flaskbb", f"http://127.0.0.1:{port}", log, [process], ids)
    finally:
        _stop(process)


@contextmanager
def deployments(names: list[str], majlis_workers: str = "sync"):
    """Install and seed what is missing, then serve the deployments named; yields {name: Server}."""
    fb = install() if "flaskbb" in names else None
    seeded = {}
    if "majlis" in names:
        seeded["majlis"] = seed_majlis_sqlite()
    if "flaskbb" in names:
        seeded["flaskbb"] = seed_flaskbb(fb)
    if "majlis-pg" in names:
        seeded["majlis-pg"] = seed_majlis_postgres()
    shutil.rmtree(run_dir(), ignore_errors=True)
    run_dir().mkdir(parents=True)
    with ExitStack() as stack:
        servers = {}
        for name in names:
            if name == "majlis":
                servers[name] = stack.enter_context(serve_majlis(seeded[name], majlis_workers))
            elif name == "flaskbb":
                servers[name] = stack.enter_context(serve_flaskbb(fb, seeded[name]))
            else:
                servers[name] = stack.enter_context(serve_majlis_postgres(seeded[name], majlis_workers))
        yield servers, {name: seeded_seconds(path / ".seeded") for name, path in seeded.items()}
