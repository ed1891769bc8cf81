"""A stand-in ClamAV daemon speaking clamd's protocol (PING, INSTREAM with z or n framing) on a Unix
socket or a TCP port: it reports the EICAR test string as `Eicar-Test-Signature FOUND` and anything
else as OK. Run as a process: `python -m tests.support.fake_clamd /path/to/socket` or `127.0.0.1:PORT`."""

import asyncio
import socket
import struct
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
STREAM_MAX = 25 * 1024 * 1024  # clamd's StreamMaxLength default


async def _command(reader: asyncio.StreamReader) -> tuple[bytes, bytes]:
    first = await reader.readexactly(1)
    terminator = b"\0" if first == b"z" else b"\n"
    rest = await reader.readuntil(terminator)
    return rest[:-1], terminator


async def _stream(reader: asyncio.StreamReader) -> bytes | None:
    data = b""
    while True:
        (size,) = struct.unpack("!L", await reader.readexactly(4))
        if size == 0:
            return data
        data += await reader.readexactly(size)
        if len(data) > STREAM_MAX:
            return None


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        command, terminator = await _command(reader)
        if command == b"PING":
            answer = b"PONG"
        elif command == b"INSTREAM":
            data = await _stream(reader)
            if data is None:
                answer = b"INSTREAM size limit exceeded. ERROR"
            else:
                answer = b"stream: Eicar-Test-Signature FOUND" if EICAR in data else b"stream: OK"
        else:
            answer = b"UNKNOWN COMMAND"
        writer.write(answer + terminator)
        await writer.drain()
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        pass
    finally:
        writer.close()


async def serve(address: str) -> None:
    if "/" in address:
        server = await asyncio.start_unix_server(handle, path=address)
    else:
        host, _, port = address.rpartition(":")
        server = await asyncio.start_server(handle, host, int(port))
    async with server:
        await server.serve_forever()


@contextmanager
def fake_clamd(address: str):
    """Run this daemon as its own process on `address` (a socket path or 127.0.0.1:PORT) until the block ends."""
    process = subprocess.Popen([sys.executable, "-m", "tests.support.fake_clamd", address], cwd=ROOT)
    try:
        deadline = time.monotonic() + 20
        while not _listening(address):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the fake clamd did not start on {address}")
            time.sleep(0.05)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)
        if "/" in address:
            Path(address).unlink(missing_ok=True)


def _listening(address: str) -> bool:
    family = socket.AF_UNIX if "/" in address else socket.AF_INET
    target = address if "/" in address else (address.rpartition(":")[0], int(address.rpartition(":")[2]))
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        return probe.connect_ex(target) == 0


if __name__ == "__main__":
    asyncio.run(serve(sys.argv[1]))
