"""Loopback test servers scripted byte by byte (after urllib3's socket-level tests).

``ScriptedServer(handler)`` listens on 127.0.0.1 (or ::1) port 0 and runs ``handler(conn)`` on a
thread for each accepted connection. ``conn`` is a ``ServerConn``: ``read_request()`` returns the
raw bytes of one request (head + Content-Length body), ``send(data)``, ``close()`` (FIN),
``reset()`` (RST). Every request received is appended to ``server.requests`` so tests can assert
the exact bytes the client sent. Optional ``ssl_context`` wraps accepted sockets in TLS.
"""

import contextlib
import os
import socket
import ssl
import struct
import subprocess
import threading
import time


class ServerConn:
    def __init__(self, sock, server):
        self.sock = sock
        self.server = server
        self.buf = b""

    def recv_until(self, marker, timeout=5.0):
        self.sock.settimeout(timeout)
        while marker not in self.buf:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError("client closed")
            self.buf += data
        i = self.buf.index(marker) + len(marker)
        out, self.buf = self.buf[:i], self.buf[i:]
        return out

    def recv_exact(self, n, timeout=5.0):
        self.sock.settimeout(timeout)
        while len(self.buf) < n:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError("client closed")
            self.buf += data
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def read_request(self, timeout=5.0):
        head = self.recv_until(b"\r\n\r\n", timeout)
        length = 0
        for line in head.split(b"\r\n")[1:]:
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        body = self.recv_exact(length, timeout) if length else b""
        self.server.requests.append(head + body)
        return head + body

    def send(self, data):
        self.sock.sendall(data)

    def close(self):
        try:
            if isinstance(self.sock, ssl.SSLSocket):
                self.sock.unwrap()
        except (OSError, ValueError):
            pass
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()

    def close_abruptly(self):
        """FIN without TLS close_notify."""
        raw = socket.socket(fileno=self.sock.detach()) if isinstance(self.sock, ssl.SSLSocket) else self.sock
        raw.shutdown(socket.SHUT_RDWR)
        raw.close()

    def reset(self):
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()


class ScriptedServer:
    def __init__(self, handler, family=socket.AF_INET, ssl_context=None, backlog=16):
        self.handler = handler
        self.ssl_context = ssl_context
        self.requests = []
        self.errors = []
        self.connections = 0
        self.listener = socket.socket(family, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("::1" if family == socket.AF_INET6 else "127.0.0.1", 0))
        self.listener.listen(backlog)
        self.port = self.listener.getsockname()[1]
        self._closed = False
        self._threads = []
        self._socks = []
        self.thread = threading.Thread(target=self._accept_loop, daemon=True)
        self.thread.start()

    def _accept_loop(self):
        while not self._closed:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            # Recorded here, not in the handler thread: close() must see every accepted socket,
            # including one whose handler has not started yet.
            self._socks.append(sock)
            t = threading.Thread(target=self._run, args=(sock,), daemon=True)
            t.start()
            self._threads.append(t)

    def _run(self, sock):
        try:
            if self.ssl_context is not None:
                sock.settimeout(5)
                sock = self.ssl_context.wrap_socket(sock, server_side=True)
                self._socks.append(sock)
            self.handler(ServerConn(sock, self))
        except Exception as exc:  # noqa: BLE001 - recorded for the test to inspect
            self.errors.append(exc)

    def close(self):
        self._closed = True
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked in accept()
        except OSError:
            pass
        try:
            self.listener.close()
        except OSError:
            pass
        if threading.current_thread() is not self.thread:
            self.thread.join(2)  # no accept() may add a socket after the ones closed below
        for s in list(self._socks):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except (OSError, ValueError):
                pass
        for t in self._threads:
            t.join(2)
        for s in self._socks:
            try:
                s.close()
            except OSError:
                pass


def respond(*responses, close=False, keep_open=0.0):
    """Handler: answer successive requests with the given byte strings, then FIN if ``close``."""
    import time

    def handler(conn):
        for r in responses:
            conn.read_request()
            conn.send(r)
        if keep_open:
            time.sleep(keep_open)
        if close:
            conn.close()
        else:
            try:
                conn.recv_until(b"\0never", timeout=5)
            except (EOFError, OSError):
                pass

    return handler


def _pipe(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def _relay(client_conn, upstream, first=b""):
    if first:
        upstream.sendall(first)
    client_sock = client_conn.sock
    client_sock.settimeout(None)
    if client_conn.buf:
        upstream.sendall(client_conn.buf)
        client_conn.buf = b""
    t = threading.Thread(target=_pipe, args=(upstream, client_sock), daemon=True)
    t.start()
    _pipe(client_sock, upstream)
    t.join(5)
    upstream.close()


def connect_proxy(reply=b"HTTP/1.1 200 Connection established\r\n\r\n", hosts=None):
    """Handler for a CONNECT proxy: answer ``reply``; on a 2xx, tunnel to the requested port on loopback."""

    def handler(conn):
        head = conn.recv_until(b"\r\n\r\n")
        conn.server.requests.append(head)
        conn.send(reply)
        if not reply.startswith(b"HTTP/1.1 2"):
            conn.close()
            return
        port = int(head.split(b" ")[1].rsplit(b":", 1)[1])
        upstream = socket.create_connection(("127.0.0.1", port), timeout=5)
        _relay(conn, upstream)

    return handler


def forward_proxy():
    """Handler for an HTTP forward proxy: absolute-form request -> origin-form to 127.0.0.1:port."""

    def handler(conn):
        req = conn.read_request()
        line, rest = req.split(b"\r\n", 1)
        method, target, version = line.split(b" ")
        assert target.startswith(b"http://")
        authority, _, path = target[7:].partition(b"/")
        port = int(authority.rsplit(b":", 1)[1])
        upstream = socket.create_connection(("127.0.0.1", port), timeout=5)
        _relay(conn, upstream, b" ".join([method, b"/" + path, version]) + b"\r\n" + rest)

    return handler


@contextlib.contextmanager
def started_servers(server_class=None):
    """Yields start(handler, **kw) -> a running server of `server_class` (ScriptedServer by
    default); every server it started is closed on exit (the tests' `serve` fixtures)."""
    make = server_class or ScriptedServer
    servers = []

    def start(handler, **kw):
        server = make(handler, **kw)
        servers.append(server)
        return server

    try:
        yield start
    finally:
        for server in servers:
            server.close()


# --------------------------------------------------------------------------- nginx

NGINX = "/usr/sbin/nginx"
NGINX_TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


@contextlib.contextmanager
def running_nginx(prefix, www, *, events: str = "worker_connections 256;", http: str = "", server: str = ""):
    """nginx from the sysroot on a free 127.0.0.1 port, serving `www` (static files, sendfile
    on) with a temp `prefix`; yields the port. Missing nginx is a failure, not a skip."""
    assert os.path.exists(NGINX), "nginx-light must be installed in the sysroot (tools/sysroot.packages)"
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    temps = "".join(f"{k}_temp_path {prefix}/{k};\n" for k in NGINX_TEMP_PATHS)
    (prefix / "nginx.conf").write_text(f"""
daemon off; master_process off; pid {prefix}/nginx.pid; error_log {prefix}/error.log;
worker_rlimit_nofile 4096;
events {{ {events} }}
http {{ access_log off; sendfile on; {http} {temps}
  server {{ listen 127.0.0.1:{port} backlog=1024; root {www}; {server} }}
}}""")
    proc = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", "stderr"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read().decode()
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.02)
        yield port
    finally:
        proc.terminate()
        proc.wait(5)
