"""What the scripted-server suites (differential, request) share on the server side.

Each of those suites plays one scenario at a time: a control server selects it
(`GET /begin?name=<scenario>`) and reports what the scripted servers received (`GET /log`).
The suite's own `Stage` decides what a scenario is and how the record looks; this module
serves the control protocol, writes received bytes readably, and finds a refused port.
"""

from __future__ import annotations

import hashlib
import socket
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

#: Received data longer than this is shown as its first SHOWN_PREFIX bytes, length and SHA-256.
SHOWN_LIMIT = 2048
SHOWN_PREFIX = 512


class Stage(Protocol):
    def begin(self, name: str) -> bool: ...

    def log(self) -> bytes: ...


def escape(data: bytes) -> str:
    """Readable and exact: printable ASCII as is, everything else as \\r, \\n or \\xNN;
    long data as its first bytes, then its length and SHA-256."""
    if len(data) > SHOWN_LIMIT:
        digest = hashlib.sha256(data).hexdigest()
        return escape(data[:SHOWN_PREFIX]) + f"...({len(data)} bytes sha256={digest})"
    out = []
    for b in data:
        if b == 13:
            out.append("\\r")
        elif b == 10:
            out.append("\\n")
        elif 32 <= b < 127 and b != 92:
            out.append(chr(b))
        else:
            out.append(f"\\x{b:02x}")
    return "".join(out)


def serve_control(conn: Any, stage: Stage, timeout: float) -> None:
    """The control server's handler: /begin selects a scenario, anything else returns the log."""
    while True:
        try:
            raw = conn.read_request(timeout=timeout)
        except (EOFError, OSError):
            return
        target = urlsplit(raw.split(b" ", 2)[1].decode())
        if target.path == "/begin":
            found = stage.begin(parse_qs(target.query).get("name", [""])[0])
            body = b"ok" if found else b"unknown scenario"
        else:
            body = stage.log()
        conn.send(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)


def refused_port() -> int:
    """A loopback port nothing listens on (bound once, then released), for connection-refused cases."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port
