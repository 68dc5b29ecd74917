"""Issue 6 categories 1 and 2 through the whole client: hostile responses sent byte by byte over
a real loopback socket. Per case: the outcome (status, poll()/request() result, message naming
the limit or fault, body), every call within CALL_BUDGET, the tracemalloc peak within
MEMORY_BUDGET, descriptors/threads back to their count (``leakcheck``), and the same client
working again after close(). The parser-level tests of the same inputs fed three ways live in
tests/python/http/test_protocol.py; these add the socket, the facade and the invariants."""

import pytest
from godot_http import _limits
from hostile import (
    CALL_BUDGET,
    MEMORY_BUDGET,
    OK_HELLO,
    Peak,
    Timed,
    connect,
    exchange,
    good_handler,
    reusable,
    scripted,
)

H = b"HTTP/1.1 200 OK\r\n"
CE = ("CONNECTION_ERROR", 27)


def big(n, line=b"X-Filler: "):
    return line + b"a" * n + b"\r\n"


# (id, response, after, method, (final status, rc of the last poll or None), message part, body)
CASES = [
    # --- status line
    ("status-code-4-digits", b"HTTP/1.1 2000 OK\r\n\r\n", "fin", 0, CE, "Invalid HTTP status line", None),
    ("status-missing", b"Content-Length: 0\r\n\r\n", "fin", 0, CE, "Invalid HTTP status line", None),
    ("version-2.0", b"HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n", "hold", 0, CE, "Invalid HTTP status line", None),
    ("version-lowercase", b"http/1.1 200 OK\r\n\r\n", "hold", 0, CE, "Invalid HTTP status line", None),
    ("version-1.x", b"HTTP/1.x 200 OK\r\n\r\n", "hold", 0, CE, "Invalid HTTP status line", None),
    ("http-0.9-reply", b"<html>hello</html>", "fin", 0, CE, "before the response head was complete", None),
    (
        "status-line-limit",
        b"HTTP/1.1 200 " + b"R" * _limits.MAX_STATUS_LINE + b"\r\n\r\n",
        "hold",
        0,
        CE,
        "MAX_STATUS_LINE",
        None,
    ),
    # --- header lines
    (
        "header-without-colon-kept",
        H + b"NoColon\r\nContent-Length: 2\r\n\r\nhi",
        "hold",
        0,
        ("CONNECTED", 0),
        "",
        b"hi",
    ),
    (
        "whitespace-before-colon-CL",
        H + b"Content-Length : 2\r\n\r\nhi",
        "hold",
        0,
        CE,
        "Whitespace before the colon",
        None,
    ),
    (
        "whitespace-before-colon-TE",
        H + b"Transfer-Encoding\t: chunked\r\n\r\n0\r\n\r\n",
        "hold",
        0,
        CE,
        "Whitespace before the colon",
        None,
    ),
    ("NUL-in-value", H + b"X-A: a\0b\r\nContent-Length: 0\r\n\r\n", "hold", 0, CE, "NUL byte", None),
    ("bare-CR-in-value", H + b"X-A: a\rb\r\nContent-Length: 0\r\n\r\n", "hold", 0, CE, "Bare CR", None),
    ("header-line-limit", H + big(_limits.MAX_HEADER_LINE) + b"\r\n", "hold", 0, CE, "MAX_HEADER_LINE", None),
    ("header-count-limit", H + b"X-A: b\r\n" * (_limits.MAX_HEADERS + 3) + b"\r\n", "hold", 0, CE, "MAX_HEADERS", None),
    ("header-block-limit", H + big(60000) * 5 + b"\r\n", "hold", 0, CE, "MAX_HEAD_BLOCK", None),
    (
        "interim-flood",
        b"HTTP/1.1 100 Continue\r\n\r\n" * (_limits.MAX_INTERIM_RESPONSES + 1) + OK_HELLO,
        "hold",
        0,
        CE,
        "MAX_INTERIM_RESPONSES",
        None,
    ),
    (
        "interim-block-limit",
        b"HTTP/1.1 103 Early Hints\r\n" + big(60000) * 3 + b"\r\n" + H + big(60000) * 2 + b"\r\n",
        "hold",
        0,
        CE,
        "MAX_HEAD_BLOCK",
        None,
    ),
    # --- Content-Length (Python int() traps included)
    ("CL-plus", H + b"Content-Length: +5\r\n\r\nhello", "hold", 0, CE, "Invalid Content-Length", None),
    ("CL-hex", H + b"Content-Length: 0x5\r\n\r\nhello", "hold", 0, CE, "Invalid Content-Length", None),
    ("CL-underscore", H + b"Content-Length: 5_0\r\n\r\nhello", "hold", 0, CE, "Invalid Content-Length", None),
    ("CL-fullwidth", H + "Content-Length: \uff15\r\n\r\nhello".encode(), "hold", 0, CE, "Invalid Content-Length", None),
    (
        "CL-arabic-indic",
        H + "Content-Length: \u0665\r\n\r\nhello".encode(),
        "hold",
        0,
        CE,
        "Invalid Content-Length",
        None,
    ),
    (
        "CL-20-digits",
        H + b"Content-Length: 10000000000000000000\r\n\r\n",
        "hold",
        0,
        CE,
        "Invalid Content-Length",
        None,
    ),
    ("CL-negative", H + b"Content-Length: -1\r\n\r\n", "hold", 0, CE, "Invalid Content-Length", None),
    ("CL-list", H + b"Content-Length: 5, 5\r\n\r\nhello", "hold", 0, CE, "Invalid Content-Length", None),
    (
        "CL-conflicting",
        H + b"Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
        "hold",
        0,
        CE,
        "Conflicting Content-Length",
        None,
    ),
    # --- Transfer-Encoding
    (
        "TE-kelvin-not-chunked",
        H + "Transfer-Encoding: chun\u212aed\r\n\r\n5\r\nhello\r\n0\r\n\r\n".encode(),
        "fin",
        0,
        ("DISCONNECTED", 0),
        "",
        b"5\r\nhello\r\n0\r\n\r\n",
    ),
    (
        "TE-chunked-twice-not-chunked",
        H + b"Transfer-Encoding: chunked, chunked\r\n\r\nabc",
        "fin",
        0,
        ("DISCONNECTED", 0),
        "",
        b"abc",
    ),
    (
        "TE-gzip-then-close",
        H + b"Transfer-Encoding: gzip\r\nContent-Length: 3\r\n\r\nabcdef",
        "fin",
        0,
        ("DISCONNECTED", 0),
        "",
        b"abcdef",
    ),
    # --- chunked framing
    ("chunk-size-not-hex", H + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n", "hold", 0, CE, "not in hex", None),
    (
        "chunk-size-0x",
        H + b"Transfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n",
        "hold",
        0,
        CE,
        "not in hex",
        None,
    ),
    ("chunk-size-negative", H + b"Transfer-Encoding: chunked\r\n\r\n-5\r\n", "hold", 0, CE, "not in hex", None),
    (
        "chunk-size-too-big",
        H + b"Transfer-Encoding: chunked\r\n\r\n1000001\r\n",
        "hold",
        0,
        CE,
        "MAX_CHUNK_SIZE ",
        None,
    ),
    (
        "chunk-size-line-limit",
        H + b"Transfer-Encoding: chunked\r\n\r\n5;" + b"e" * _limits.MAX_CHUNK_SIZE_LINE,
        "hold",
        0,
        CE,
        "MAX_CHUNK_SIZE_LINE",
        None,
    ),
    (
        "chunk-data-without-CRLF",
        H + b"Transfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n",
        "hold",
        0,
        CE,
        "chunk terminator",
        None,
    ),
    ("chunk-bare-LF", H + b"Transfer-Encoding: chunked\r\n\r\n5\nhello\n0\n\n", "hold", 0, CE, "HTTP Chunk", None),
    (
        "trailer-flood",
        H + b"Transfer-Encoding: chunked\r\n\r\n0\r\n" + b"X-T: 1\r\n" * 300 + b"\r\n",
        "hold",
        0,
        CE,
        "MAX_HEADERS",
        None,
    ),
    (
        "trailer-line-limit",
        H + b"Transfer-Encoding: chunked\r\n\r\n0\r\n" + big(_limits.MAX_HEADER_LINE),
        "hold",
        0,
        CE,
        "MAX_HEADER_LINE",
        None,
    ),
    # --- bodies cut short / misplaced
    ("CL-body-cut-FIN", H + b"Content-Length: 10\r\n\r\nhello", "fin", 0, CE, "5 of 10 bytes missing", b"hello"),
    ("CL-body-cut-RST", H + b"Content-Length: 10\r\n\r\nhello", "rst", 0, CE, "", None),
    ("chunked-cut-mid-chunk-FIN", H + b"Transfer-Encoding: chunked\r\n\r\n5\r\nhel", "fin", 0, CE, "", b""),
    ("chunked-cut-mid-chunk-RST", H + b"Transfer-Encoding: chunked\r\n\r\n5\r\nhel", "rst", 0, CE, "", b""),
    (
        "chunked-cut-before-last-FIN",
        H + b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
        "fin",
        0,
        CE,
        "",
        b"hello",
    ),
    ("HEAD-with-body", H + b"Content-Length: 5\r\n\r\nhello", "hold", 1, ("CONNECTED", 0), "", b""),
    # A body-less response announcing chunked: an empty chunked body may follow, so the connection
    # is not reused (closed, DISCONNECTED).
    (
        "204-with-chunked",
        b"HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n",
        "hold",
        0,
        ("DISCONNECTED", 0),
        "",
        b"",
    ),
    ("304-with-CL", b"HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n", "hold", 0, ("CONNECTED", 0), "", b""),
    # --- faults around the head
    ("FIN-before-any-byte", b"", "fin", 0, CE, "0 bytes received", None),
    ("RST-before-response", b"", "rst", 0, CE, "Connection broken", None),
    ("FIN-mid-headers", H + b"Content-Le", "fin", 0, CE, "before the response head was complete", None),
    ("RST-mid-headers", H + b"Content-Le", "rst", 0, CE, "Connection broken", None),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_hostile_response(client, serve, messages, case):
    name, response, after, method, (status, rc), message, body = case
    good = serve(good_handler)
    step = 1 if len(response) < 400 else 997
    srv = serve(scripted(response, after, step=step))
    t = Timed(client)
    connect(t, "127.0.0.1", srv.port)
    with Peak() as mem:
        r = exchange(t, method)
    assert r["status"] == status, (r, messages.text())
    if rc is not None and r["rc"] is not None and status not in ("CONNECTED", "DISCONNECTED"):
        # The error is reported either by poll() (head) or by the read (body): both give 27.
        assert r["rc"] in (0, rc)
    if message:
        assert message in messages.text(), messages.text()
    if status == "CONNECTION_ERROR":
        assert messages.errors or r["rc"] == 27
        assert t.c.poll() == 27 and t.c.read_response_body_chunk() == b""
    if body is not None:
        assert r["body"] == body
    assert "Internal error" not in messages.text()
    assert t.slowest < CALL_BUDGET, f"slowest call {t.slowest * 1000:.1f} ms"
    assert mem.peak < MEMORY_BUDGET, f"peak {mem.peak} bytes"
    reusable(client, good.port)


def test_bytes_after_the_body_are_not_read_as_the_next_response(client, serve, messages):
    """A smuggled second response after a complete one: the next request is refused, the
    smuggled bytes never become its response (the built-in would report them)."""
    good = serve(good_handler)
    smuggled = b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nEVIL"
    srv = serve(scripted(OK_HELLO + smuggled, "hold", step=len(OK_HELLO) + len(smuggled)))
    t = Timed(client)
    connect(t, "127.0.0.1", srv.port)
    r = exchange(t)
    assert (r["code"], r["body"], r["status"]) == (200, b"hello", "CONNECTED")
    import time

    time.sleep(0.05)
    assert t.request(0, "/") == 27
    assert t.name() == "CONNECTION_ERROR" and "unexpected bytes after the previous response" in messages.text()
    assert client.get_response_code() == 0 and client.get_connection() is None
    reusable(client, good.port)


def test_endless_slow_header_stream_is_bounded_by_the_limit(client, serve, messages):
    """Slowloris the other way round: headers without end, a small piece per send; the block
    limit ends it with bounded memory and every poll stays cheap."""
    import time

    def handler(conn):
        conn.read_request()
        conn.send(H)
        try:
            for _ in range(100000):
                conn.send(b"X-Slow: " + b"s" * 4000 + b"\r\n")
                time.sleep(0.0002)
        except OSError:
            pass

    good = serve(good_handler)
    srv = serve(handler)
    t = Timed(client)
    connect(t, "127.0.0.1", srv.port)
    with Peak() as mem:
        r = exchange(t)
    assert r["status"] == "CONNECTION_ERROR" and "MAX_HEAD_BLOCK" in messages.text()
    assert t.slowest < CALL_BUDGET and mem.peak < MEMORY_BUDGET, (t.slowest, mem.peak)
    reusable(client, good.port)
