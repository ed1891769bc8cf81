"""A real SMTP server (aiosmtpd) for the tests, run as its own process on 127.0.0.1:

    python -m tests.support.smtp_sink --port 2525 --directory /tmp/mailbox [--refuse-rcpt 550] [--rcpt-delay 5]

Every message it accepts is written to the directory as `<n>.eml`, after the server answered 250.
`--refuse-rcpt CODE` answers every RCPT with CODE; `--rcpt-delay S` waits S seconds before answering
RCPT (a slow server, so that a test can kill the sender mid-message).
"""

import argparse
import asyncio
import itertools
import time
from pathlib import Path

from aiosmtpd.controller import Controller


class Mailbox:
    def __init__(self, directory: Path, refuse_rcpt: int | None, rcpt_delay: float):
        self.directory, self.refuse_rcpt, self.rcpt_delay = directory, refuse_rcpt, rcpt_delay
        self.counter = itertools.count(len(list(directory.glob("*.eml"))) + 1)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_delay:
            await asyncio.sleep(self.rcpt_delay)
        if self.refuse_rcpt:
            return f"{self.refuse_rcpt} No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        number = next(self.counter)
        temporary = self.directory / f"{number}.part"
        temporary.write_bytes(envelope.original_content or envelope.content)
        temporary.rename(self.directory / f"{number}.eml")
        return "250 Message accepted for delivery"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--directory", type=Path, required=True)
    parser.add_argument("--refuse-rcpt", type=int, default=None)
    parser.add_argument("--rcpt-delay", type=float, default=0.0)
    options = parser.parse_args()
    options.directory.mkdir(parents=True, exist_ok=True)
    handler = Mailbox(options.directory, options.refuse_rcpt, options.rcpt_delay)
    controller = Controller(handler, hostname="127.0.0.1", port=options.port)
    controller.start()
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
