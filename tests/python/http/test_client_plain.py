"""HTTPClient over plain HTTP against scripted loopback servers: the spec's [E] sequences."""

import socket
import threading
import time

import pytest
from drive import S, connect, fetch, read_body, wait_status
from godot_http import HTTPClient
from godot_http._resolver import Resolver
from godot_http.constants import Method
from servers import respond

UA = "GodotEngine/4.6.3.stable.official (Linux)"
OK_HELLO = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: 1\r\n\r\nhello"


@pytest.fixture
def client(env):
    c = HTTPClient(env)
    yield c
    c.close()


def test_connect_goes_connecting_then_connected(client, serve):
    srv = serve(respond())
    assert client.get_status() == S.STATUS_DISCONNECTED
    seq, rc = connect(client, "127.0.0.1", srv.port)
    assert seq == ["CONNECTING", "CONNECTED"] and rc == 0


def test_request_bytes_are_exact(client, serve):
    srv = serve(respond(OK_HELLO))
    connect(client, "127.0.0.1", srv.port)
    r = fetch(client, Method.METHOD_GET, "/echo?a=1", ["X-A: 1", "X-B:2"])
    assert (
        srv.requests[0]
        == (
            f"GET /echo?a=1 HTTP/1.1\r\nX-A: 1\r\nX-B:2\r\nHost: 127.0.0.1:{srv.port}\r\n"
            f"User-Agent: {UA}\r\nAccept: */*\r\n\r\n"
        ).encode()
    )
    assert r["code"] == 200 and r["body"] == b"hello" and r["reads"] == ["5:CONNECTED"]
    assert r["headers"] == ["Content-Length: 5", "X-A: 1"] and r["length"] == 5


def test_caller_headers_suppress_automatic_ones_by_prefix(client, serve):
    srv = serve(respond(OK_HELLO))
    connect(client, "127.0.0.1", srv.port)
    fetch(
        client,
        Method.METHOD_POST,
        "/p",
        ["host: example.com", "USER-AGENT: me", " Accept: x", "Accept-Encoding: gzip"],
        "héllo",
    )
    assert srv.requests[0] == (
        b"POST /p HTTP/1.1\r\nhost: example.com\r\nUSER-AGENT: me\r\n Accept: x\r\n"
        b"Accept-Encoding: gzip\r\nContent-Length: 6\r\nAccept: */*\r\n\r\nh\xc3\xa9llo"
    )


def test_body_is_sent_for_get_and_caller_content_length_is_trusted(client, serve):
    srv = serve(respond(OK_HELLO, OK_HELLO))
    connect(client, "127.0.0.1", srv.port)
    fetch(client, Method.METHOD_GET, "/", [], "abc")
    assert srv.requests[0].endswith(b"Content-Length: 3\r\nUser-Agent: " + UA.encode() + b"\r\nAccept: */*\r\n\r\nabc")
    client.request_raw(Method.METHOD_PUT, "/", ["Content-Length: 2"], b"xy")
    wait_status(client, (S.STATUS_REQUESTING,))
    assert b"Content-Length: 2\r\nHost:" in srv.requests[1] and srv.requests[1].count(b"Content-Length") == 1


def test_host_header_omits_default_port(env, serve):
    srv = serve(respond(OK_HELLO))
    c = HTTPClient(env)
    c.set_http_proxy("127.0.0.1", srv.port)  # lets "port 80" reach the scripted server
    connect(c, "v4.test", 80)
    fetch(c, Method.METHOD_GET, "/x")
    assert srv.requests[0].startswith(b"GET http://v4.test:80/x HTTP/1.1\r\nHost: v4.test\r\n")


def test_http_proxy_uses_absolute_form_and_target_port(env, serve):
    srv = serve(respond(OK_HELLO))
    c = HTTPClient(env)
    c.set_http_proxy("127.0.0.1", srv.port)
    seq, _ = connect(c, "target.example", 8080)  # never resolved: only the proxy is contacted
    assert seq == ["CONNECTING", "CONNECTED"]
    fetch(c, Method.METHOD_GET, "/echo?a=1")
    assert srv.requests[0].startswith(
        b"GET http://target.example:8080/echo?a=1 HTTP/1.1\r\nHost: target.example:8080\r\n"
    )


def test_content_length_zero_needs_one_empty_read(client, serve):
    srv = serve(respond(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
    connect(client, "127.0.0.1", srv.port)
    r = fetch(client, Method.METHOD_GET, "/")
    assert r["seq"] == ["REQUESTING", "BODY"] and r["reads"] == ["0:CONNECTED"] and r["length"] == 0


def test_chunked_body_sequence_matches_builtin(client, serve):
    body = b"5\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\nX-T2: u\r\n\r\n"
    srv = serve(respond(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body))
    connect(client, "127.0.0.1", srv.port)
    time.sleep(0.05)
    r = fetch(client, Method.METHOD_GET, "/")
    assert r["chunked"] and r["length"] == -1
    assert r["body"] == b"hello world"
    assert r["reads"] == ["5:BODY", "6:BODY", "0:BODY", "0:CONNECTED"]


def test_chunked_empty_body_and_uppercase_hex(client, serve):
    srv = serve(
        respond(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nA\r\n0123456789\r\n1a\r\n"
            + b"x" * 26
            + b"\r\n0\r\n\r\n",
        )
    )
    connect(client, "127.0.0.1", srv.port)
    assert fetch(client, Method.METHOD_GET, "/")["reads"] == ["0:BODY", "0:CONNECTED"]
    r = fetch(client, Method.METHOD_GET, "/")
    assert r["body"] == b"0123456789" + b"x" * 26 and r["status"] == "CONNECTED"


def test_chunked_ignores_read_chunk_size(client, serve):
    srv = serve(
        respond(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n" + b"a" * 1000 + b"\r\n0\r\n\r\n")
    )
    client.set_read_chunk_size(256)
    connect(client, "127.0.0.1", srv.port)
    time.sleep(0.05)
    assert fetch(client, Method.METHOD_GET, "/")["reads"][0] == "1000:BODY"


def test_chunked_and_content_length_reports_length_but_decodes_chunked(client, serve):
    srv = serve(
        respond(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
    )
    connect(client, "127.0.0.1", srv.port)
    r = fetch(client, Method.METHOD_GET, "/")
    assert r["length"] == 100 and r["chunked"] and r["body"] == b"abc" and r["status"] == "CONNECTED"


def test_close_delimited_body_ends_disconnected_and_resets_code(client, serve):
    srv = serve(respond(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + b"z" * 10000, close=True))
    client.set_read_chunk_size(4096)
    connect(client, "127.0.0.1", srv.port)
    err = client.request(Method.METHOD_GET, "/", [])
    assert err == 0
    wait_status(client, (S.STATUS_REQUESTING,))
    assert client.get_response_body_length() == -1
    time.sleep(0.1)  # everything, FIN included, has arrived
    body, reads = read_body(client)
    assert body == b"z" * 10000 and reads == ["4096:BODY", "4096:BODY", "1808:DISCONNECTED"]
    assert client.get_response_code() == 0 and client.get_connection() is None


def test_close_delimited_body_with_poll_between_reads_still_ends_disconnected(client, serve):
    srv = serve(respond(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + b"z" * 200, close=True))
    client.set_read_chunk_size(256)
    connect(client, "127.0.0.1", srv.port)
    client.request(Method.METHOD_GET, "/", [])
    wait_status(client, (S.STATUS_REQUESTING,))
    time.sleep(0.1)
    body, reads = read_body(client, poll_between=True)
    # The built-in can report poll=27 -> CONNECTION_ERROR here (spec 4.5 race); we end cleanly.
    assert body == b"z" * 200 and reads[-1].endswith("DISCONNECTED")


def test_keep_alive_get_head_get_on_one_connection(client, serve):
    srv = serve(respond(OK_HELLO, b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", OK_HELLO))
    connect(client, "127.0.0.1", srv.port)
    assert fetch(client, Method.METHOD_GET, "/")["body"] == b"hello"
    r = fetch(client, Method.METHOD_HEAD, "/")
    assert r["length"] == 0 and r["reads"] == ["0:CONNECTED"] and r["body"] == b""
    assert fetch(client, Method.METHOD_GET, "/")["body"] == b"hello"
    assert srv.connections == 1 and srv.requests[1].startswith(b"HEAD / HTTP/1.1\r\n")


def test_response_without_headers_has_no_response(client, serve):
    srv = serve(respond(b"HTTP/1.1 204 No Content\r\n\r\n"))
    connect(client, "127.0.0.1", srv.port)
    r = fetch(client, Method.METHOD_GET, "/")
    assert r["code"] == 204 and r["seq"] == ["REQUESTING", "CONNECTED"] and r["headers"] == []
    assert not client.has_response()


def test_headers_are_consumed_and_dictionary_last_duplicate_wins(client, serve):
    head = (
        b"HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-Case: V\r\nx-case: w\r\n"
        b"  Spaced  :   value  \r\nNoColonLine\r\nEmpty:\r\n folded continuation\r\nContent-Length: 0\r\n\r\n"
    )
    srv = serve(respond(head, head))
    connect(client, "127.0.0.1", srv.port)
    client.request(Method.METHOD_GET, "/", [])
    wait_status(client, (S.STATUS_REQUESTING,))
    assert client.has_response()
    assert client.get_response_headers_as_dictionary() == {
        "Set-Cookie": "b=2",
        "X-Case": "V",
        "x-case": "w",
        "Spaced": "value",
        "Empty": "",
        "Content-Length": "0",
    }
    assert not client.has_response() and client.get_response_headers() == []
    read_body(client)
    client.request(Method.METHOD_GET, "/", [])
    wait_status(client, (S.STATUS_REQUESTING,))
    assert client.get_response_headers()[4:6] == ["Spaced  :   value", "NoColonLine"]
    assert client.get_response_headers() == []


def test_request_keeps_previous_response_until_next_is_parsed(client, serve):
    srv = serve(respond(OK_HELLO, OK_HELLO))
    connect(client, "127.0.0.1", srv.port)
    fetch(client, Method.METHOD_GET, "/")
    assert client.request(Method.METHOD_GET, "/", []) == 0
    assert client.get_status() == S.STATUS_REQUESTING and client.get_response_code() == 200
    assert client.get_response_body_length() == 5


def test_status_line_code_not_in_enum_is_returned_as_is(client, serve):
    srv = serve(respond(b"HTTP/1.1 299 Odd\r\nContent-Length: 0\r\n\r\n"))
    connect(client, "127.0.0.1", srv.port)
    assert fetch(client, Method.METHOD_GET, "/")["code"] == 299


def test_content_length_body_arriving_slowly(client, serve):
    def handler(conn):
        conn.read_request()
        conn.send(b"HTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\n")
        for _ in range(3):
            time.sleep(0.05)
            conn.send(b"x" * 10)
        conn.recv_until(b"\0never") if False else time.sleep(0.5)

    srv = serve(handler)
    connect(client, "127.0.0.1", srv.port)
    r = fetch(client, Method.METHOD_GET, "/")
    assert (
        r["body"] == b"x" * 30
        and r["reads"] == ["0:BODY", "10:BODY", "0:BODY", "10:BODY", "0:BODY", "10:CONNECTED"][-len(r["reads"]) :]
    )


def test_blocking_mode_reads_whole_head_in_one_poll_and_waits_for_body(client, serve):
    def handler(conn):
        conn.read_request()
        conn.send(b"HTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\n")
        for _ in range(3):
            time.sleep(0.05)
            conn.send(b"y" * 10)
        time.sleep(0.5)

    srv = serve(handler)
    client.set_blocking_mode(True)
    assert client.is_blocking_mode_enabled()
    connect(client, "127.0.0.1", srv.port)
    client.request(Method.METHOD_GET, "/", [])
    assert client.poll() == 0 and client.get_status() == S.STATUS_BODY
    assert client.read_response_body_chunk() == b"y" * 30 and client.get_status() == S.STATUS_CONNECTED


def test_blocking_mode_close_delimited_single_read(client, serve):
    srv = serve(respond(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + b"q" * 200, close=True))
    client.set_blocking_mode(True)
    client.set_read_chunk_size(256)
    connect(client, "127.0.0.1", srv.port)
    client.request(Method.METHOD_GET, "/", [])
    client.poll()
    assert client.read_response_body_chunk() == b"q" * 200
    assert client.get_status() == S.STATUS_DISCONNECTED


def test_blocking_mode_chunked_has_no_empty_reads_for_missing_data(client, serve):
    def handler(conn):
        conn.read_request()
        conn.send(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel")
        time.sleep(0.05)
        conn.send(b"lo\r\n0\r\n\r\n")
        time.sleep(0.5)

    srv = serve(handler)
    client.set_blocking_mode(True)
    connect(client, "127.0.0.1", srv.port)
    r = fetch(client, Method.METHOD_GET, "/")
    assert r["reads"] == ["5:BODY", "0:BODY", "0:CONNECTED"]


def test_large_request_body_is_sent_over_several_polls(client, serve):
    srv = serve(respond(OK_HELLO))
    connect(client, "127.0.0.1", srv.port)
    body = bytes(range(256)) * 32768  # 8 MiB
    assert client.request_raw(Method.METHOD_POST, "/", [], body) == 0
    r_seq, _ = wait_status(client, (S.STATUS_REQUESTING,), timeout=20)
    assert srv.requests[0].endswith(body) and client.get_status() == S.STATUS_BODY


def test_server_close_is_noticed_by_poll_in_connected(client, serve):
    srv = serve(respond(OK_HELLO, close=True))
    connect(client, "127.0.0.1", srv.port)
    fetch(client, Method.METHOD_GET, "/")
    seq, rc = wait_status(client, (S.STATUS_CONNECTED,))
    assert seq == ["CONNECTED", "CONNECTION_ERROR"] and rc == 27
    assert client.get_response_code() == 200  # close() is not called on this path
    assert client.poll() == 27
    assert client.request(Method.METHOD_GET, "/", []) == 31


def test_request_on_dead_connection_fails_on_next_poll(client, serve):
    srv = serve(respond(OK_HELLO, close=True))
    connect(client, "127.0.0.1", srv.port)
    fetch(client, Method.METHOD_GET, "/")
    time.sleep(0.05)
    assert client.request(Method.METHOD_GET, "/", []) == 0
    seq, rc = wait_status(client, (S.STATUS_REQUESTING,))
    assert seq == ["REQUESTING", "CONNECTION_ERROR"] and rc == 27 and client.get_response_code() == 0


@pytest.mark.parametrize("cut", [b"", b"HTTP/1.1 200 OK\r\nContent-"])
def test_server_closing_before_or_mid_head_gives_connection_error(client, serve, cut):
    srv = serve(lambda conn: (conn.read_request(), conn.send(cut) if cut else None, conn.close()))
    connect(client, "127.0.0.1", srv.port)
    client.request(Method.METHOD_GET, "/", [])
    seq, rc = wait_status(client, (S.STATUS_REQUESTING,))
    assert seq[-1] == "CONNECTION_ERROR" and rc == 27


def test_refused_connect_gives_cant_connect_and_no_connection(client):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    seq, rc = connect(client, "127.0.0.1", port)
    assert seq == ["CONNECTING", "CANT_CONNECT"] and rc == 25
    assert client.get_connection() is None and client.poll() == 25


def test_hostname_with_dead_first_address_falls_back_to_the_next(client, serve):
    srv = serve(respond(OK_HELLO))  # listens on 127.0.0.1 only; "dual.test" gives ::1 first
    seq, rc = connect(client, "dual.test", srv.port)
    assert seq == ["RESOLVING", "CONNECTING", "CONNECTED"]
    assert fetch(client, Method.METHOD_GET, "/")["body"] == b"hello"


def test_unknown_name_gives_cant_resolve(client):
    seq, rc = connect(client, "nosuch.test", 80)
    assert seq == ["RESOLVING", "CANT_RESOLVE"] and rc == 26 and client.poll() == 26


def test_out_of_resolver_queries(env, messages):
    gate = threading.Event()
    env.resolver = Resolver(lambda host: (gate.wait(5), ["127.0.0.1"])[1], max_queries=1)
    a, b = HTTPClient(env), HTTPClient(env)
    assert a.connect_to_host("slow.test", 80) == 0 and a.get_status() == S.STATUS_RESOLVING
    assert b.connect_to_host("slow.test", 80) == 26 and b.get_status() == S.STATUS_CANT_RESOLVE
    assert messages.warnings == ["Out of resolver queries"]
    a.close()  # frees the slot
    assert env.resolver.in_use() == 0
    gate.set()


def test_resolved_names_are_cached_but_status_is_still_resolving(env, serve):
    calls = []
    env.resolver = Resolver(lambda h: (calls.append(h), ["127.0.0.1"])[1])
    srv = serve(respond())
    for _ in range(2):
        c = HTTPClient(env)
        assert c.connect_to_host("cached.test", srv.port) == 0
        assert c.get_status() == S.STATUS_RESOLVING
        wait_status(c, (S.STATUS_RESOLVING, S.STATUS_CONNECTING))
        assert c.get_status() == S.STATUS_CONNECTED
        c.close()
    assert calls == ["cached.test"]


@pytest.mark.parametrize("port", [0, 70000])
def test_port_out_of_range_is_cant_connect(client, messages, port):
    assert client.connect_to_host("127.0.0.1", port) == 31
    assert client.get_status() == S.STATUS_CANT_CONNECT
    assert messages.errors == ["The remote port number must be between 1 and 65535 (inclusive)."]


@pytest.mark.parametrize("host", ["", "abc", "http://abc", "https://abc", "[]", "[a]"])
def test_short_host_is_refused(client, messages, host):
    assert client.connect_to_host(host, 80) == 31 and client.get_status() == S.STATUS_DISCONNECTED
    assert messages.errors == [
        'Condition "conn_host.length() < HOST_MIN_LEN" is true. Returning: ERR_INVALID_PARAMETER'
    ]


def test_server_tls_options_are_refused(client, messages):
    from godot_http import TLSOptions

    assert client.connect_to_host("localhost", 443, TLSOptions.server()) == 31
    assert "is_server()" in messages.errors[0]


def test_scheme_prefix_and_default_ports(client):
    from godot_http import TLSOptions

    client.connect_to_host("http://v4.test", -5, TLSOptions.client_unsafe())
    assert client._tls_options is None and client._conn_port == 80 and client._conn_host == "v4.test"
    client.connect_to_host("HTTPS://v4.test")
    assert client._tls_options == TLSOptions.client() and client._conn_port == 443
    client.connect_to_host("v4.test", -1, TLSOptions.client())
    assert client._conn_port == 443


def test_connect_to_host_closes_previous_connection(client, serve):
    srv = serve(respond())
    connect(client, "127.0.0.1", srv.port)
    old = client.get_connection()
    assert client.connect_to_host("abc", 80) == 31
    assert client.get_status() == S.STATUS_DISCONNECTED and old.sock is None


def test_poll_return_values_per_status(client):
    assert client.poll() == 3
    client._status = S.STATUS_CANT_CONNECT
    assert client.poll() == 25
    client._status = S.STATUS_CANT_RESOLVE
    assert client.poll() == 26
    client._status = S.STATUS_TLS_HANDSHAKE_ERROR
    assert client.poll() == 27


def test_request_validation_order_and_messages(client, messages, serve):
    assert client.request(9, "/", []) == 31
    assert client.request(-1, "/", []) == 31
    assert messages.errors[:2] == [
        "Index p_method = 9 is out of bounds (METHOD_MAX = 9).",
        "Index p_method = -1 is out of bounds (METHOD_MAX = 9).",
    ]
    messages.clear()
    for m, url in [(0, "index.php"), (0, "*"), (7, "a:"), (7, ":80"), (7, "/echo")]:
        assert client.request(m, url, []) == 31
    assert set(messages.errors) == {
        'Condition "!_check_request_url(p_method, p_url)" is true. Returning: ERR_INVALID_PARAMETER'
    }
    messages.clear()
    assert client.request(5, "*", []) == 31  # URL fine, but not connected
    assert messages.errors == ['Condition "status != STATUS_CONNECTED" is true. Returning: ERR_INVALID_PARAMETER']
    srv = serve(respond())
    connect(client, "127.0.0.1", srv.port)
    messages.clear()
    assert client.request(0, "/", ["X: 1", "  "]) == 31
    assert client.request(0, "/", [":x"]) == 31
    assert messages.errors == [
        "Invalid HTTP header at index 1: empty.",
        "Invalid HTTP header at index 0: String must contain header-value pair, delimited by ':', but was: ':x'.",
    ]
    assert client.get_status() == S.STATUS_CONNECTED


@pytest.mark.parametrize(
    "url,headers",
    [
        ("/echo HTTP/1.1\r\nX-Evil: 1\r\nX-Pad: ", []),
        ("/a\nb", []),
        ("/a\0", []),
        ("/", ["X-A: 1\r\nX-Injected: 2"]),
        ("/", ["X-A: 1\0"]),
    ],
)
def test_crlf_nul_injection_is_refused(client, messages, serve, url, headers):
    srv = serve(respond())
    connect(client, "127.0.0.1", srv.port)
    assert client.request(0, url, headers) == 31
    assert "CR, LF or NUL" in messages.errors[-1] and client.get_status() == S.STATUS_CONNECTED


def test_crlf_in_host_is_refused(client, messages):
    assert client.connect_to_host("evil.test\r\nX: 1", 80) == 31
    assert "CR, LF or NUL" in messages.errors[-1]


def test_read_chunk_size_rule(client, messages):
    assert client.get_read_chunk_size() == 65536
    client.set_read_chunk_size(255)
    client.set_read_chunk_size((1 << 24) + 1)
    assert client.get_read_chunk_size() == 65536
    assert messages.errors == ['Condition "p_size < 256 || p_size > (1 << 24)" is true.'] * 2
    client.set_read_chunk_size(256)
    client.set_read_chunk_size(1 << 24)
    assert client.get_read_chunk_size() == 1 << 24


def test_read_outside_body_is_refused(client, messages):
    assert client.read_response_body_chunk() == b""
    assert messages.errors == ['Condition "status != STATUS_BODY" is true. Returning: PackedByteArray()']


def test_close_resets_state_but_keeps_chunked_flag_and_settings(client, serve):
    srv = serve(respond(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"))
    client.set_read_chunk_size(1024)
    client.set_blocking_mode(True)
    connect(client, "127.0.0.1", srv.port)
    fetch(client, 0, "/")
    client.close()
    assert client.get_status() == 0 and client.get_connection() is None and client.poll() == 3
    assert client.get_response_code() == 0 and client.get_response_body_length() == -1
    assert client.is_response_chunked() and client.get_read_chunk_size() == 1024
    assert client.is_blocking_mode_enabled()


def test_proxy_setters_unset_on_empty_host_or_port_minus_one(client):
    client.set_http_proxy("proxy.test", 3128)
    assert client._http_proxy_port == 3128
    client.set_http_proxy("", 3128)
    assert client._http_proxy_port == -1 and client._http_proxy_host == ""
    client.set_https_proxy("proxy.test", -1)
    assert client._https_proxy_port == -1


def test_set_connection_with_foreign_stream(client, messages):
    from godot_http.stream import Stream

    class PairStream(Stream):
        def __init__(self, sock):
            self.sock = sock
            sock.setblocking(False)

        def recv(self, n):
            try:
                d = self.sock.recv(n)
            except BlockingIOError:
                return b""
            if not d:
                from godot_http.errors import StreamEOF

                raise StreamEOF()
            return d

        def send(self, data):
            return self.sock.send(data)

    a, b = socket.socketpair()
    client.set_connection(None)
    assert messages.errors == ["Connection is not a reference to a valid StreamPeer object."]
    stream = PairStream(a)
    client.set_connection(stream)
    assert client.get_status() == S.STATUS_CONNECTED and client.get_connection() is stream
    client.set_connection(stream)  # same object: no-op
    b.sendall(b"")
    assert client.request(0, "/", []) == 0
    client.poll()
    req = b.recv(65536)
    assert req.startswith(b"GET / HTTP/1.1\r\nHost: :-1\r\n")
    b.sendall(OK_HELLO)
    wait_status(client, (S.STATUS_REQUESTING,))
    assert client.poll() == 0  # liveness looks at the injected stream (built-in: CONNECTION_ERROR)
    assert read_body(client)[0] == b"hello"
    a.close()
    b.close()


def test_set_connection_requires_tls_stream_when_tls_options_set(client, messages):
    from godot_http.stream import Stream

    client.connect_to_host("https://v4.test")
    client.set_connection(Stream())
    assert messages.errors[-1] == "Connection is not a reference to a valid StreamPeerTLS object."


def test_python_http_server_close_delimited_and_length(env):
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            body = self.path.encode() * 100
            self.send_response(200)
            if self.path == "/len":
                self.send_header("Content-Length", str(len(body)))
            else:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        c = HTTPClient(env)
        connect(c, "127.0.0.1", srv.server_address[1])
        r = fetch(c, 0, "/len")
        assert r["body"] == b"/len" * 100 and r["status"] == "CONNECTED"
        r = fetch(c, 0, "/eof")
        assert r["body"] == b"/eof" * 100 and r["status"] == "DISCONNECTED"
        assert any(h.startswith("Server: BaseHTTP") for h in r["headers"])
    finally:
        srv.shutdown()
        srv.server_close()
