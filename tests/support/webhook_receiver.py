"""A webhook receiver for the tests, run as its own process on 127.0.0.1:

    python -P tests/support/webhook_receiver.py <port> <log.jsonl> [<status file>]

Every POST is appended to the log as one JSON line (its headers and body); it answers with the
status written in the status file (200 when there is none), so a test can make it fail."""

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PORT, LOG = int(sys.argv[1]), Path(sys.argv[2])
STATUS = Path(sys.argv[3]) if len(sys.argv) > 3 else None


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        status = int(STATUS.read_text()) if STATUS is not None and STATUS.exists() else 200
        with LOG.open("a") as log:
            log.write(
                json.dumps(
                    {
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": body.decode(),
                        "status": status,
                    }
                )
                + "\n"
            )
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args):
        pass


ThreadingHTTPServer(("127.0.0.1", PORT), Receiver).serve_forever()
