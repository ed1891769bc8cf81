"""Handing a built message to the world: an SMTP server, or (no MAIL_SERVER) an .eml file.

SMTP connections are kept open per thread and per server between messages, so a runner working
through a batch logs in once; a connection the server dropped is opened again once.
"""

import logging
import re
import smtplib
import ssl
import threading
from email.message import EmailMessage
from pathlib import Path

logger = logging.getLogger(__name__)

LINK = re.compile(r"https?://\S+")


class PermanentFailure(Exception):
    """The server refused the message for good (a 5xx answer): sending again would not help."""


class FileTransport:
    """The embedded default: each message becomes `<directory>/<row id>-<Message-ID>.eml`; its subject
    and links go to the log, so a reset link can be followed with no mail server."""

    def __init__(self, directory: Path):
        self.directory = directory

    def send(self, message: EmailMessage, row_id: int) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{row_id:08d}-{message['Message-ID'].strip('<>').split('@')[0]}.eml"
        (self.directory / name).write_bytes(bytes(message))
        body = message.get_body(("plain",))
        links = LINK.findall(body.get_content()) if body is not None else []
        logger.info("Mail to %s: %s (%s) %s", message["To"], message["Subject"], name, " ".join(links))


_connections = threading.local()


class SMTPTransport:
    """MAIL_SERVER with MAIL_PORT, STARTTLS (MAIL_USE_TLS) or TLS from the start (MAIL_USE_SSL), and
    MAIL_USERNAME / MAIL_PASSWORD when set."""

    def __init__(self, config):
        self.host, self.port = config["MAIL_SERVER"], config["MAIL_PORT"]
        self.use_tls, self.use_ssl = config["MAIL_USE_TLS"], config["MAIL_USE_SSL"]
        self.username, self.password = config["MAIL_USERNAME"], config["MAIL_PASSWORD"]
        self.timeout = config["MAIL_TIMEOUT"]
        self.key = (self.host, self.port, self.use_tls, self.use_ssl, self.username)

    def send(self, message: EmailMessage, row_id: int) -> None:
        try:
            self._send_once(message)
        except smtplib.SMTPServerDisconnected:
            self.close()
            self._send_once(message)  # an idle connection the server closed: one fresh try
        except smtplib.SMTPRecipientsRefused as refused:
            codes = [code for code, _text in refused.recipients.values()]
            if all(code >= 500 for code in codes):
                raise PermanentFailure(f"recipient refused: {refused.recipients}") from refused
            raise
        except smtplib.SMTPResponseException as answer:
            if answer.smtp_code >= 500:
                raise PermanentFailure(f"{answer.smtp_code} {answer.smtp_error!r}") from answer
            self.close()
            raise
        except (OSError, smtplib.SMTPException):
            self.close()
            raise

    def _send_once(self, message: EmailMessage) -> None:
        self._connection().send_message(message)

    def _connection(self) -> smtplib.SMTP:
        cached = getattr(_connections, "open", {})
        connection = cached.get(self.key)
        if connection is None:
            connection = self._connect()
            cached[self.key] = connection
            _connections.open = cached
        return connection

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        if self.use_ssl:
            connection = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.use_tls:
                connection.starttls(context=context)
        if self.username:
            connection.login(self.username, self.password or "")
        return connection

    def close(self) -> None:
        """Forget this thread's connection to this server (after an error or when done)."""
        connection = getattr(_connections, "open", {}).pop(self.key, None)
        if connection is not None:
            try:
                connection.quit()
            except (OSError, smtplib.SMTPException):
                connection.close()


def close_connections() -> None:
    """Close this thread's open SMTP connections (a runner going idle, a test's server going away)."""
    for connection in getattr(_connections, "open", {}).values():
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            connection.close()
    _connections.open = {}


def transport_for(config):
    if config.get("MAIL_SERVER"):
        return SMTPTransport(config)
    directory = config.get("MAIL_FILE_DIR") or Path(config["INSTANCE_DIR"]) / "mail"
    return FileTransport(Path(directory))
