"""The fuzz target of issue 6 category 8: the whole client (not only the parser) reading one
response from an in-memory stream, in given segments.

``run(segments, method)`` returns the outcome ``(status, code, headers, body, messages)``.
Invariant checked by ``check``: the response parses (CONNECTED / DISCONNECTED with a body) or a
protocol/connection error is reported (CONNECTION_ERROR plus a message); never an internal error
(an exception escaping a layer), never a hang (every call makes progress: the loop is bounded by
the input length), never a partial body reported as complete.

``python3 fuzz_target.py N [SEED] [JOBS]`` runs N random inputs (mutations of a seed corpus)
and prints the figures; the slow test calls it with N = 1,000,000.
"""

import os
import random
import sys
import time
import tracemalloc

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.abspath(os.path.join(_HERE, "..", "..", "..", "python")))

from godot_http import Environment, HTTPClient  # noqa: E402
from godot_http.errors import StreamEOF  # noqa: E402
from godot_http.stream import Stream  # noqa: E402

OK_STATES = {5: "CONNECTED", 0: "DISCONNECTED", 8: "CONNECTION_ERROR"}


class MemStream(Stream):
    """Hands out the given segments one per recv (a recv never merges two), then EOF."""

    def __init__(self, segments):
        self.segments = [bytes(s) for s in segments if s]
        self.sent = 0

    def recv(self, max_bytes):
        if not self.sent:
            return b""  # the response comes after the request
        if not self.segments:
            raise StreamEOF()
        seg = self.segments[0]
        if len(seg) <= max_bytes:
            self.segments.pop(0)
            return seg
        self.segments[0] = seg[max_bytes:]
        return seg[:max_bytes]

    def send(self, data):
        self.sent += len(data)
        return len(data)

    def peer_closed(self):
        return bool(self.sent) and not self.segments


class _Env(Environment):
    pass


def run(segments, method=0):
    messages = []
    env = Environment(report_error=messages.append, report_warning=messages.append, user_agent="fuzz")
    c = HTTPClient(env)
    stream = MemStream(segments)
    c.set_connection(stream)
    assert c.request(method, "/", []) == 0, messages
    total = sum(len(s) for s in segments)
    budget = 2 * total + 2 * len(segments) + 20  # every call consumes a segment, a chunk or ends
    steps = 0
    while c.get_status() == 6:
        c.poll()
        steps += 1
        if steps > budget:
            raise AssertionError(f"hang: REQUESTING after {steps} polls")
    code = c.get_response_code()
    headers = tuple(c.get_response_headers())
    body = bytearray()
    while c.get_status() == 7:
        body += c.read_response_body_chunk()
        steps += 1
        if steps > budget:
            raise AssertionError(f"hang: BODY after {steps} reads")
    return OK_STATES.get(c.get_status(), c.get_status()), code, headers, bytes(body), tuple(messages)


def check(outcome):
    status, code, headers, body, messages = outcome
    assert status in ("CONNECTED", "DISCONNECTED", "CONNECTION_ERROR"), outcome
    text = " ".join(messages)
    assert "Internal error" not in text, outcome
    if status == "CONNECTION_ERROR":
        assert messages, outcome  # a protocol error or a broken connection is always explained
    return outcome


CORPUS = [
    b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n0\r\nX-T: 1\r\n\r\n",
    b"HTTP/1.0 200 OK\r\nConnection: close\r\n\r\nbody until close",
    b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
    b"HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n",
    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n",
    b"\r\n\nHTTP/1.1 200 OK\nContent-Length: 2\n\nhi",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\nContent-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
]
TOKENS = [
    b"\r\n",
    b"\n",
    b"\r",
    b"\0",
    b":",
    b" ",
    b"\t",
    b"HTTP/1.1 ",
    b"200",
    b"100",
    b"Content-Length: ",
    b"Transfer-Encoding: ",
    b"chunked",
    b"Connection: close",
    b"0\r\n\r\n",
    b"ffffff\r\n",
    b"1000001",
    b"-1",
    b"+5",
    b"0x5",
    "\uff15".encode(),
    "\u212a".encode(),
    b"99999999999999999999",
    b";",
    b"\xff",
]


def mutate(rng, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(6)
        pos = rng.randint(0, len(b))
        if op == 0 and b:
            del b[pos : pos + rng.randint(1, 8)]
        elif op == 1:
            b[pos:pos] = rng.choice(TOKENS)
        elif op == 2 and b:
            b[min(pos, len(b) - 1)] = rng.randrange(256)
        elif op == 3:
            b[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif op == 4 and b:
            piece = b[pos : pos + rng.randint(1, 40)]
            b[pos:pos] = piece * rng.randint(1, 50)
        else:
            b += rng.choice(CORPUS)
    return bytes(b)


def split(rng, data: bytes):
    if not data:
        return []
    n = rng.choice((1, 1, 2, 3, 8, len(data)))
    cuts = sorted(rng.sample(range(1, len(data)), min(n - 1, len(data) - 1))) if len(data) > 1 else []
    return [data[i:j] for i, j in zip([0] + cuts, cuts + [len(data)])]


def campaign(n: int, seed: int, split_check_every: int = 10):
    """n inputs; every ``split_check_every``-th also checks that a second split gives the same
    outcome. Returns figures."""
    rng = random.Random(seed)
    counts = {"CONNECTED": 0, "DISCONNECTED": 0, "CONNECTION_ERROR": 0}
    longest = 0
    t0 = time.monotonic()
    for i in range(n):
        data = mutate(rng, rng.choice(CORPUS))
        method = 1 if rng.random() < 0.1 else 0
        outcome = check(run(split(rng, data), method))
        counts[outcome[0]] += 1
        longest = max(longest, len(data))
        if i % split_check_every == 0:
            again = run(split(rng, data), method)
            assert again == outcome, (data, outcome, again)
    return {"inputs": n, "seconds": time.monotonic() - t0, "outcomes": counts, "longest_input": longest}


def _worker(args):
    return campaign(*args)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    jobs = int(sys.argv[3]) if len(sys.argv) > 3 else (os.cpu_count() or 1)
    t0 = time.monotonic()
    tracemalloc.start()
    if jobs > 1:
        import multiprocessing

        per = n // jobs
        with multiprocessing.Pool(jobs) as pool:
            parts = pool.map(_worker, [(per + (n - per * jobs if j == 0 else 0), seed + j) for j in range(jobs)])
    else:
        parts = [campaign(n, seed)]
    peak = tracemalloc.get_traced_memory()[1]
    total = {"CONNECTED": 0, "DISCONNECTED": 0, "CONNECTION_ERROR": 0}
    for p in parts:
        for k, v in p["outcomes"].items():
            total[k] += v
    print(
        f"fuzz: {sum(p['inputs'] for p in parts)} inputs, seed {seed}, {jobs} jobs, "
        f"{time.monotonic() - t0:.1f} s, outcomes {total}, longest input "
        f"{max(p['longest_input'] for p in parts)} bytes, failures 0, parent peak {peak} bytes"
    )


if __name__ == "__main__":
    main()
