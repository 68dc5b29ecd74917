"""The sans-IO core: head reading, parsing, chunked decoding, limits, serialisation.

Parsers are fed three ways (whole, byte by byte, with trailing bytes left over), plus a property
test (any split gives the same result) and a fuzz test (any bytes parse or raise ProtocolError).
"""

import ast
import os

import pytest
from godot_http import protocol
from godot_http.protocol import (
    END_OF_MESSAGE,
    NEED_DATA,
    ChunkedReader,
    HeadReader,
    LimitExceeded,
    ProtocolError,
    parse_head,
    serialize_request,
    to_int,
)
from hypothesis import given, settings
from hypothesis import strategies as st


def read_response(segments, head_request=False):
    """Feed segments into a head reader then a body decoder; return a comparable outcome."""
    buf = bytearray()
    reader = HeadReader()
    head = None
    out = []
    chunks = ChunkedReader()
    done = False
    for seg in segments:
        buf += seg
        while not done:
            if head is None:
                block = reader.extract(buf)
                if block is None:
                    break
                h = parse_head(block, head_request)
                if h.interim:
                    reader.note_interim()
                    continue
                head = h
                out.append(("head", h.code, tuple(h.headers), h.body_size, h.chunked, h.read_until_eof, h.status))
                if not h.decode_chunked:
                    done = True
                continue
            ev = chunks.step(buf)
            if ev is NEED_DATA:
                break
            if ev is END_OF_MESSAGE:
                done = True
            out.append(ev if isinstance(ev, bytes) else repr(ev))
    return out, bytes(buf)


def outcome(segments, head_request=False):
    try:
        return read_response(segments, head_request)
    except ProtocolError as exc:
        return ("error", type(exc).__name__, str(exc))


CHUNKED = (
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n"
    b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n"
)
EXPECTED_CHUNKED = [
    ("head", 200, ("Transfer-Encoding: chunked", "X-A: 1"), -1, True, False, 7),
    b"hello",
    b" world",
    "END_OF_CHUNKS",
    "END_OF_MESSAGE",
]


def _three_ways(data):
    whole = outcome([data])
    bytewise = outcome([data[i : i + 1] for i in range(len(data))])
    trailing = outcome([data + b"HTTP/1.1 200 OK\r\n"])
    return whole, bytewise, trailing


def test_chunked_response_three_ways():
    whole, bytewise, trailing = _three_ways(CHUNKED)
    assert whole == (EXPECTED_CHUNKED, b"") and bytewise == whole
    assert trailing == (EXPECTED_CHUNKED, b"HTTP/1.1 200 OK\r\n")


@pytest.mark.parametrize(
    "data,expected",
    [
        (b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", (200, 5, False, False, 7)),
        (b"HTTP/1.0 404 Not Found\nContent-Length: 0\n\n", (404, 0, False, False, 7)),
        (b"HTTP/1.1 204 No Content\r\n\r\n", (204, -1, False, False, 5)),
        (b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nabc", (200, -1, False, True, 7)),
        (b"HTTP/1.1 200 OK\r\nX: 1\r\n\r\nLEFTOVER", (200, -1, False, True, 7)),
        (b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n", (201, 0, False, False, 7)),
        (b"\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx", (200, 1, False, False, 7)),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", (200, -1, False, True, 7)),
        (b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", (101, -1, False, False, 5)),
    ],
)
def test_head_framing_three_ways(data, expected):
    whole, bytewise, trailing = _three_ways(data)
    assert bytewise == whole
    (head, *rest), left = whole
    assert (head[1], head[3], head[4], head[5], head[6]) == expected
    assert trailing[0][0] == head


def test_head_terminator_is_exactly_where_the_builtin_stops():
    buf = bytearray(b"HTTP/1.1 200 OK\r\nX: 1\n\r\nY: 2\r\n\n...")
    block = HeadReader().extract(buf)
    assert block.endswith(b"Y: 2\r\n\n") and buf == b"..."


def test_head_request_and_304_have_no_body_even_if_framed():
    h = parse_head(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", head_request=True)
    assert (h.body_size, h.chunked, h.decode_chunked, h.status) == (0, True, False, 7)
    h = parse_head(b"HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\n\r\n")
    assert (h.body_size, h.decode_chunked, h.status) == (0, False, 7)


@pytest.mark.parametrize("line", [b"Transfer-Encoding: Chunked", b"TRANSFER-ENCODING:  chunked  "])
def test_transfer_encoding_chunked_is_case_insensitive(line):
    assert parse_head(b"HTTP/1.1 200 OK\r\n" + line + b"\r\n\r\n").decode_chunked


@pytest.mark.parametrize(
    "line", [b"Connection: close", b"Connection:close", b"CONNECTION: CLOSE", b"Connection: keep-alive, close"]
)
def test_connection_close_token(line):
    assert not parse_head(b"HTTP/1.1 200 OK\r\n" + line + b"\r\nContent-Length: 0\r\n\r\n").keep_alive


@pytest.mark.parametrize(
    "head,cls",
    [
        (b"FOO 404 Bad\r\n\r\n", ProtocolError),
        (b"HTTP/1.1  404  X\r\n\r\n", ProtocolError),
        (b"HTTP/2.0 200 OK\r\n\r\n", ProtocolError),
        (b"HTTP/1.1 abc\r\n\r\n", ProtocolError),
        (b"HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\n", ProtocolError),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 0x5\r\n\r\n", ProtocolError),
        (b"HTTP/1.1 200 OK\r\nContent-Length: \xef\xbc\x95\r\n\r\n", ProtocolError),  # full-width 5
        (b"HTTP/1.1 200 OK\r\nContent-Length: 5_0\r\n\r\n", ProtocolError),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", ProtocolError),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\n", ProtocolError),
        (b"HTTP/1.1 200 OK\r\nContent-Length : 5\r\n\r\n", ProtocolError),
        (b"HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\n", ProtocolError),
        (b"HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n", ProtocolError),
    ],
)
def test_malformed_heads_raise_protocol_error(head, cls):
    with pytest.raises(cls):
        parse_head(head)


def test_obfuscated_transfer_encoding_is_not_chunked():
    # U+212A KELVIN SIGN lowercases to "k" with str.lower(); the name must not match anything.
    h = parse_head("HTTP/1.1 200 OK\r\nTransfer-Encoding: chun\u212aed\r\n\r\n".encode())
    assert not h.decode_chunked and h.read_until_eof


def test_duplicate_equal_content_lengths_are_accepted():
    assert parse_head(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n").body_size == 5


@pytest.mark.parametrize(
    "data,limit",
    [
        (b"HTTP/1.1 200 " + b"x" * 9000, "MAX_STATUS_LINE"),
        (b"HTTP/1.1 200 OK\r\nX: " + b"x" * (65 * 1024), "MAX_HEADER_LINE"),
        (b"HTTP/1.1 200 OK\r\n" + b"X: 1\r\n" * 300, "MAX_HEADERS"),
        (b"HTTP/1.1 200 OK\r\n" + (b"X: " + b"x" * 60000 + b"\r\n") * 5, "MAX_HEAD_BLOCK"),
        (b"HTTP/1.1 100 Continue\r\n\r\n" * 6 + b"HTTP/1.1 200 OK\r\n\r\n", "MAX_INTERIM_RESPONSES"),
        (b"\r\n" * 140000, "MAX_HEAD_BLOCK"),
    ],
)
def test_head_limits_fail_at_once_naming_the_limit(data, limit):
    for segments in ([data], [data[i : i + 4096] for i in range(0, len(data), 4096)]):
        with pytest.raises(LimitExceeded, match=limit):
            read_response(segments)


def test_interim_heads_count_towards_the_block_limit():
    big_interim = b"HTTP/1.1 103 Early Hints\r\nLink: " + b"x" * 60000 + b"\r\n\r\n"
    with pytest.raises(LimitExceeded, match="MAX_HEAD_BLOCK"):
        read_response([big_interim * 5 + b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"])


def chunked(body):
    return b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body


@pytest.mark.parametrize(
    "body,message",
    [
        (b"1000001\r\n", "HTTP Chunk too big!! >16mb"),
        (b"1000001", "HTTP Chunk too big!! >16mb"),  # fails before the CRLF arrives
        (b"zz\r\n", "HTTP Chunk len not in hex!!"),
        (b"0x5\r\nhello\r\n", "HTTP Chunk len not in hex!!"),
        (b"5\nhello\r\n", "HTTP Chunk len not in hex!!"),
        (b"\r\n", "HTTP Chunk len not in hex!!"),
        (b"5\r\nhelloXY", "HTTP Invalid chunk terminator"),
        (b"5;" + b"e" * 5000, "MAX_CHUNK_SIZE_LINE"),
    ],
)
def test_chunked_reader_rejects_bad_framing(body, message):
    with pytest.raises(ProtocolError, match=message.replace("!", "!")) as info:
        read_response([chunked(body)])
    assert message in str(info.value)


def test_chunked_reader_accepts_the_largest_chunk_size():
    r = ChunkedReader()
    buf = bytearray(b"1000000\r\n")
    assert r.step(buf) is NEED_DATA and r.left == 1 << 24


def test_chunked_reader_bounds_trailers():
    with pytest.raises(LimitExceeded, match="MAX_HEADERS"):
        read_response([chunked(b"0\r\n" + b"T: 1\r\n" * 300)])


def test_chunked_trailer_may_end_with_bare_lf():
    out, _ = read_response([chunked(b"0\r\nT: 1\n\n")])
    assert out[-1] == "END_OF_MESSAGE"


RESPONSES = [
    CHUNKED,
    b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
    b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
    chunked(b"1000001\r\n"),
    chunked(b"5\r\nhelloXY"),
    b"HTTP/1.1 200 OK\r\nX: 1\n\nrest",
]


@settings(max_examples=200, deadline=None)
@given(data=st.sampled_from(RESPONSES), cuts=st.lists(st.integers(min_value=0, max_value=200), max_size=12))
def test_any_split_gives_the_same_result(data, cuts):
    points = sorted({c % (len(data) + 1) for c in cuts})
    segments = [data[a:b] for a, b in zip([0] + points, points + [len(data)])]
    assert outcome(segments) == outcome([data])


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.booleans())
def test_fuzz_any_bytes_parse_or_raise_protocol_error(data, head_request):
    for prefix in (b"", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"):
        try:
            read_response([prefix + data], head_request)
        except ProtocolError:
            pass


@pytest.mark.parametrize(
    "s,n",
    [
        ("1, 2", 12),
        ("12abc3", 123),
        ("0x1A", 1),
        ("1.5e3", 1),
        ("a-5", -5),
        ("--5", 5),
        ("5-3", 53),
        ("+7", 7),
        ("1 000", 1000),
        ("", 0),
        ("-", 0),
        ("\u0665", 0),
        ("99999999999999999999", (1 << 63) - 1),
    ],
)
def test_to_int_matches_godot(s, n):
    assert to_int(s) == n


def test_serialize_request_order_and_suppression():
    data = serialize_request(2, "/x", ["A: 1", "content-length: 9"], b"body", "h:81", "UA/1")
    assert (
        data
        == b"POST /x HTTP/1.1\r\nA: 1\r\ncontent-length: 9\r\nHost: h:81\r\nUser-Agent: UA/1\r\nAccept: */*\r\n\r\nbody"
    )


FORBIDDEN = {"socket", "ssl", "select", "selectors", "time", "threading", "asyncio", "_thread"}


def test_core_is_sans_io():
    pkg = os.path.dirname(protocol.__file__)
    for name in protocol.SANS_IO_MODULES:
        tree = ast.parse(open(os.path.join(pkg, name + ".py")).read())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                mods = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                mods = [(node.module or "").split(".")[0]] if node.level == 0 else []
                if node.level and node.module:
                    assert node.module.split(".")[0] in protocol.SANS_IO_MODULES, (name, node.module)
            else:
                continue
            assert not FORBIDDEN & set(mods), (name, mods)


def test_parse_speed_budget():
    import timeit

    head = (
        b"HTTP/1.1 200 OK\r\nServer: nginx/1.30\r\nDate: Mon, 01 Jan 2026 00:00:00 GMT\r\n"
        b"Content-Type: text/plain\r\nContent-Length: 100\r\nLast-Modified: Mon, 01 Jan 2026 00:00:00 GMT\r\n"
        b'Connection: keep-alive\r\nETag: "abc-64"\r\nAccept-Ranges: bytes\r\n\r\n'
    )
    reader = HeadReader()

    def one():
        reader.reset()
        buf = bytearray(head + b"x" * 100)
        parse_head(reader.extract(buf))
        serialize_request(0, "/f", [], b"", "127.0.0.1:8080", "GodotEngine/4.6.3.stable.official (Linux)")

    per_call = min(timeit.repeat(one, number=2000, repeat=3)) / 2000
    assert per_call < 50e-6, per_call
