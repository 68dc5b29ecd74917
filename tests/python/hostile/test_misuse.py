"""Issue 6 category 6, caller misuse: invalid methods (negative ones must not index from the end),
ports out of range, a caller Content-Length that disagrees with the body, every public method
in every wrong status, wrong argument types. Nothing raises; each gets an Error and a message."""

import pytest
import test_faults
from godot_http import TLSOptions
from godot_http.constants import Method
from hostile import S, Timed, connect, exchange, good_handler, poll_while, reusable


@pytest.mark.parametrize("method", [-1, -9, -10, 9, 10, 2**63, -(2**63), None, "GET", 1.0, [0]])
def test_invalid_method_is_refused_and_nothing_is_sent(client, serve, messages, method):
    srv = serve(good_handler)
    t = Timed(client)
    connect(t, "127.0.0.1", srv.port)
    assert client.request(method, "/", []) == 31 and client.request_raw(method, "/", [], b"") == 31
    assert "out of bounds (METHOD_MAX = 9)" in messages.text()
    assert t.name() == "CONNECTED" and srv.requests == []
    assert exchange(t)["body"] == b"hello" and srv.requests[0].startswith(b"GET / ")


@pytest.mark.parametrize(
    "host,port",
    [
        ("127.0.0.1", 0),
        ("127.0.0.1", 65536),
        ("127.0.0.1", 2**64),
        ("localhost", 0),
        ("localhost", 70000),
        ("localhost", 2**70),
    ],
)
def test_port_out_of_range(client, serve, messages, host, port):
    good = serve(good_handler)
    t = Timed(client)
    err = client.connect_to_host(host, port)
    rc = poll_while(t, (S.STATUS_RESOLVING, S.STATUS_CONNECTING))
    assert t.name() == "CANT_CONNECT" and 31 in (err, rc)
    assert "between 1 and 65535" in messages.text()
    reusable(client, good.port)


@pytest.mark.parametrize("port", [-1, -5, -(2**63)])
def test_negative_port_means_the_default_port_like_the_builtin(client, port):
    assert client.connect_to_host("127.0.0.1", port) == 0 and client._conn_port == 80


@pytest.mark.parametrize(
    "headers,body",
    [
        (["Content-Length: 2"], b"abc"),  # smaller: the rest would be a second request
        (["Content-Length: 10"], b"abc"),  # larger: the server would wait forever
        (["content-length:0"], b"abc"),
        (["Content-Length: 3", "Content-Length: 4"], b"abc"),
        (["Content-Length: +3"], b"abc"),
        (["Content-Length: 0x3"], b"abc"),
        (["Content-Length: \uff13"], b"abc"),
        (["Content-Length : 3x"], b"abc"),
        (["Content-Length: 5"], b""),
    ],
)
def test_caller_content_length_must_match_the_body(client, serve, messages, headers, body):
    srv = serve(good_handler)
    t = Timed(client)
    connect(t, "127.0.0.1", srv.port)
    assert client.request_raw(Method.METHOD_POST, "/", headers, body) == 31
    assert "disagrees with the body length" in messages.text() and t.name() == "CONNECTED"
    assert client.request_raw(Method.METHOD_POST, "/", ["Content-Length: %d" % len(body)], body) == 0
    poll_while(t, (S.STATUS_REQUESTING,))
    assert srv.requests[0].count(b"Content-Length") == 1 and srv.requests[0].endswith(b"\r\n\r\n" + body)


# Every public method called in a status where it makes no sense: no exception, a defined result.
CALLS = {
    "request": lambda c: c.request(0, "/", []),
    "request_raw": lambda c: c.request_raw(0, "/", [], b"x"),
    "read_response_body_chunk": lambda c: c.read_response_body_chunk(),
    "poll": lambda c: c.poll(),
    "get_response_headers": lambda c: c.get_response_headers(),
    "get_response_headers_as_dictionary": lambda c: c.get_response_headers_as_dictionary(),
    "get_response_code": lambda c: c.get_response_code(),
    "get_response_body_length": lambda c: c.get_response_body_length(),
    "has_response": lambda c: c.has_response(),
    "is_response_chunked": lambda c: c.is_response_chunked(),
    "set_read_chunk_size": lambda c: c.set_read_chunk_size(1024),
    "set_blocking_mode": lambda c: c.set_blocking_mode(False),
    "set_http_proxy": lambda c: c.set_http_proxy("", -1),
    "set_https_proxy": lambda c: c.set_https_proxy("", -1),
    "get_connection": lambda c: c.get_connection(),
    "query_string_from_dict": lambda c: c.query_string_from_dict({"a": 1}),
    "set_tls_public_key_pins": lambda c: c.set_tls_public_key_pins([]),
}


@pytest.mark.parametrize("target", [s.name[7:] for s in S if s.name != "STATUS_DISCONNECTED"] + ["DISCONNECTED"])
def test_every_method_in_every_status(client, serve, env, messages, target):
    good = serve(good_handler)
    gate = test_faults._to_status(client, target, serve, env)
    for name, call in CALLS.items():
        before = client.get_status()
        result = call(client)
        if name == "request" or name == "request_raw":
            if before != S.STATUS_CONNECTED:
                assert result == 31 and client.get_status() == before, (name, target)
        if name == "read_response_body_chunk":
            assert isinstance(result, bytes)
            if before != S.STATUS_BODY:
                assert result == b"" and client.get_status() == before
    assert "Internal error" not in messages.text()
    if gate is not None:
        gate.set()
        env.resolver.close()
        from hostile import RESOLVER

        env.resolver = RESOLVER
    reusable(client, good.port)


@pytest.mark.parametrize(
    "call,message",
    [
        (lambda c: c.connect_to_host(None, 80), "host must be a String"),
        (lambda c: c.connect_to_host(b"127.0.0.1", 80), "host must be a String"),
        (lambda c: c.connect_to_host("127.0.0.1", "80"), "port an int"),
        (lambda c: c.connect_to_host("127.0.0.1", 80.0), "port an int"),
        (lambda c: c.connect_to_host("127.0.0.1", 80, "tls"), "tls_options must be"),
        (lambda c: c.connect_to_host("127.0.0.1", 80, TLSOptions.server()), "is_server"),
        (lambda c: c.connect_to_host("127.0.0.1\r\nX: y", 80), "CR, LF or NUL"),
        (lambda c: c.set_http_proxy(None, 8080), "Invalid proxy"),
        (lambda c: c.set_https_proxy("proxy\r\n.test", 8080), "Invalid proxy"),
        (lambda c: c.set_https_proxy("proxy.test", "8080"), "Invalid proxy"),
        (lambda c: c.set_read_chunk_size(None), "p_size < 256"),
        (lambda c: c.set_read_chunk_size(255), "p_size < 256"),
        (lambda c: c.set_read_chunk_size((1 << 24) + 1), "p_size < 256"),
        (lambda c: c.set_tls_public_key_pins(None), "pins must be an array"),
        (lambda c: c.set_tls_public_key_pins([1]), "Invalid public key pin"),
        (lambda c: c.set_connection(5), "not a reference to a valid StreamPeer"),
        (lambda c: c.query_string_from_dict(None), "query_string_from_dict"),
    ],
)
def test_wrong_argument_types_get_a_message_not_an_exception(client, serve, messages, call, message):
    good = serve(good_handler)
    call(client)
    assert message in messages.text()
    assert client.get_http_proxy() if hasattr(client, "get_http_proxy") else True
    assert client._http_proxy_port == -1 and client._https_proxy_port == -1 and client._read_chunk_size == 65536
    reusable(client, good.port)


@pytest.mark.parametrize(
    "args,message",
    [
        ((0, None, []), "url must be a String"),
        ((0, b"/", []), "url must be a String"),
        ((0, "/", None), "headers must be an array"),
        ((0, "/", "Host: x"), "headers must be an array"),
        ((0, "/", [b"X: y"]), "headers must be an array"),
        ((0, "/", [None]), "headers must be an array"),
        ((0, "/", [], None), "body must be a String"),
        ((0, "/", [], b"bytes"), "body must be a String"),
    ],
)
def test_wrong_request_argument_types(client, serve, messages, args, message):
    srv = serve(good_handler)
    t = Timed(client)
    connect(t, "127.0.0.1", srv.port)
    assert client.request(*args) == 31 and message in messages.text() and t.name() == "CONNECTED"
    messages.clear()
    assert client.request_raw(0, "/", [], "text") == 31 and "body must be bytes" in messages.text()
    assert exchange(t)["body"] == b"hello" and len(srv.requests) == 1
