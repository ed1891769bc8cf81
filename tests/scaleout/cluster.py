"""The scale-out deployment on 127.0.0.1, as deploy/ describes it: PostgreSQL, Redis, N gunicorn gevent
instances (deploy/instance.sh) and one `flask search worker`. Used by the tests and bench/load.py."""

import os
import signal
import subprocess
import sys
import uuid
from contextlib import ExitStack, contextmanager
from pathlib import Path

from tests.scaleout.services import REDIS_URL, fresh_postgres_database, require_redis
from tests.support.live import ROOT, LiveServer, free_port, server_env, wait_for_port


class Cluster:
    def __init__(self, env: dict, tmp_dir: Path):
        self.env = env
        self.tmp_dir = tmp_dir
        self.servers: list[LiveServer] = []
        self.worker: subprocess.Popen | None = None
        self.jobs_worker: subprocess.Popen | None = None
        self.worker_logs = 0

    def flask(self, *args) -> subprocess.CompletedProcess:
        """A `flask --app run` command against the cluster's database."""
        return subprocess.run(
            [sys.executable, "-m", "flask", "--app", "run", *args],
            cwd=ROOT, env=self.env, capture_output=True, text=True, check=True, timeout=180,
        )  # fmt: skip

    def flask_result(self, *args) -> subprocess.CompletedProcess:
        """Like `flask`, but returns a failed command's result instead of raising."""
        return subprocess.run(
            [sys.executable, "-m", "flask", "--app", "run", *args],
            cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=180,
        )  # fmt: skip

    def start_worker(self, *extra, group: str = "search") -> subprocess.Popen:
        """`flask search worker` (log worker-<n>.log), or `flask jobs worker` with group="jobs"."""
        if group == "search":
            self.worker_logs += 1
        name = f"worker-{self.worker_logs}.log" if group == "search" else f"{group}-worker.log"
        with open(self.tmp_dir / name, "w") as log:
            return subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "run", group, "worker", "--poll", "0.2", *extra],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip

    def start_instance(self) -> LiveServer:
        """One more gunicorn instance (deploy/instance.sh) on a free port."""
        port = free_port()
        log_path = self.tmp_dir / f"gunicorn-{port}.log"
        with open(log_path, "w") as log:
            process = subprocess.Popen(
                ["bash", str(ROOT / "deploy" / "instance.sh"), str(port)],
                cwd=ROOT, env={**self.env, "VENV": str(Path(sys.executable).parents[1])},
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        server = LiveServer(process, port, self.tmp_dir, self.env, log_path)
        wait_for_port(port, process, timeout=60)
        self.servers.append(server)
        return server

    @staticmethod
    def kill(process: subprocess.Popen, sig=signal.SIGKILL) -> None:
        """Kill a process and its children (gunicorn's master and worker) at once."""
        if process.poll() is None:
            os.killpg(process.pid, sig)
            process.wait(timeout=20)

    def stop(self) -> None:
        for process in [server.process for server in self.servers] + [self.worker, self.jobs_worker]:
            if process is not None and process.poll() is None:
                self.kill(process, signal.SIGTERM)


@contextmanager
def scaleout_cluster(tmp_dir: Path, instances: int = 2, search_worker: bool = True, **env):
    """A migrated PostgreSQL database, Redis as message queue, `instances` servers, the search worker
    and a jobs worker."""
    require_redis()
    tmp_dir.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        database_url = stack.enter_context(fresh_postgres_database())
        settings = server_env(
            tmp_dir,
            DATABASE_URL=database_url,
            SOCKETIO_MESSAGE_QUEUE=REDIS_URL,
            SOCKETIO_ASYNC_MODE="gevent",
            SEARCH_INDEXER="worker",
            JOBS_RUNNER="worker",
            SEARCH_BACKEND=env.pop("SEARCH_BACKEND", "postgres"),
            # Its own Redis channel and keys: clusters of concurrent test runs share one Redis.
            SOCKETIO_CHANNEL=env.pop("SOCKETIO_CHANNEL", f"majlis-test-{uuid.uuid4().hex}"),
            PRESENCE_KEY_PREFIX=f"majlis-test:{uuid.uuid4().hex}:",
            FRAGMENT_CACHE_URL=REDIS_URL,
            FRAGMENT_CACHE_PREFIX=f"majlis-test:{uuid.uuid4().hex}:fragment:",
            AUTO_MIGRATE="0",
            **env,
        )
        cluster = Cluster(settings, tmp_dir)
        stack.callback(cluster.stop)
        cluster.flask("prepare")
        if search_worker:
            cluster.worker = cluster.start_worker()
        cluster.jobs_worker = cluster.start_worker(group="jobs")
        for _ in range(instances):
            cluster.start_instance()
        yield cluster
