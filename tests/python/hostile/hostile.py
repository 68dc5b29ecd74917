"""Drivers measuring the invariants of issue 6 around one client."""

import os
import socket
import threading
import time
import tracemalloc

from godot_http._resolver import Resolver
from godot_http.constants import Status
from servers import ScriptedServer

S = Status
OK_HELLO = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
#: A non-blocking call must return within this (generous for CI; typical is well under 1 ms).
CALL_BUDGET = 0.025
#: Peak Python allocation allowed while a hostile response is read (the limits are 256 KiB of
#: head plus one 64 KiB receive buffer; copies while parsing stay well below this).
MEMORY_BUDGET = 4 * 1024 * 1024


class Timed:
    """Wraps a client; records the slowest poll()/read_response_body_chunk()/request()."""

    def __init__(self, client):
        self.c = client
        self.slowest = 0.0
        self.calls = 0

    def _t(self, f, *a):
        t0 = time.perf_counter()
        r = f(*a)
        dt = time.perf_counter() - t0
        self.calls += 1
        if dt > self.slowest:
            self.slowest = dt
        return r

    def poll(self):
        return self._t(self.c.poll)

    def read(self):
        return self._t(self.c.read_response_body_chunk)

    def request(self, method, url, headers=(), body=""):
        return self._t(self.c.request, method, url, list(headers), body)

    def status(self):
        return self.c.get_status()

    def name(self):
        return S(self.c.get_status()).name[7:]


def poll_while(t, statuses, timeout=5.0, sleep=0.0005):
    """Poll while the status is in ``statuses``; returns the last poll() result."""
    rc = 0
    deadline = time.monotonic() + timeout
    while t.status() in statuses:
        rc = t.poll()
        if t.status() in statuses:
            assert time.monotonic() < deadline, f"stuck in {t.name()}"
            time.sleep(sleep)
    return rc


def connect(t, host, port, tls=None, timeout=5.0):
    err = t.c.connect_to_host(host, port, tls)
    assert err == 0, err
    return poll_while(t, (S.STATUS_RESOLVING, S.STATUS_CONNECTING), timeout)


def exchange(t, method=0, url="/", headers=(), body="", timeout=5.0):
    """Request, poll to the head, read the body to the end. Returns a dict of the outcome."""
    err = t.request(method, url, headers, body)
    out = {"request": err}
    if err:
        out.update(status=t.name(), rc=None, code=t.c.get_response_code(), body=b"")
        return out
    rc = poll_while(t, (S.STATUS_REQUESTING,), timeout)
    out["rc"] = rc
    out["code"] = t.c.get_response_code()
    out["headers"] = t.c.get_response_headers()
    data = b""
    deadline = time.monotonic() + timeout
    while t.status() == S.STATUS_BODY:
        chunk = t.read()
        data += chunk
        if not chunk and t.status() == S.STATUS_BODY:
            assert time.monotonic() < deadline, "body stuck"
            time.sleep(0.0005)
    out["body"] = data
    out["status"] = t.name()
    return out


class Peak:
    """Context manager: tracemalloc peak in bytes (``.peak``)."""

    def __enter__(self):
        tracemalloc.start()
        tracemalloc.reset_peak()
        return self

    def __exit__(self, *exc):
        self.peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


def reusable(client, good_port):
    """After close() the same object connects again and works."""
    client.close()
    assert client.get_status() == S.STATUS_DISCONNECTED and client.get_connection() is None
    t = Timed(client)
    connect(t, "127.0.0.1", good_port)
    assert t.status() == S.STATUS_CONNECTED, t.name()
    r = exchange(t)
    assert (r["code"], r["body"], r["status"]) == (200, b"hello", "CONNECTED"), r
    client.close()


def good_handler(conn):
    """Answers every request on the connection with OK_HELLO until the client goes away."""
    while True:
        try:
            conn.read_request(timeout=10)
        except (EOFError, OSError):
            return
        try:
            conn.send(OK_HELLO)
        except OSError:
            return


def scripted(response: bytes, after: str = "fin", step: int = 1, hold: float = 10.0, before_request=False):
    """Handler: read one request, send ``response`` ``step`` bytes per send (TCP_NODELAY, so the
    client sees small segments), then ``after``: "fin", "rst" or "hold" (stay open until the
    client closes or ``hold`` seconds pass)."""
    import socket as _socket

    def handler(conn):
        conn.sock.setsockopt(_socket.IPPROTO_TCP, _socket.TCP_NODELAY, 1)
        if not before_request:
            conn.read_request()
        for i in range(0, len(response), step):
            conn.send(response[i : i + step])
        if after == "fin":
            conn.close()
        elif after == "rst":
            conn.reset()
        else:
            try:
                conn.recv_until(b"\0never", timeout=hold)
            except (EOFError, OSError):
                pass

    return handler


# ------------------------------------------------------------------ shared by the fixtures and tests

HOSTS = {
    "localhost": ["127.0.0.1"],
    "v4.test": ["127.0.0.1"],
    "dual.test": ["::1", "127.0.0.1"],
    "three.test": ["127.0.0.2", "127.0.0.3", "127.0.0.1"],
    "dead.test": ["127.0.0.2", "127.0.0.3"],
}


def fake_resolve(host):
    if host in HOSTS:
        return list(HOSTS[host])
    raise OSError("unknown test host")


#: One resolver (one worker thread) for the whole suite, so thread counts per case stay exact.
RESOLVER = Resolver(fake_resolve)


def fd_count() -> int:
    return len(os.listdir("/proc/self/fd"))


def thread_count() -> int:
    return threading.active_count()


class Server(ScriptedServer):
    """ScriptedServer whose close() also ends its accept thread (shutdown wakes accept())."""

    def close(self):
        try:
            self.listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        super().close()
        self.thread.join(2)


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port
