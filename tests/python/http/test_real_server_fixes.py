"""Issue 13 part 2: what PyHTTPClient got wrong against real servers, each reproduced here by a
scripted loopback server sending the bytes the real server sent (gunicorn, waitress, httpbin),
so every test failed before its fix. The same cases run against the built-in in
tests/godot_project/suites/differential (scenarios named in each docstring) and against the real
servers in tests/realservers."""

import socket
import time

import pytest
from drive import S, connect, fetch
from godot_http import HTTPClient
from godot_http.constants import Method
from servers import respond

GUNICORN_204 = (
    b"HTTP/1.1 204 No Content\r\nServer: gunicorn\r\nDate: Tue, 01 Dec 2026 17:00:00 GMT\r\n"
    b"Connection: close\r\nAccess-Control-Allow-Origin: *\r\n\r\n"
)
OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


@pytest.fixture
def client(env):
    c = HTTPClient(env)
    yield c
    c.close()


def again(client, host, port):
    """What a loop written for the built-in does next: reconnect unless CONNECTED, then GET."""
    if client.get_status() != S.STATUS_CONNECTED:
        connect(client, host, port)
    return fetch(client, Method.METHOD_GET, "/next")


CLOSING = [
    ("gunicorn-204-close", Method.METHOD_GET, GUNICORN_204),
    ("200-close", Method.METHOD_GET, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"),
    (
        "chunked-close",
        Method.METHOD_GET,
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\nok\r\n0\r\n\r\n",
    ),
    ("HEAD-close", Method.METHOD_HEAD, b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\nConnection: close\r\n\r\n"),
    ("304-close", Method.METHOD_GET, b"HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n"),
    ("http10-no-keep-alive", Method.METHOD_GET, b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok"),
    (
        "waitress-HEAD-chunked",
        Method.METHOD_HEAD,
        b"HTTP/1.1 200 OK\r\nServer: waitress\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    ),
]


@pytest.mark.parametrize("case", CLOSING, ids=[c[0] for c in CLOSING])
def test_a_connection_that_cannot_carry_the_next_request_ends_disconnected(client, serve, messages, case):
    """The response is complete and the connection is not reusable: DISCONNECTED (before the
    fix: CONNECTED, and the next request() returned OK and then failed with 27). The loop
    reconnects and the next request succeeds. Scenarios: reuse_after_*."""
    _, method, reply = case

    def handler(conn):
        conn.read_request()
        conn.send(reply)
        conn.close()  # as gunicorn and waitress do after these responses

    srv = serve(handler)
    nxt = serve(respond(OK))
    connect(client, "127.0.0.1", srv.port)
    r = fetch(client, method, "/first")
    assert r["status"] == "DISCONNECTED", r
    assert client.get_response_code() == r["code"] != 0
    assert client.poll() == 3  # ERR_UNCONFIGURED, as after any close()
    r2 = again(client, "127.0.0.1", nxt.port)
    assert (r2["code"], r2["body"], r2["status"]) == (200, b"ok", "CONNECTED")
    assert messages.errors == []


def test_http10_keep_alive_and_http11_default_stay_connected(client, serve):
    srv = serve(respond(b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok", OK))
    connect(client, "127.0.0.1", srv.port)
    for _ in range(2):
        r = fetch(client, Method.METHOD_GET, "/")
        assert (r["body"], r["status"]) == (b"ok", "CONNECTED")
    assert srv.connections == 1


def test_non_ascii_target_is_percent_encoded(client, serve):
    """Raw UTF-8 in the request line got 400 from aiohttp, uvicorn, gunicorn, waitress, Node and
    Twisted. Scenario: url_non_ascii_percent_encoded."""
    srv = serve(respond(OK))
    connect(client, "127.0.0.1", srv.port)
    fetch(client, Method.METHOD_GET, "/caf\u00e9/\U0001f600?q=\u00fc&r=%41 x")
    assert srv.requests[0].split(b"\r\n")[0] == b"GET /caf%C3%A9/%F0%9F%98%80?q=%C3%BC&r=%41 x HTTP/1.1"


@pytest.mark.parametrize("host", ["::1", "[::1]", "http://[::1]", "0:0:0:0:0:0:0:1"])
def test_ipv6_literals_with_and_without_brackets(client, serve, messages, host):
    """The built-in refuses '::1' (shorter than HOST_MIN_LEN) and cannot resolve '[::1]'.
    The Host header carries the brackets (RFC 9110 7.2). Scenarios: connect_ipv6_*."""
    srv = serve(respond(OK), family=socket.AF_INET6)
    seq, _ = connect(client, host, srv.port)
    assert seq == ["CONNECTING", "CONNECTED"], (seq, messages.text())
    r = fetch(client, Method.METHOD_GET, "/")
    assert r["body"] == b"ok"
    written = host.replace("http://", "").strip("[]")
    assert f"\r\nHost: [{written}]:{srv.port}\r\n".encode() in srv.requests[0]


def test_ipv6_literal_on_default_port_and_through_an_http_proxy(client, serve):
    proxy = serve(respond(OK))
    client.set_http_proxy("127.0.0.1", proxy.port)
    connect(client, "::1", -1)
    fetch(client, Method.METHOD_GET, "/p")
    assert proxy.requests[0].startswith(b"GET http://[::1]:80/p HTTP/1.1\r\nHost: [::1]\r\n")


def test_chunked_body_cut_mid_chunk_keeps_the_response_code(client, serve, messages):
    """The built-in keeps 200 after the connection error; before the fix the code became 0.
    Scenario: chunked_cut_mid_chunk_keeps_code."""
    srv = serve(respond(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n9\r\nabc", close=True))
    connect(client, "127.0.0.1", srv.port)
    r = fetch(client, Method.METHOD_GET, "/")
    assert r["status"] == "CONNECTION_ERROR" and r["body"] == b"hello"
    assert client.get_response_code() == 200
    assert messages.errors == ["Connection closed by the server before the end of the chunked body."]


def test_request_on_an_idle_connection_the_server_closed_sends_nothing(client, serve, messages):
    """The server ends an idle keep-alive connection (FIN) but could still read: the next
    request must not be written into it (before the fix it was, then the read failed).
    Outcome as the built-in: request() OK, poll() 27, CONNECTION_ERROR. Scenario:
    idle_connection_closed_by_server."""
    late = []

    def handler(conn):
        conn.read_request()
        conn.send(OK)
        conn.sock.shutdown(socket.SHUT_WR)  # FIN, still reading
        conn.sock.settimeout(1.0)
        try:
            while True:
                data = conn.sock.recv(65536)
                if not data:
                    return
                late.append(data)
        except OSError:
            pass

    srv = serve(handler)
    connect(client, "127.0.0.1", srv.port)
    assert fetch(client, Method.METHOD_GET, "/")["status"] == "CONNECTED"
    time.sleep(0.1)  # the FIN arrives; no poll() in between
    assert client.request(Method.METHOD_GET, "/again", []) == 0
    assert client.poll() == 27 and client.get_status() == S.STATUS_CONNECTION_ERROR
    time.sleep(0.3)
    assert late == []
    assert "nothing was sent" in messages.text()


@pytest.mark.parametrize(
    "value, reason",
    [
        (b"caf\xe9", "leading byte 0xE9 is not followed by its continuation bytes"),
        (b"\xff", "byte 0xFF cannot start a UTF-8 sequence"),
        (b"caf\xc3", "leading byte 0xC3 is not followed by its continuation bytes"),
    ],
)
def test_non_utf8_header_is_reported_once_and_exactly(client, serve, messages, value, reason):
    """httpbin sends 'café' in Latin-1; the message said "Invalid UTF-8 leading byte (E9)",
    which is wrong: 0xE9 is a valid leading byte whose continuation is missing."""
    srv = serve(
        respond(b"HTTP/1.1 200 OK\r\nX-Name: " + value + b"\r\nX-Other: " + value + b"\r\nContent-Length: 2\r\n\r\nok")
    )
    connect(client, "127.0.0.1", srv.port)
    r = fetch(client, Method.METHOD_GET, "/")
    assert r["body"] == b"ok" and r["headers"][0].startswith("X-Name: ")
    assert messages.errors == [
        f"Response header 'X-Name' is not valid UTF-8 ({reason}; Latin-1 text?): "
        "the invalid bytes were replaced with U+FFFD."
    ]
