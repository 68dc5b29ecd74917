"""Issue 6 category 9, load and soak against nginx (from the sysroot): many concurrent
keep-alive clients with every body checked by hash, long runs on one connection with flat
memory, connect/close cycles without descriptor or thread leaks. The full sizes run with
``-m slow``; the default run does the same with small counts."""

import hashlib
import os
import time
import tracemalloc

import pytest
from godot_http import HTTPClient
from hostile import S, Timed, connect, exchange, fd_count, thread_count
from servers import running_nginx

SIZES = [0, 1, 100, 4096, 65537, 300000]


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    prefix = tmp_path_factory.mktemp("nginx-hostile")
    www = prefix / "www"
    www.mkdir()
    digests = {}
    for n in SIZES:
        data = os.urandom(n)
        (www / f"f{n}").write_bytes(data)
        digests[f"/f{n}"] = hashlib.sha256(data).hexdigest()
    with running_nginx(
        prefix,
        www,
        events="worker_connections 1024;",
        http="keepalive_requests 1000000; keepalive_timeout 120s;",
        server="chunked_transfer_encoding on;",
    ) as port:
        yield port, digests


def concurrent_keep_alive(port, digests, clients, requests, env):
    """``clients`` non-blocking clients driven round-robin from one thread, ``requests`` each."""
    paths = sorted(digests)
    cs = [HTTPClient(env) for _ in range(clients)]
    for c in cs:
        assert c.connect_to_host("127.0.0.1", port) == 0
    done = [0] * clients
    bodies = [bytearray() for _ in range(clients)]
    checked = 0
    slowest = 0.0
    deadline = time.monotonic() + 600
    while min(done) < requests:
        assert time.monotonic() < deadline, "soak stuck"
        progressed = False
        for i, c in enumerate(cs):
            if done[i] >= requests:
                continue
            t0 = time.perf_counter()
            st = c.get_status()
            if st in (S.STATUS_CONNECTING, S.STATUS_RESOLVING, S.STATUS_REQUESTING):
                c.poll()
            elif st == S.STATUS_CONNECTED:
                if bodies[i] is not None and c.get_response_code():
                    path = paths[(i + done[i]) % len(paths)]
                    assert c.get_response_code() == 200
                    assert hashlib.sha256(bodies[i]).hexdigest() == digests[path], (i, done[i], path)
                    checked += 1
                    done[i] += 1
                    bodies[i] = bytearray()
                    progressed = True
                    if done[i] >= requests:
                        continue
                path = paths[(i + done[i]) % len(paths)]
                assert c.request(0, path, []) == 0
            elif st == S.STATUS_BODY:
                chunk = c.read_response_body_chunk()
                bodies[i] += chunk
                progressed = progressed or bool(chunk)
            else:
                raise AssertionError(f"client {i} in {S(st).name} after {done[i]} requests")
            slowest = max(slowest, time.perf_counter() - t0)
        if not progressed:
            time.sleep(0.0002)
    for c in cs:
        c.close()
    return checked, slowest


def _env():
    from godot_http import Environment

    errors = []
    return Environment(report_error=errors.append, report_warning=errors.append, user_agent="soak"), errors


@pytest.mark.parametrize(
    "clients,requests", [pytest.param(20, 10, id="20x10"), pytest.param(200, 50, id="200x50", marks=pytest.mark.slow)]
)
def test_concurrent_keep_alive_clients_with_hashed_bodies(nginx, clients, requests):
    port, digests = nginx
    env, errors = _env()
    before = (fd_count(), thread_count())
    t0 = time.monotonic()
    checked, slowest = concurrent_keep_alive(port, digests, clients, requests, env)
    took = time.monotonic() - t0
    print(
        f"\nsoak {clients}x{requests}: {checked} bodies checked by SHA-256 in {took:.1f} s, "
        f"slowest call {slowest * 1000:.2f} ms, errors {errors}"
    )
    assert checked == clients * requests and not errors
    assert (fd_count(), thread_count()) == before


@pytest.mark.parametrize("n", [pytest.param(500, id="500"), pytest.param(10000, id="10000", marks=pytest.mark.slow)])
def test_sequential_requests_on_one_connection_with_flat_memory(nginx, n):
    port, digests = nginx
    env, errors = _env()
    c = HTTPClient(env)
    t = Timed(c)
    connect(t, "127.0.0.1", port)
    paths = sorted(digests)
    tracemalloc.start()
    marks = {}
    t0 = time.monotonic()
    for i in range(n):
        path = paths[i % len(paths)]
        r = exchange(t, 0, path)
        assert r["code"] == 200 and hashlib.sha256(r["body"]).hexdigest() == digests[path], (i, path)
        if i + 1 in (n // 10, n):
            marks[i + 1] = tracemalloc.get_traced_memory()[0]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    took = time.monotonic() - t0
    c.close()
    growth = marks[n] - marks[n // 10]
    print(
        f"\n{n} sequential requests on one connection in {took:.1f} s; traced memory after {n // 10}: "
        f"{marks[n // 10]} B, after {n}: {marks[n]} B (growth {growth} B), peak {peak} B, "
        f"slowest call {t.slowest * 1000:.2f} ms"
    )
    assert growth < 64 * 1024 and not errors and c.get_status() == S.STATUS_DISCONNECTED


@pytest.mark.parametrize("n", [pytest.param(300, id="300"), pytest.param(5000, id="5000", marks=pytest.mark.slow)])
def test_connect_close_cycles_leak_nothing(nginx, n):
    port, digests = nginx
    env, errors = _env()
    c = HTTPClient(env)
    t = Timed(c)
    connect(t, "127.0.0.1", port)
    exchange(t, 0, "/f100")
    c.close()
    before = (fd_count(), thread_count())
    t0 = time.monotonic()
    for i in range(n):
        connect(t, "127.0.0.1", port)
        assert t.status() == S.STATUS_CONNECTED
        if i % 10 == 0:  # every tenth cycle also makes a request
            assert exchange(t, 0, "/f1")["code"] == 200
        c.close()
        if i % 500 == 0:
            assert (fd_count(), thread_count()) == before, i
    took = time.monotonic() - t0
    print(f"\n{n} connect/close cycles in {took:.1f} s; (fds, threads) {before} -> {(fd_count(), thread_count())}")
    assert (fd_count(), thread_count()) == before and not errors
