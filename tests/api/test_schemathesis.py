"""The API held to its description: schemathesis reads /api/v1/openapi.json from a live server and
sends what the document allows (its examples, the edges of every schema, random inputs, and
stateful sequences of calls), anonymously and with a member's token. Zero server errors, zero
responses outside the document (status codes, content types, headers, bodies)."""

import re
import subprocess
import sys
from pathlib import Path

from tests.support.http import Visitor
from tests.support.live import live_server

CHECKS = ",".join(
    (
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    )
)


def _member_token(server) -> str:
    member = Visitor(server.url).register("apitester")
    page = member.http.get(server.url + "/settings/tokens", timeout=10).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    made = member.http.post(
        server.url + "/settings/tokens",
        data={
            "csrf_token": token,
            "name": "schemathesis",
            "scopes": ["read", "write", "consultation"],
            "days": "30",
        },
        timeout=10,
    )
    assert made.status_code == 201, made.text[:300]
    member.new_thread("c7-e-health", "A thread for the API's tests", "Its opening post, long enough.")
    return re.search(r'id="new-token"[^>]*value="(mjl_[^"]+)"', made.text).group(1)


def _run(server, *extra) -> subprocess.CompletedProcess:
    schemathesis = Path(sys.executable).with_name("schemathesis")
    return subprocess.run(
        [
            str(schemathesis),
            "run",
            f"{server.url}/api/v1/openapi.json",
            "--checks",
            CHECKS,
            "--phases",
            "examples,coverage,fuzzing,stateful",
            "--max-examples",
            "25",
            "--seed",
            "19",
            "--request-timeout",
            "30",
            "--no-color",
            *extra,
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=900,
        cwd=server.tmp_dir,  # schemathesis keeps a cache of what it found in .schemathesis/ there
    )


def test_the_api_keeps_to_its_openapi_document(tmp_path):
    with live_server(tmp_path / "server") as server:
        server.flask("seed-demo")
        token = _member_token(server)
        for who, extra in (("anonymous", ()), ("member", ("-H", f"Authorization: Bearer {token}"))):
            result = _run(server, *extra)
            assert result.returncode == 0, f"{who}:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
        assert "Traceback" not in server.log()
