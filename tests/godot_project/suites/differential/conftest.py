"""Loopback servers for the differential suite (HTTPClient vs PyHTTPClient, same process).

The scenario table is scenarios.json next to this file: the GDScript driver
(differential_driver.gd) reads the client side of each scenario, this file the server side
(`replies`). Godot inherits the ports through environment variables:

    DIFF_PORT          scripted HTTP/1.1 server on 127.0.0.1
    DIFF_V6_PORT       the same on ::1
    DIFF_TLS_PORT      the same behind TLS (certificate for "localhost" from a test CA)
    DIFF_CA_FILE       that CA (PEM)
    DIFF_CLOSED_PORT   a loopback port where nothing listens (connections are refused)
    DIFF_CONTROL_PORT  control server: GET /begin?name=<scenario> resets the record and selects
                       the scenario the scripted servers play; GET /log returns what they received
    DIFF_SCENARIOS     absolute path of scenarios.json
    DIFF_DOCS          absolute path of docs/http-differences.md
    DIFF_SUMMARY       where the suite writes its summary line (pytest prints it at the end)

Scripted servers: the n-th request received since /begin (over any connection) is answered by
`replies[n]` of the current scenario, a list of actions: a string is sent as bytes (each
character one byte, so "\\u00ff" is byte 0xff), {"sleep": s} waits, "CLOSE" sends FIN and ends
the connection, "RESET" sends RST. Without a reply the server answers `HTTP/1.1 200 OK` with
`Content-Length: 2` and `ok`. Every request (head and Content-Length body) is recorded as
received, so the driver can compare the exact bytes each client sent.
"""

from __future__ import annotations

import functools
import json
import os
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[3]
sys.path.insert(0, str(REPO / "tests" / "python" / "http"))
from harness.background import BackgroundServers  # noqa: E402
from harness.stage import escape, refused_port, serve_control  # noqa: E402
from servers import ScriptedServer  # noqa: E402  (tests/python/http/servers.py)

DEFAULT_REPLY = ["HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"]


class Stage:
    """What the scripted servers play now, and what they received since /begin."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.scenarios = {s["name"]: s for s in json.loads((HERE / "scenarios.json").read_text())}
        self.current: dict = {}
        self.requests: list[bytes] = []
        self.connections = 0

    def begin(self, name: str) -> bool:
        with self.lock:
            self.current = self.scenarios.get(name, {})
            self.requests = []
            self.connections = 0
        return bool(self.current)

    def log(self) -> bytes:
        with self.lock:
            return json.dumps(
                {"connections": self.connections, "requests": [escape(r) for r in self.requests]}
            ).encode()


STAGE: Stage | None = None


def scripted(conn) -> None:
    stage = STAGE
    with stage.lock:
        stage.connections += 1
    while True:
        try:
            raw = conn.read_request(timeout=10)
        except (EOFError, OSError, ValueError):
            return
        with stage.lock:
            index = len(stage.requests)
            stage.requests.append(raw)
            replies = stage.current.get("replies", [])
        actions = replies[index] if index < len(replies) else DEFAULT_REPLY
        try:
            for action in actions:
                if isinstance(action, str) and action == "CLOSE":
                    conn.close()
                    return
                if isinstance(action, str) and action == "RESET":
                    conn.reset()
                    return
                if isinstance(action, dict):
                    time.sleep(float(action["sleep"]))
                else:
                    conn.send(action.encode("latin-1"))
        except OSError:
            return


def start_servers() -> list[ScriptedServer]:
    global STAGE
    import ssl

    import trustme

    STAGE = Stage()
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(context)
    folder = Path(tempfile.mkdtemp(prefix="diff-"))
    (folder / "ca.crt").write_bytes(ca.cert_pem.bytes())
    plain = ScriptedServer(scripted)
    v6 = ScriptedServer(scripted, family=socket.AF_INET6)
    secure = ScriptedServer(scripted, ssl_context=context)
    ctl = ScriptedServer(functools.partial(serve_control, stage=STAGE, timeout=30))
    closed_port = refused_port()
    os.environ.update(
        {
            "DIFF_PORT": str(plain.port),
            "DIFF_V6_PORT": str(v6.port),
            "DIFF_TLS_PORT": str(secure.port),
            "DIFF_CA_FILE": str(folder / "ca.crt"),
            "DIFF_CLOSED_PORT": str(closed_port),
            "DIFF_CONTROL_PORT": str(ctl.port),
            "DIFF_SCENARIOS": str(HERE / "scenarios.json"),
            "DIFF_DOCS": str(REPO / "docs" / "http-differences.md"),
            "DIFF_SUMMARY": str(folder / "summary.txt"),
        }
    )
    return [plain, v6, secure, ctl]


SERVERS = BackgroundServers(start_servers)


def pytest_runtest_setup(item) -> None:
    SERVERS.ensure_started()


def pytest_sessionfinish(session) -> None:
    SERVERS.stop()


def pytest_terminal_summary(terminalreporter) -> None:
    """The suite's summary line (written by test_differential.gd's after_all)."""
    summary = os.environ.get("DIFF_SUMMARY")
    if summary and Path(summary).exists():
        terminalreporter.write_line(Path(summary).read_text().strip())
