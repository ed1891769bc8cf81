"""The optional malware scan (`CLAMD_SOCKET`): a file is streamed to a ClamAV daemon with clamd's
INSTREAM command and waits in quarantine — attached, listed, never served — until the daemon calls
it clean. The protocol is four commands' worth of bytes, so this speaks it directly rather than
through the `clamd` package, unmaintained since 2014."""

import socket
import struct

CHUNK = 64 * 1024


class ScanFailed(Exception):
    """The daemon could not be reached or could not scan; the scan is tried again later."""


def _connect(address: str, timeout: float) -> socket.socket:
    """A Unix socket path (`/run/clamav/clamd.ctl`) or `host:port` (`127.0.0.1:3310`)."""
    try:
        if "/" in address:
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                connection.settimeout(timeout)
                connection.connect(address)
            except OSError:
                connection.close()
                raise
            return connection
        host, _, port = address.rpartition(":")
        return socket.create_connection((host, int(port)), timeout=timeout)
    except (OSError, ValueError) as error:
        raise ScanFailed(f"clamd at {address} is unreachable: {error}") from error


def _reply(connection: socket.socket) -> str:
    received = b""
    while not received.endswith(b"\0"):
        part = connection.recv(4096)
        if not part:
            break
        received += part
    return received.rstrip(b"\0").decode("utf-8", "replace").strip()


def scan(data: bytes, address: str, timeout: float = 60.0) -> str | None:
    """None when clamd finds nothing in `data`; the name of what it found otherwise."""
    try:
        with _connect(address, timeout) as connection:
            connection.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), CHUNK):
                chunk = data[start : start + CHUNK]
                connection.sendall(struct.pack("!L", len(chunk)) + chunk)
            connection.sendall(struct.pack("!L", 0))
            answer = _reply(connection)
    except OSError as error:
        raise ScanFailed(f"clamd at {address} failed: {error}") from error
    verdict = answer.removeprefix("stream:").strip()
    if verdict == "OK":
        return None
    if verdict.endswith(" FOUND"):
        return verdict.removesuffix(" FOUND").strip() or "unknown"
    raise ScanFailed(f"clamd answered {answer!r}")
