"""The SMTP server that takes replies by mail (aiosmtpd): it accepts only our signed reply
addresses at RCPT time and hands each message to `inbound.receive` in a worker thread.

A mail server relays `reply+*@MAIL_REPLY_DOMAIN` to it (Postfix: a transport map line
`reply.example.org  smtp:[127.0.0.1]:2525`). The embedded default runs it inside the web process
(MAIL_INBOUND_PORT), so a reply's live update leaves from the process the browsers are connected
to; scale-out runs `flask mail inbound` and reaches browsers through the Socket.IO message queue.
"""

import asyncio
import logging

from aiosmtpd.controller import Controller

from app.extensions import db
from app.mail import inbound

logger = logging.getLogger(__name__)

HARD_LIMIT_BYTES = (
    10 * 1024 * 1024
)  # past MAIL_INBOUND_MAX_BYTES a message is refused by mail; past this, by SMTP


class ReplyHandler:
    def __init__(self, app):
        self.app = app

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        """Any reply+… address at our domain is taken (a forged one is answered by mail after DATA)."""
        with self.app.app_context():
            ours = inbound.looks_like_reply_address(address)
        if not ours:
            return "550 5.1.1 No such recipient here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        loop = asyncio.get_running_loop()
        try:
            outcome = await loop.run_in_executor(
                None, self.receive, envelope.original_content, envelope.rcpt_tos
            )
        except Exception:  # the database is away: the sending server keeps the message and tries again
            logger.exception("Inbound mail could not be handled now")
            return "451 4.3.0 Try again later"
        logger.info("Inbound mail: %s", outcome)
        return "250 2.0.0 Message accepted"

    def receive(self, content: bytes, recipients: list[str]) -> str:
        with self.app.app_context(), self.app.test_request_context("/"):
            try:
                return inbound.receive(content, recipients)
            finally:
                db.session.remove()


def start(app, host: str, port: int) -> Controller:
    """Start the receiver in a thread of its own; `controller.stop()` ends it."""
    size = max(HARD_LIMIT_BYTES, 4 * app.config["MAIL_INBOUND_MAX_BYTES"])
    controller = Controller(ReplyHandler(app), hostname=host, port=port, data_size_limit=size)
    controller.start()
    logger.info("Receiving replies by mail on %s:%s", host, port)
    return controller
