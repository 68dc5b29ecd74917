"""Issue 6 category 3 (faults) and category 7 (resolution without the network): broken,
stalled and slow servers, connects that never complete, several addresses, close() in every
status, slow and failing resolvers. Every call measured; fds/threads checked per case."""

import socket
import threading
import time

import pytest
from godot_http import Environment, HTTPClient, TLSOptions, stream
from godot_http._resolver import Resolver
from hostile import (
    CALL_BUDGET,
    OK_HELLO,
    RESOLVER,
    Peak,
    S,
    Server,
    Timed,
    connect,
    exchange,
    free_port,
    good_handler,
    poll_while,
    reusable,
)


def test_server_restart_between_keep_alive_requests(client, serve, messages, leakcheck):
    port = free_port()
    first = Server(good_handler)
    first.close()
    first = _server_on(port)
    t = Timed(client)
    connect(t, "127.0.0.1", port)
    assert exchange(t)["body"] == b"hello"
    first.close()  # the server goes away with the keep-alive connection ...
    second = _server_on(port)  # ... and comes back on the same port
    try:
        time.sleep(0.05)
        rc = t.poll()
        if t.name() == "CONNECTED":  # FIN not noticed yet: the request finds out
            r = exchange(t)
            assert r["status"] == "CONNECTION_ERROR", r
        else:
            assert (t.name(), rc) == ("CONNECTION_ERROR", 27)
        assert t.slowest < CALL_BUDGET
        reusable(client, second.port)
    finally:
        second.close()


def _server_on(port):
    s = Server.__new__(Server)
    s.handler, s.ssl_context, s.requests, s.errors, s.connections = good_handler, None, [], [], 0
    s.listener = socket.socket()
    s.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.listener.bind(("127.0.0.1", port))
    s.listener.listen(16)
    s.port = port
    s._closed, s._threads, s._socks = False, [], []
    s.thread = threading.Thread(target=s._accept_loop, daemon=True)
    s.thread.start()
    return s


def test_stalled_server_never_blocks_poll_and_close_recovers(client, serve):
    """The server reads the request and never answers (no timeout, like the built-in): poll()
    stays cheap, the CPU stays idle between polls, close() frees everything."""
    good = serve(good_handler)
    srv = serve(
        lambda conn: (
            conn.read_request(),
            conn.send(b"HTTP/1.1 200 OK\r\nContent-"),
            conn.recv_until(b"\0never", timeout=10),
        )
    )
    t = Timed(client)
    connect(t, "127.0.0.1", srv.port)
    assert t.request(0, "/") == 0
    cpu0, wall0 = time.process_time(), time.monotonic()
    polls = 0
    while time.monotonic() - wall0 < 0.5:
        assert t.poll() == 0 and t.name() == "REQUESTING"
        polls += 1
        time.sleep(0.002)
    cpu = time.process_time() - cpu0
    assert t.slowest < CALL_BUDGET and polls > 50
    assert cpu < 0.25, f"{cpu:.3f} s of CPU while waiting 0.5 s"
    reusable(client, good.port)


def test_slowloris_response_one_byte_at_a_time(client, serve, messages):
    """One byte every 5 ms (the issue's one byte per second, scaled down): the response is read
    correctly, no call blocks, nothing is lost."""
    good = serve(good_handler)

    def handler(conn):
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn.read_request()
        for b in OK_HELLO:
            conn.send(bytes([b]))
            time.sleep(0.005)
        conn.recv_until(b"\0never", timeout=10)

    srv = serve(handler)
    t = Timed(client)
    connect(t, "127.0.0.1", srv.port)
    with Peak() as mem:
        r = exchange(t)
    assert (r["code"], r["body"], r["status"]) == (200, b"hello", "CONNECTED")
    assert t.slowest < CALL_BUDGET and mem.peak < 256 * 1024
    reusable(client, good.port)


@pytest.fixture
def full_backlog(leakcheck):
    """A listener that never accepts, its backlog filled: further SYNs are dropped, so a
    connect to it neither completes nor fails."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(8):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        fillers.append(s)
    time.sleep(0.05)
    probe = socket.socket()
    probe.settimeout(0.3)
    try:
        probe.connect(("127.0.0.1", port))
        pytest.fail("backlog not full: the kernel accepted one more connection")
    except TimeoutError:
        pass
    finally:
        probe.close()
    yield port
    for s in fillers:
        s.close()
    listener.close()


def test_connect_that_never_completes_hits_the_connect_timeout(client, serve, full_backlog, monkeypatch, messages):
    good = serve(good_handler)
    monkeypatch.setattr(stream, "CONNECT_TIMEOUT", 0.4)
    t = Timed(client)
    assert client.connect_to_host("127.0.0.1", full_backlog) == 0
    t0 = time.monotonic()
    rc = poll_while(t, (S.STATUS_CONNECTING,), timeout=5)
    took = time.monotonic() - t0
    assert (t.name(), rc) == ("CANT_CONNECT", 25) and 0.35 < took < 2.0, (t.name(), rc, took)
    assert client.get_connection() is None and t.slowest < CALL_BUDGET
    reusable(client, good.port)


def test_close_while_connecting_to_a_full_backlog(client, serve, full_backlog):
    good = serve(good_handler)
    t = Timed(client)
    assert client.connect_to_host("127.0.0.1", full_backlog) == 0
    for _ in range(20):
        assert t.poll() == 0 and t.name() == "CONNECTING"
        time.sleep(0.002)
    client.close()
    assert t.name() == "DISCONNECTED" and client._tcp.sock is None
    reusable(client, good.port)


def test_several_addresses_first_ones_refused(client, serve):
    srv = serve(good_handler)
    t = Timed(client)
    connect(t, "three.test", srv.port)  # 127.0.0.2 and .3 refuse, 127.0.0.1 answers
    assert t.name() == "CONNECTED"
    assert exchange(t)["body"] == b"hello" and t.slowest < CALL_BUDGET


def test_several_addresses_all_refused(client, serve):
    good = serve(good_handler)
    t = Timed(client)
    rc = connect(t, "dead.test", good.port)
    assert (t.name(), rc) == ("CANT_CONNECT", 25) and client.get_connection() is None
    reusable(client, good.port)


def _to_status(client, target, serve, env):
    """Drive ``client`` into ``target`` on loopback; returns a cleanup list (servers)."""
    if target == "DISCONNECTED":
        return
    if target == "RESOLVING":
        gate = threading.Event()
        env.resolver = Resolver(lambda h: (gate.wait(2), ["127.0.0.1"])[1])
        client.connect_to_host("slow.test", 80)
        return gate
    if target == "CANT_RESOLVE":
        client.connect_to_host("nowhere.test", 80)
        poll_while(Timed(client), (S.STATUS_RESOLVING,))
        return
    if target == "CONNECTING":
        client.connect_to_host("127.0.0.1", 9)  # refused, but CONNECTING until the first poll
        return
    if target == "CANT_CONNECT":
        client.connect_to_host("127.0.0.1", free_port())
        poll_while(Timed(client), (S.STATUS_CONNECTING,))
        return
    if target == "TLS_HANDSHAKE_ERROR":
        srv = serve(lambda conn: conn.send(b"HTTP/1.1 400 Bad Request\r\n\r\n") or conn.close())
        client.connect_to_host("localhost", srv.port, TLSOptions.client_unsafe())
        poll_while(Timed(client), (S.STATUS_RESOLVING, S.STATUS_CONNECTING))
        return
    hold = {
        "CONNECTED": OK_HELLO,
        "REQUESTING": b"HTTP/1.1 200 OK\r\n",
        "BODY": OK_HELLO[:-2],
        "CONNECTION_ERROR": b"garbage\r\n\r\n",
    }[target]
    srv = serve(lambda conn: (conn.read_request(), conn.send(hold), conn.recv_until(b"\0never", timeout=10)))
    t = Timed(client)
    connect(t, "127.0.0.1", srv.port)
    if target == "CONNECTED":
        return
    t.request(0, "/")
    poll_while(t, (S.STATUS_REQUESTING,), timeout=0.2) if target != "REQUESTING" else t.poll()


@pytest.mark.parametrize("target", [s.name[7:] for s in S])
def test_close_in_every_status(client, serve, env, target):
    good = serve(good_handler)
    gate = _to_status(client, target, serve, env)
    assert S(client.get_status()).name[7:] == target
    t0 = time.perf_counter()
    client.close()
    assert time.perf_counter() - t0 < CALL_BUDGET
    assert client.get_status() == S.STATUS_DISCONNECTED and client.get_connection() is None
    assert client._tcp.sock is None and client._rbuf == bytearray()
    client.close()  # twice is fine
    if gate is not None:
        assert env.resolver.in_use() == 0  # the resolver slot was freed by close()
        gate.set()
        env.resolver.close()
        env.resolver = RESOLVER
    reusable(client, good.port)


# ------------------------------------------------------------------ resolution (category 7)


def test_slow_resolver_close_during_resolution_then_reuse(client, serve, env, messages):
    good = serve(good_handler)
    gate = threading.Event()
    started = threading.Event()

    def slow(host):
        started.set()
        gate.wait(5)
        return ["127.0.0.1"]

    env.resolver = Resolver(slow)
    t = Timed(client)
    assert client.connect_to_host("slow.test", good.port) == 0
    assert started.wait(2)
    for _ in range(20):
        assert t.poll() == 0 and t.name() == "RESOLVING"
    client.close()
    assert t.name() == "DISCONNECTED" and env.resolver.in_use() == 0
    gate.set()  # the late answer reaches nobody
    time.sleep(0.05)
    assert t.poll() == 3 and t.name() == "DISCONNECTED"
    assert t.slowest < CALL_BUDGET and not messages.errors
    env.resolver.close()
    env.resolver = RESOLVER
    reusable(client, good.port)


@pytest.mark.parametrize(
    "exc", [OSError("no"), UnicodeError("label too long"), RuntimeError("resolver bug"), KeyError("x"), None]
)
def test_failing_name_is_cant_resolve_and_the_resolver_survives(client, serve, env, exc):
    good = serve(good_handler)

    def resolve(host):
        if host == "bad.test":
            if exc is None:
                return [None, ""]  # junk answer: no usable address
            raise exc
        return ["127.0.0.1"]

    env.resolver = Resolver(resolve)
    t = Timed(client)
    rc = connect(t, "bad.test", good.port)
    assert (t.name(), rc) == ("CANT_RESOLVE", 26) and env.resolver.in_use() == 0
    client.close()
    connect(t, "good.test", good.port)  # the same resolver (its worker thread) still works
    assert t.name() == "CONNECTED" and exchange(t)["body"] == b"hello"
    client.close()
    env.resolver.close()
    env.resolver = RESOLVER


def test_real_resolver_without_network_fails_fast(serve):
    """The process-wide getaddrinfo resolver: the sysroot resolves names through 127.0.0.1
    where nothing listens, so no query leaves the machine and a name fails at once."""
    messages = []
    c = HTTPClient(Environment(report_error=messages.append, report_warning=messages.append))
    t = Timed(c)
    t0 = time.monotonic()
    rc = connect(t, "no-such-host.invalid", 80, timeout=20)
    assert (t.name(), rc) == ("CANT_RESOLVE", 26) and time.monotonic() - t0 < 15
    assert t.slowest < CALL_BUDGET
    c.close()


@pytest.mark.parametrize("host", ["a" * 64 + ".test", "\udcff.test", "xn--.test", "bad..test"])
def test_unresolvable_name_shapes(client, serve, env, host):
    good = serve(good_handler)
    t = Timed(client)
    env.resolver = Resolver()  # the real getaddrinfo: these fail locally, before any query
    err = client.connect_to_host(host, 80)
    if err == 0:
        rc = poll_while(t, (S.STATUS_RESOLVING,), timeout=15)
        assert (t.name(), rc) == ("CANT_RESOLVE", 26)
    env.resolver.close()
    env.resolver = RESOLVER
    reusable(client, good.port)
