"""The request core against real loopback servers, stepped as the node steps it (no Godot):
results, redirects on the wire, keep-alive reuse counted by the server, gzip, download_file."""

import gzip
import time

from godot_http import HTTPClient
from godot_http.request import Result, Session, Settings, Transfer, parse_url


def fetch(env, url, method=0, headers=(), body=b"", session=None, budget=0.002, limit=5.0, **settings):
    session = session or Session(HTTPClient(env))
    t = Transfer(session, method, parse_url(url), headers, body, Settings(**settings), report_warning=env.report_error)
    assert t.start() == 0
    end = time.monotonic() + limit
    while time.monotonic() < end:
        done = t.step(budget)
        if done is not None:
            return done, session
        t.wait(0.005)
    raise AssertionError("transfer did not finish")


def reply(status="200 OK", headers=(), body=b""):
    head = f"HTTP/1.1 {status}\r\n" + "".join(h + "\r\n" for h in headers)
    if not any(h.lower().startswith(("content-length", "transfer-encoding")) for h in headers):
        head += f"Content-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


def router(routes):
    def handler(conn):
        while True:
            try:
                raw = conn.read_request(timeout=5)
            except (EOFError, OSError):
                return
            path = raw.split(b" ")[1].decode()
            answer = routes.get(path, reply("404 Not Found", body=b"nf"))
            if callable(answer):
                answer = answer(raw)
            if answer == "CLOSE":
                conn.close()
                return
            conn.send(answer)

    return handler


def test_sequential_requests_and_same_origin_redirects_share_one_connection(env, serve):
    srv = serve(
        router(
            {
                "/a": reply(body=b"A"),
                "/r": reply("302 Found", ["Location: a"], b"moved"),
                "/r2": reply("307 Temporary Redirect", ["Location:/r"]),
            }
        )
    )
    base = f"http://127.0.0.1:{srv.port}"
    session = None
    for path in ("/a", "/r", "/r2", "/a"):
        done, session = fetch(env, base + path, session=session)
        assert (done.result, done.response_code, done.body) == (0, 200, b"A")
    assert srv.connections == 1 and session.connections == 1
    assert [r.split(b" ")[1] for r in srv.requests] == [b"/a", b"/r", b"/a", b"/r2", b"/r", b"/a", b"/a"]


def test_post_after_302_becomes_get_without_body_and_307_keeps_it(env, serve):
    srv = serve(
        router(
            {
                "/p302": reply("302 Found", ["Location: /t"]),
                "/p307": reply("307 X", ["Location: /t"]),
                "/t": lambda raw: reply(body=raw),
            }
        )
    )
    base = f"http://127.0.0.1:{srv.port}"
    done, _ = fetch(env, base + "/p302", 2, ["Content-Type: text/plain"], b"hello")
    assert done.body.startswith(b"GET /t HTTP/1.1\r\n") and b"Content-Length" not in done.body
    assert b"Content-Type" not in done.body and not done.body.endswith(b"hello")
    done, _ = fetch(env, base + "/p307", 2, ["Content-Type: text/plain"], b"hello")
    assert done.body.startswith(b"POST /t HTTP/1.1\r\n") and done.body.endswith(b"\r\n\r\nhello")


def test_credentials_not_sent_to_another_origin(env, serve):
    other = serve(router({"/t": lambda raw: reply(body=raw)}))
    srv = serve(router({"/go": reply("302 Found", [f"Location: http://localhost:{other.port}/t"])}))
    done, session = fetch(
        env, f"http://127.0.0.1:{srv.port}/go", 0, ["Authorization: Bearer s", "Cookie: a=1", "X-Other: kept"]
    )
    assert done.result == 0 and b"X-Other: kept" in done.body
    assert b"Authorization" not in done.body and b"Cookie" not in done.body
    assert session.connections == 2


def test_redirect_limit(env, serve):
    srv = serve(router({"/loop": reply("301 Moved", ["Location: /loop"])}))
    done, _ = fetch(env, f"http://127.0.0.1:{srv.port}/loop", max_redirects=3)
    assert (done.result, done.response_code) == (Result.RESULT_REDIRECT_LIMIT_REACHED, 301)
    assert len(srv.requests) == 4


def test_gzip_two_members_small_chunks_and_a_stray_byte(env, serve):
    body = gzip.compress(b"hello ") + gzip.compress(b"world") + b"\n"
    srv = serve(router({"/g": reply(headers=["Content-Encoding: gzip"], body=body)}))
    done, _ = fetch(env, f"http://127.0.0.1:{srv.port}/g")
    assert (done.result, done.body) == (0, b"hello world")
    assert b"Accept-Encoding: gzip, deflate\r\n" in srv.requests[0]


def test_truncated_body_is_connection_error_with_the_code(env, serve):
    def cut(conn):
        conn.read_request()
        conn.send(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
        conn.close()

    srv = serve(cut)
    done, _ = fetch(env, f"http://127.0.0.1:{srv.port}/")
    assert (done.result, done.response_code, done.body) == (Result.RESULT_CONNECTION_ERROR, 200, b"")


def test_unframed_and_interim_and_bare_204(env, serve):
    def handler(conn):
        raw = conn.read_request()
        if b"/unframed" in raw:
            conn.send(b"HTTP/1.0 200 OK\r\n\r\nall of it")
            conn.close()
        elif b"/continue" in raw:
            conn.send(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        else:
            conn.send(b"HTTP/1.1 204 No Content\r\n\r\n")
        time.sleep(0.2)

    srv = serve(handler)
    base = f"http://127.0.0.1:{srv.port}"
    assert fetch(env, base + "/unframed")[0][:3] == (0, 200, [])
    assert fetch(env, base + "/unframed")[0].body == b"all of it"
    assert fetch(env, base + "/continue")[0][::3] == (0, b"ok")
    assert fetch(env, base + "/nocontent")[0][:2] == (0, 204)


def test_download_file_is_written_as_it_arrives(env, serve, tmp_path):
    data = bytes(range(256)) * 4096
    srv = serve(router({"/big": reply(body=data)}))
    path = tmp_path / "out.bin"
    done, _ = fetch(env, f"http://127.0.0.1:{srv.port}/big", download_path=str(path))
    assert (done.result, done.body) == (0, b"") and path.read_bytes() == data
    done, _ = fetch(env, f"http://127.0.0.1:{srv.port}/big", download_path=str(tmp_path / "no" / "x"))
    assert done.result == Result.RESULT_DOWNLOAD_FILE_CANT_OPEN


def test_body_size_limit_counts_decoded_bytes(env, serve):
    srv = serve(
        router(
            {
                "/bomb": reply(headers=["Content-Encoding: gzip"], body=gzip.compress(bytes(1 << 22))),
                "/big": reply(body=bytes(5000)),
            }
        )
    )
    base = f"http://127.0.0.1:{srv.port}"
    assert fetch(env, base + "/bomb", body_size_limit=100000)[0].result == Result.RESULT_BODY_SIZE_LIMIT_EXCEEDED
    assert fetch(env, base + "/big", body_size_limit=4999)[0].result == Result.RESULT_BODY_SIZE_LIMIT_EXCEEDED


def test_timeout_on_a_silent_server(env, serve):
    srv = serve(lambda conn: time.sleep(2))
    start = time.monotonic()
    done, _ = fetch(env, f"http://127.0.0.1:{srv.port}/", timeout=0.3)
    assert done.result == Result.RESULT_TIMEOUT and 0.29 < time.monotonic() - start < 0.6


def test_a_failing_disk_gives_write_error(env, serve):
    srv = serve(router({"/big": reply(body=bytes(1 << 20))}))
    done, _ = fetch(env, f"http://127.0.0.1:{srv.port}/big", download_path="/dev/full")
    assert done.result == Result.RESULT_DOWNLOAD_FILE_WRITE_ERROR and done.response_code == 200


def test_file_sink_bounds_what_waits_for_the_disk(tmp_path):
    from godot_http.request._sink import MAX_QUEUED, FileSink

    sink = FileSink(str(tmp_path / "f.bin"))
    sink.open()
    piece = bytes(1 << 20)
    writes = 0
    while sink.has_room():
        sink.write(piece)
        writes += 1
    assert writes <= MAX_QUEUED // len(piece) + 1
    sink.close()
    deadline = time.monotonic() + 5
    while not sink.closed and time.monotonic() < deadline:
        time.sleep(0.01)
    assert sink.closed and sink.error is None and (tmp_path / "f.bin").stat().st_size == writes * len(piece)


def _wait_for(check, seconds=5.0):
    deadline = time.monotonic() + seconds
    while not check() and time.monotonic() < deadline:
        time.sleep(0.005)
    return check()


def test_file_sink_takes_back_the_pieces_it_lends_once_written(tmp_path):
    from godot_http.request._sink import FileSink, LentPiece

    sink = FileSink(str(tmp_path / "f.bin"))
    sink.open()
    first = sink.buffer(1000)
    assert type(first) is LentPiece and len(first) == 1000 and sink.pieces_made == 1
    first[:] = b"a" * 1000
    first.resize(300)  # a short read cuts it to what arrived; its memory stays
    assert len(first) == 300 and first.capacity == 1000 and bytes(first.data()) == b"a" * 300
    sink.write(first)
    assert _wait_for(lambda: sink.written == 300)
    again = sink.buffer(1000)  # handed back by the writer, grown back to the size asked for
    assert again is first and len(again) == 1000 == again.capacity and sink.pieces_made == 1
    again[:] = b"b" * 1000
    sink.write(again)
    other = sink.buffer(500)  # the only piece is queued: a new one
    assert other is not again and sink.pieces_made == 2
    sink.write(b"c" * 7)  # plain bytes still go through as they are
    sink.close()
    assert _wait_for(lambda: sink.closed) and sink.error is None
    assert (tmp_path / "f.bin").read_bytes() == b"a" * 300 + b"b" * 1000 + b"c" * 7


def test_a_download_into_a_file_reads_into_a_bounded_set_of_pieces(env, serve, tmp_path):
    """The body lands in the file sink's pieces, which the writer hands back: a download of any
    size makes only as many as can wait for the disk at once (MAX_QUEUED, twice: queued and
    being written), whatever the read sizes (the server sends uneven bursts, so reads are cut
    short and their pieces grown back); the bytes arrive intact."""
    import os
    import random

    from godot_http.request._sink import MAX_QUEUED

    chunk = 1 << 20
    data = os.urandom(48 * chunk)
    rng = random.Random(7)

    def handler(conn):
        conn.read_request()
        conn.send(f"HTTP/1.1 200 OK\r\nContent-Length: {len(data)}\r\n\r\n".encode())
        sent = 0
        while sent < len(data):
            n = rng.randrange(1, 3 * chunk // 2)
            conn.send(data[sent : sent + n])
            sent += n
            time.sleep(rng.choice((0, 0, 0.001)))
        conn.read_request()  # keep the connection until the client goes

    srv = serve(handler)
    client = HTTPClient(env)
    client.set_read_chunk_size(chunk)
    session = Session(client)
    path = tmp_path / "out.bin"
    t = Transfer(session, 0, parse_url(f"http://127.0.0.1:{srv.port}/big"), [], b"", Settings(download_path=str(path)))
    assert t.start() == 0
    deadline = time.monotonic() + 20
    done = None
    while done is None and time.monotonic() < deadline:
        done = t.step(0.005)
        t.wait(0.005)
    assert done is not None and (done.result, done.response_code) == (0, 200)
    assert path.read_bytes() == data
    made = t.sink.pieces_made
    assert 0 < made <= 2 * (MAX_QUEUED // chunk + 1) + 2 < len(data) // chunk, (
        f"{made} pieces for {len(data) // chunk} MiB"
    )
    assert client.body_buffer_factory is None, "the client stops reading into the sink's pieces"


def test_memory_sink_assembles_the_body_in_bounded_steps():
    from godot_http.request._sink import MemorySink

    sizes = []

    class Resizable(bytearray):  # what _godot.ByteBuffer offers: len, the buffer protocol, resize
        def resize(self, n):
            sizes.append(n)
            if n < len(self):
                del self[n:]
            else:
                self.extend(bytes(n - len(self)))

    sink = MemorySink(Resizable)
    for i in range(100):
        sink.write(bytes([i]) * 1000)
    steps = 0
    while not sink.assemble(10_000):  # ten pieces per step, the buffer grown by as much
        steps += 1
    assert steps == 9 and sizes == [10_000 * k for k in range(1, 11)]
    body = sink.body()
    assert body is sink.data and len(sizes) == 10
    assert bytes(body) == b"".join(bytes([i]) * 1000 for i in range(100))
