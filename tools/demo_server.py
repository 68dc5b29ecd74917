"""The demo's local HTTP server: plain HTTP and TLS on loopback, with a CA made at start.

Used by tools/demo (through tools/demo_driver.py) and by the screenshot tests
(tests/demo/). Run it on its own to try the demo scene by hand in the editor:

    tools/run python3 tools/demo_server.py     # ports 8080 and 8443; prints the CA file; Ctrl-C stops

Routes (both servers):
    GET  /                 a small HTML page
    GET  /chunked          a chunked response, a few chunks with short pauses
    GET  /bytes            256 bytes 00..FF (binary: the demo shows it as hex)
    GET  /download         10 MiB of application/octet-stream (?size=N for another size)
    GET  /slow             a 256 KiB body trickled out over about 2 s (?seconds=N)
    POST/PUT/PATCH /echo   JSON: the method, path, headers and body it received
    GET  /status/NNN       an empty response with that status code
Everything else is a 404 page. The certificate is for "localhost" and 127.0.0.1, issued by
a CA generated at start (trustme when installed, else the openssl command); its PEM file
goes to the folder given to start_servers(), for TLSOptions.client(X509Certificate).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

DOWNLOAD_SIZE = 10 * 1024 * 1024
SLOW_SIZE = 256 * 1024

PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>godot_python demo server</title></head>
<body>
<h1>Hello from the demo server</h1>
<p>This page came over {scheme} from a Python server on loopback, fetched by Godot.</p>
<ul>
  <li><a href="/chunked">/chunked</a>: a chunked response</li>
  <li><a href="/download">/download</a>: 10 MiB of bytes</li>
  <li><a href="/slow">/slow</a>: a slow response</li>
  <li><a href="/bytes">/bytes</a>: binary</li>
</ul>
</body>
</html>
"""


def _pattern(size: int) -> bytes:
    """`size` deterministic bytes, cheap to make (a 64 KiB block repeated)."""
    block = bytes(range(256)) * 256
    whole, rest = divmod(size, len(block))
    return block * whole + block[:rest]


class DemoHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "godot-python-demo/1"
    scheme = "HTTP"

    def log_message(self, format, *args):  # quiet: the demo prints what matters
        pass

    def _query(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}

    def _send(self, code: int, body: bytes, content_type: str, extra: dict[str, str] | None = None):
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        path = urlsplit(self.path).path
        query = self._query()
        if path == "/":
            self._send(200, PAGE.format(scheme=self.scheme).encode(), "text/html; charset=utf-8", {"X-Demo": "hello"})
        elif path == "/chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            if self.command == "HEAD":
                return
            for n in range(1, 6):
                piece = f"chunk {n} of 5, sent at +{(n - 1) * 100} ms\n".encode()
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                self.wfile.flush()
                time.sleep(0.1)
            self.wfile.write(b"0\r\n\r\n")
        elif path == "/bytes":
            self._send(200, bytes(range(256)), "application/octet-stream")
        elif path == "/download":
            size = int(query.get("size", DOWNLOAD_SIZE))
            self._send(
                200,
                _pattern(size),
                "application/octet-stream",
                {"Content-Disposition": 'attachment; filename="download.bin"'},
            )
        elif path == "/slow":
            seconds = float(query.get("seconds", 2.0))
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(SLOW_SIZE))
            self.end_headers()
            if self.command == "HEAD":
                return
            pieces = 20
            data = _pattern(SLOW_SIZE)
            step = SLOW_SIZE // pieces
            for i in range(pieces):
                time.sleep(seconds / pieces)
                self.wfile.write(data[i * step : (i + 1) * step] if i < pieces - 1 else data[i * step :])
                self.wfile.flush()
        elif path.startswith("/status/") and path[8:].isdigit():
            self.send_response(int(path[8:]))
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/echo":
            self._echo()
        else:
            self._send(404, b"<h1>404: no such page on the demo server</h1>\n", "text/html; charset=utf-8")

    def _echo(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        answer = {
            "method": self.command,
            "path": self.path,
            "body": body.decode("utf-8", errors="replace"),
            "headers": dict(self.headers.items()),
        }
        self._send(200, (json.dumps(answer, indent=2) + "\n").encode(), "application/json")

    do_POST = do_PUT = do_PATCH = do_DELETE = _echo


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    tls_context: ssl.SSLContext | None = None

    def finish_request(self, request, client_address):
        if self.tls_context is not None:  # the handshake runs in the connection's own thread
            request = self.tls_context.wrap_socket(request, server_side=True)
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address):
        # A client refusing our certificate or hanging up mid-body is part of the demo.
        if not isinstance(sys.exc_info()[1], (ssl.SSLError, ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


@dataclass
class DemoServers:
    """Running servers: plain_url / tls_url end without a slash; ca_file is the CA's PEM."""

    plain_port: int
    tls_port: int
    ca_file: Path
    closed_port: int  # a loopback port where nothing listens (for the CANT_CONNECT example)
    _servers: tuple = ()

    @property
    def plain_url(self) -> str:
        return f"http://127.0.0.1:{self.plain_port}"

    @property
    def tls_url(self) -> str:
        return f"https://localhost:{self.tls_port}"

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()


def _tls_context(folder: Path) -> ssl.SSLContext:
    """A server context for localhost/127.0.0.1; writes folder/ca.crt. trustme, else openssl."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        import trustme
    except ImportError:
        trustme = None
    if trustme is not None:
        ca = trustme.CA()
        ca.issue_cert("localhost", "127.0.0.1").configure_cert(context)
        (folder / "ca.crt").write_bytes(ca.cert_pem.bytes())
        return context
    if not shutil.which("openssl"):
        raise RuntimeError("the TLS server needs the trustme module or the openssl command")

    def run(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=folder)

    run(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "2",
        "-subj",
        "/CN=godot_python demo CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign",
    )
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost")
    (folder / "san.ext").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    run(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.crt",
        "-days",
        "2",
        "-extfile",
        "san.ext",
    )
    context.load_cert_chain(folder / "server.crt", folder / "server.key")
    return context


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again at once: nothing listens there


def start_servers(folder: str | os.PathLike, port: int = 0, tls_port: int = 0) -> DemoServers:
    """Starts both servers on 127.0.0.1 in daemon threads (port 0: chosen by the system)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    plain = _Server(("127.0.0.1", port), DemoHandler)

    class TLSHandler(DemoHandler):
        scheme = "HTTPS"

    secure = _Server(("127.0.0.1", tls_port), TLSHandler)
    secure.tls_context = _tls_context(folder)
    for server in (plain, secure):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    return DemoServers(
        plain.server_address[1], secure.server_address[1], folder / "ca.crt", _closed_port(), (plain, secure)
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", help="where to write ca.crt (default: a temporary folder)")
    parser.add_argument("--port", type=int, default=8080, help="plain HTTP port (default 8080; 0: any)")
    parser.add_argument("--tls-port", type=int, default=8443, help="TLS port (default 8443; 0: any)")
    args = parser.parse_args()
    folder = args.folder or tempfile.mkdtemp(prefix="godot-python-demo-")
    servers = start_servers(folder, args.port, args.tls_port)
    print(f"plain HTTP: {servers.plain_url}/")
    print(f"TLS:        {servers.tls_url}/   (CA certificate: {servers.ca_file})")
    print("routes: / /chunked /bytes /download /slow /echo (POST) /status/NNN; Ctrl-C stops")
    sys.stdout.flush()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        servers.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
