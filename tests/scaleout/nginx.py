"""Real nginx in front of real instances, configured by deploy/nginx.conf itself.

The test copy changes only what a deployment changes too: one upstream `server` line per instance,
the listening address, the static files' path, and where nginx keeps its pid, logs and temp files.
The access log records which instance answered each request (`$upstream_addr`).
"""

import os
import re
import shutil
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

from tests.support.live import ROOT, free_port, skip_or_fail, wait_for_port

SITE_CONF = ROOT / "deploy" / "nginx.conf"
UPSTREAM_SERVER = re.compile(r"^(\s*)server 127\.0\.0\.1:\d+( [^;]*)?;\n", re.MULTILINE)

MAIN_CONF = """daemon off;
worker_processes 1;
{user}pid {tmp}/nginx.pid;
error_log {tmp}/error.log info;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    log_format upstream '$request_uri $status $upstream_addr';
    access_log {tmp}/access.log upstream;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/majlis.conf;
}}
"""


def site_conf(ports: list[int], listen_port: int) -> str:
    """deploy/nginx.conf with one upstream server per port, listening on 127.0.0.1:listen_port."""
    text = SITE_CONF.read_text()
    first = UPSTREAM_SERVER.search(text)
    assert first, "deploy/nginx.conf has no upstream `server 127.0.0.1:PORT` line"
    indent, options = first.group(1), first.group(2) or ""
    servers = "".join(f"{indent}server 127.0.0.1:{port}{options};\n" for port in ports)
    text = UPSTREAM_SERVER.sub("", text)
    text = text[: first.start()] + servers + text[first.start() :]
    text = re.sub(r"listen 80;", f"listen 127.0.0.1:{listen_port};", text)
    return re.sub(r"alias /srv/majlis/static/;", f"alias {ROOT / 'static'}/;", text)


class Nginx:
    def __init__(self, tmp_dir: Path, port: int, process: subprocess.Popen):
        self.tmp_dir, self.port, self.process = tmp_dir, port, process
        self.url = f"http://127.0.0.1:{port}"

    def upstreams(self, path_prefix: str, at_least: int = 0, timeout: float = 10.0) -> list[str]:
        """The instance (host:port) that answered each logged request under `path_prefix`, in order
        ("-" when nginx answered itself; when nginx tried several, the last one it tried).

        nginx writes a request's log line after the client has its response, so a test that has just
        made `at_least` requests waits up to `timeout` seconds for their lines."""
        deadline = time.monotonic() + timeout
        while True:
            lines = (self.tmp_dir / "access.log").read_text().splitlines()
            tried = [line.split(" ", 2)[2] for line in lines if line.startswith(path_prefix)]
            if len(tried) >= at_least or time.monotonic() > deadline:
                return [addresses.split(", ")[-1] for addresses in tried]
            time.sleep(0.05)


@contextmanager
def nginx_in_front(tmp_dir: Path, ports: list[int]):
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(binary):
        skip_or_fail("nginx is not installed (apt-get install nginx)")
    tmp_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    (tmp_dir / "majlis.conf").write_text(site_conf(ports, port))
    # As root, nginx's workers would switch to `nobody`, who may not read the static files here.
    user = "user root;\n" if os.geteuid() == 0 else ""
    (tmp_dir / "nginx.conf").write_text(MAIN_CONF.format(tmp=tmp_dir, user=user))
    check = subprocess.run(
        [binary, "-t", "-p", str(tmp_dir), "-e", str(tmp_dir / "error.log"), "-c", str(tmp_dir / "nginx.conf")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(
        [binary, "-p", str(tmp_dir), "-e", str(tmp_dir / "error.log"), "-c", str(tmp_dir / "nginx.conf")],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        wait_for_port(port, process, timeout=20)
        yield Nginx(tmp_dir, port, process)
    finally:
        process.terminate()
        process.wait(timeout=20)
