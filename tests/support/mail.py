"""Reading the mail a test caused: the .eml files of the embedded transport, or a real SMTP
server process (tests/support/smtp_sink.py) on 127.0.0.1 whose mailbox is a directory."""

import email
import email.policy
import re
import subprocess
import sys
import time
from pathlib import Path

from tests.support.live import ROOT, free_port, wait_for_port

LINK = re.compile(r"https?://[^\s<>\"]+")


def read_messages(directory: Path) -> list[email.message.EmailMessage]:
    """Every message in `directory`, oldest first."""
    files = sorted(Path(directory).glob("*.eml"), key=lambda path: (len(path.stem), path.stem))
    return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default) for path in files]


def outbox(app) -> list[email.message.EmailMessage]:
    """What the embedded transport wrote for `app` (no MAIL_SERVER): instance/mail/*.eml."""
    return read_messages(Path(app.config["INSTANCE_DIR"]) / "mail")


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(("html",)).get_content()


def links_in(message) -> list[str]:
    return LINK.findall(text_of(message))


def to(messages, address: str) -> list:
    return [message for message in messages if message["To"] == address]


class SmtpSink:
    """A real SMTP server process on 127.0.0.1; `messages()` reads what it accepted."""

    def __init__(self, directory: Path, port: int | None = None):
        self.directory, self.port = Path(directory), port or free_port()
        self.process = None

    def start(self, *options: str) -> "SmtpSink":
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.support.smtp_sink", "--port", str(self.port),
             "--directory", str(self.directory), *options], cwd=ROOT,
        )  # fmt: skip
        wait_for_port(self.port, self.process)
        return self

    def stop(self) -> None:
        from app.mail.transport import close_connections

        close_connections()  # this thread's connection to the server going away
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def messages(self) -> list:
        return read_messages(self.directory)

    def wait_for(self, count: int, timeout: float = 20.0) -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            messages = self.messages()
            if len(messages) >= count:
                return messages
            time.sleep(0.05)
        raise AssertionError(f"{len(self.messages())} messages arrived, {count} expected")

    def configure(self, app) -> None:
        app.config.update(
            MAIL_SERVER="127.0.0.1", MAIL_PORT=self.port, MAIL_USE_TLS=False, MAIL_USE_SSL=False
        )
