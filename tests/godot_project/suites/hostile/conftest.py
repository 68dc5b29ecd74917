"""A hostile loopback HTTP server for the PyHTTPClient suites in this folder (issue 6).

It runs in the pytest process; Godot inherits its port as HOSTILE_PORT. Routes (one request
per route; the connection is kept open unless the route says otherwise):

    /ok            200, Content-Length 5, "hello" (keep-alive; every later request too)
    /bad-status    "HTTP/1.1 2000 OK"                         -> Invalid HTTP status line
    /huge-header   one 70 KiB header line                     -> MAX_HEADER_LINE
    /many-headers  300 header lines                           -> MAX_HEADERS
    /cl-plus       Content-Length: +5                         -> Invalid Content-Length
    /bad-chunk     chunk size "zz"                            -> HTTP Chunk len not in hex!!
    /trunc         Content-Length 10, 5 bytes, then FIN       -> 5 of 10 bytes missing
    /smuggle       a response followed by a second one        -> unexpected bytes ... desync
    /stall         nothing at all, connection kept open
    /reset         RST instead of a response
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "python" / "http"))
from harness.background import BackgroundServers  # noqa: E402
from servers import ScriptedServer  # noqa: E402  (tests/python/http/servers.py)

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
H = b"HTTP/1.1 200 OK\r\n"
ROUTES = {
    "/ok": OK,
    "/bad-status": b"HTTP/1.1 2000 OK\r\n\r\n",
    "/huge-header": H + b"X-Big: " + b"b" * 70000 + b"\r\n\r\n",
    "/many-headers": H + b"X-A: 1\r\n" * 300 + b"\r\n",
    "/cl-plus": H + b"Content-Length: +5\r\n\r\nhello",
    "/bad-chunk": H + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n",
    "/smuggle": OK + b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nEVIL",
}


def route(conn) -> None:
    while True:
        try:
            raw = conn.read_request(timeout=30)
        except (EOFError, OSError):
            return
        path = raw.split(b" ", 2)[1].decode("latin-1")
        if path == "/trunc":
            conn.send(H + b"Content-Length: 10\r\n\r\nhello")
            conn.close()
            return
        if path == "/reset":
            conn.reset()
            return
        if path == "/stall":
            try:
                conn.recv_until(b"\0never", timeout=30)
            except (EOFError, OSError):
                pass
            return
        try:
            conn.send(ROUTES.get(path, b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"))
        except OSError:
            return


def start_servers() -> list[ScriptedServer]:
    server = ScriptedServer(route, backlog=64)
    os.environ["HOSTILE_PORT"] = str(server.port)
    return [server]


SERVERS = BackgroundServers(start_servers)


def pytest_runtest_setup(item) -> None:
    SERVERS.ensure_started()


def pytest_sessionfinish(session) -> None:
    SERVERS.stop()
