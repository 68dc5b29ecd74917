"""Loopback servers for the PyHTTPRequest suites (HTTPRequest vs PyHTTPRequest, same process).

The scenario table is scenarios.json next to this file: request_driver.gd reads the node side
of each scenario, this file the server side (`replies`). Godot inherits the ports:

    REQ_PORT          scripted HTTP/1.1 server on 127.0.0.1 ("main")
    REQ_OTHER_PORT    the same script, another origin (for cross-origin redirects)
    REQ_V6_PORT       the same on ::1
    REQ_TLS_PORT      the same behind TLS ("tls"; certificate for localhost from REQ_CA_FILE;
                      REQ_OTHER_CA_FILE is an unrelated CA)
    REQ_NGINX_PORT    nginx serving big.bin (REQ_BIG_SIZE bytes of zeros) for bulk downloads
    REQ_TMP           a folder for files the suites write
    REQ_CONTROL_PORT  GET /begin?name=<scenario> selects the scenario and clears the record;
                      GET /log returns {"connections": {server: n}, "requests": ["server: bytes"]}
    REQ_CLOSED_PORT   a loopback port where nothing listens
    REQ_DOCS          docs/http-differences.md (rows the scenarios cite)
    REQ_SUMMARY       where the differential suite writes its summary (pytest prints it)

The n-th request received since /begin (on any scripted server and connection) is answered by
`replies[n]`, a list of actions: a string is sent as bytes (each character one byte), {"sleep":
s} waits, "CLOSE" sends FIN, "RESET" sends RST, "SILENT" reads nothing more and answers nothing until the client
goes, and {"response": {...}} builds a response: status, headers, body (text) or gzip (list of
member texts) or gzip_words (n: n bytes of words, gzipped) or deflate (text), tail (bytes after the
encoded body), framing "length"
(default), "chunked" or "none". "{main}", "{other}", "{v6}" and "{tls}" in strings become the ports.
Without a reply the answer is `200 OK` with `Content-Length: 2` and `ok`. "SILENT" closes the connection after
SILENT_SECONDS (a client blocked on it, as the built-in's thread is, then gets free).
"""

from __future__ import annotations

import functools
import gzip
import json
import os
import random
import socket
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[3]
sys.path.insert(0, str(REPO / "tests" / "python" / "http"))
from harness.background import BackgroundServers  # noqa: E402
from harness.stage import escape, refused_port, serve_control  # noqa: E402
from servers import ScriptedServer  # noqa: E402  (tests/python/http/servers.py)

SILENT_SECONDS = 1.0
#: www/big.bin on nginx: the bounded-memory download (1 GiB, a sparse file).
BIG_FILE_SIZE = 1 << 30
DEFAULT_REPLY = ["HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"]
PORTS: dict[str, int] = {}


class Stage:
    """What the scripted servers play now, and what they received since /begin."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.scenarios = {s["name"]: s for s in json.loads((HERE / "scenarios.json").read_text())}
        self.current: dict = {}
        self.requests: list[tuple[str, bytes]] = []
        self.connections: dict[str, int] = {}

    def begin(self, name: str) -> bool:
        with self.lock:
            self.current = self.scenarios.get(name, {})
            self.requests = []
            self.connections = {}
        return bool(self.current)

    def log(self) -> bytes:
        with self.lock:
            return json.dumps(
                {"connections": self.connections, "requests": [f"{who}: {escape(raw)}" for who, raw in self.requests]}
            ).encode()


def ports_in(text: str) -> str:
    for name, port in PORTS.items():
        text = text.replace("{" + name + "}", str(port))
    return text


def build_response(spec: dict) -> bytes:
    """The bytes of a {"response": spec} action (see the module docstring)."""
    if "gzip_words" in spec:
        body = gzip_words(int(spec["gzip_words"]))
    elif "gzip" in spec:
        body = b"".join(gzip.compress(ports_in(m).encode("latin-1"), mtime=0) for m in spec["gzip"])
    elif "deflate" in spec:
        body = zlib.compress(spec["deflate"].encode("latin-1"))
    elif "repeat" in spec:
        body = (spec["repeat"][0] * int(spec["repeat"][1])).encode("latin-1")
    else:
        body = ports_in(spec.get("body", "")).encode("latin-1")
    body += spec.get("tail", "").encode("latin-1")
    headers = [ports_in(h) for h in spec.get("headers", [])]
    framing = spec.get("framing", "length")
    if framing == "length":
        headers.append(f"Content-Length: {len(body)}")
    elif framing == "chunked":
        headers.append("Transfer-Encoding: chunked")
        size = int(spec.get("chunk", 1000))
        body = (
            b"".join(
                b"%x\r\n" % len(body[i : i + size]) + body[i : i + size] + b"\r\n" for i in range(0, len(body), size)
            )
            + b"0\r\n\r\n"
        )
    head = f"HTTP/1.1 {spec.get('status', '200 OK')}\r\n" + "".join(h + "\r\n" for h in headers) + "\r\n"
    return head.encode("latin-1") + body


@functools.lru_cache(maxsize=4)
def words(n: int) -> bytes:
    """n bytes of deterministic text (pseudo-random words): compresses about 3:1, like real text."""
    rng = random.Random(n)
    vocabulary = [
        bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))) for _ in range(4096)
    ]
    out = bytearray()
    while len(out) < n:
        out += b" ".join(rng.choices(vocabulary, k=64)) + b"\n"
    return bytes(out[:n])


@functools.lru_cache(maxsize=4)
def gzip_words(n: int) -> bytes:
    return gzip.compress(words(n), compresslevel=6, mtime=0)


STAGE: Stage | None = None


def scripted(name: str):
    def handler(conn) -> None:
        stage = STAGE
        with stage.lock:
            stage.connections[name] = stage.connections.get(name, 0) + 1
        while True:
            try:
                raw = conn.read_request(timeout=10)
            except (EOFError, OSError, ValueError):
                return
            with stage.lock:
                index = len(stage.requests)
                stage.requests.append((name, raw))
                replies = stage.current.get("replies", [])
            actions = replies[index] if index < len(replies) else DEFAULT_REPLY
            try:
                for action in actions:
                    if action == "CLOSE":
                        conn.close()
                        return
                    if action == "RESET":
                        conn.reset()
                        return
                    if action == "SILENT":
                        try:
                            conn.recv_until(b"\0never", timeout=SILENT_SECONDS)
                        except (EOFError, OSError):
                            pass
                        conn.close()
                        return
                    if isinstance(action, dict) and "sleep" in action:
                        time.sleep(float(action["sleep"]))
                    elif isinstance(action, dict):
                        conn.send(build_response(action["response"]))
                    else:
                        conn.send(ports_in(action).encode("latin-1"))
            except OSError:
                return

    return handler


def start_servers() -> list[ScriptedServer]:
    global STAGE
    STAGE = Stage()
    for scenario in STAGE.scenarios.values():  # built once now, not while the first node waits
        for actions in scenario.get("replies", []):
            for action in actions:
                if isinstance(action, dict) and "gzip_words" in action.get("response", {}):
                    gzip_words(int(action["response"]["gzip_words"]))
    import ssl

    import trustme

    ca, other_ca = trustme.CA(), trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(context)
    folder = Path(tempfile.mkdtemp(prefix="request-"))
    (folder / "ca.crt").write_bytes(ca.cert_pem.bytes())
    (folder / "other_ca.crt").write_bytes(other_ca.cert_pem.bytes())
    www = folder / "www"
    www.mkdir()
    with open(www / "big.bin", "wb") as big:  # sparse: reads as zeros, takes no disk
        big.truncate(BIG_FILE_SIZE)
    nginx = _Nginx(folder, www)
    main = ScriptedServer(scripted("main"), backlog=64)
    tls = ScriptedServer(scripted("tls"), ssl_context=context, backlog=64)
    other = ScriptedServer(scripted("other"), backlog=64)
    v6 = ScriptedServer(scripted("v6"), family=socket.AF_INET6, backlog=64)
    ctl = ScriptedServer(functools.partial(serve_control, stage=STAGE, timeout=60))
    closed_port = refused_port()
    PORTS.update(main=main.port, other=other.port, v6=v6.port, tls=tls.port)
    os.environ.update(
        {
            "REQ_PORT": str(main.port),
            "REQ_OTHER_PORT": str(other.port),
            "REQ_V6_PORT": str(v6.port),
            "REQ_CONTROL_PORT": str(ctl.port),
            "REQ_TLS_PORT": str(tls.port),
            "REQ_CA_FILE": str(folder / "ca.crt"),
            "REQ_OTHER_CA_FILE": str(folder / "other_ca.crt"),
            "REQ_NGINX_PORT": str(nginx.port),
            "REQ_BIG_SIZE": str(BIG_FILE_SIZE),
            "REQ_TMP": str(folder),
            "REQ_CLOSED_PORT": str(closed_port),
            "REQ_DOCS": str(REPO / "docs" / "http-differences.md"),
            "REQ_SUMMARY": str(folder / "summary.txt"),
        }
    )
    return [main, other, v6, tls, ctl, nginx]


class _Nginx:
    """nginx serving `www` (bulk downloads: www/big.bin), stopped by close()."""

    def __init__(self, folder: Path, www: Path) -> None:
        from servers import running_nginx

        prefix = folder / "nginx"
        prefix.mkdir()
        self._running = running_nginx(prefix, www)
        self.port = self._running.__enter__()

    def close(self) -> None:
        self._running.__exit__(None, None, None)


SERVERS = BackgroundServers(start_servers)


def pytest_runtest_setup(item) -> None:
    SERVERS.ensure_started()


def pytest_sessionfinish(session) -> None:
    SERVERS.stop()


def pytest_terminal_summary(terminalreporter) -> None:
    """The differential suite's summary lines (written by its after_all)."""
    summary = os.environ.get("REQ_SUMMARY")
    if summary and Path(summary).exists():
        for line in Path(summary).read_text().splitlines():
            terminalreporter.write_line(line)
