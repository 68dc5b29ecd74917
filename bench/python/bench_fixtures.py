"""Targets of the bridge rows of tools/bench (docs/benchmarks.md): the cheapest calls a Python
class can offer, and Python loops that call the engine the way user code would; and the raw
socket reader of the bulk "ceiling" rows."""

import socket
import time

import _godot
from godot import Node, Node2D, PackedByteArray, PackedFloat32Array, RefCounted, Thread, Vector2, method

_BLOB = bytes(range(256)) * 256  # 64 KiB
_PACKED_BLOB = PackedByteArray(_BLOB)  # the same bytes, held in engine memory


def _noop() -> None:
    pass


class PyBenchTarget(RefCounted):
    """Calls into Python (no-argument, 64 KiB return, 16 MB argument) and loops calling the
    engine from Python. Each loop is written as user code would write it: the attribute is
    looked up on every iteration, nothing is hoisted."""

    @method
    def noop(self) -> None:
        pass

    @method
    def blob(self) -> bytes:
        return _BLOB

    @method
    def packed_blob(self) -> PackedByteArray:
        return _PACKED_BLOB

    @method
    def floats(self, values: PackedFloat32Array) -> int:
        return len(values)

    @method
    def child_count_loop(self, node: Node, count: int) -> int:
        total = 0
        for _ in range(count):
            total += node.get_child_count()
        return total

    @method
    def position_loop(self, node: Node2D, count: int) -> int:
        for _ in range(count):
            _ = node.position
        return count

    @method
    def set_position_loop(self, node: Node2D, count: int) -> int:
        where = Vector2(1.0, 2.0)
        for _ in range(count):
            node.set_position(where)
        return count

    @method
    def python_call_loop(self, count: int) -> int:
        """The floor of any call into Python: CPython calling a no-op Python function."""
        for _ in range(count):
            _noop()
        return count

    @method
    def call_floors(self, count: int) -> list[float]:
        """ns per GIL hand-over pair, per C call of an empty method, per parked-GIL take and park
        (measured by the bridge itself: src/gil.c)."""
        return list(_godot.measure_call_floors(PyBenchTarget.empty, self, count))

    def empty(self) -> None:
        pass

    @method
    def gil_release_loop(self, thread: Thread, count: int) -> int:
        """An engine call that releases and re-takes the GIL (Thread is generated as blocking)."""
        for _ in range(count):
            thread.is_started()
        return count


class PyRawReader(RefCounted):
    """The least a reader can do (bulk "ceiling" rows): one blocking ``recv_into`` per chunk
    into one reused buffer, no HTTP state, no engine, no GDScript loop. What it reaches is what
    the server and the kernel deliver on this machine."""

    @method
    def download(self, port: int, path: str, chunk: int, spin: bool = False) -> float:
        """GET ``path`` from 127.0.0.1:``port`` and read the body; GB/s from the request to the
        last byte (as bench.gd's bulk()), or -1.0 if the body's length was not as announced.
        ``spin``: non-blocking reads, retried at once while the socket is empty, as a GDScript
        loop over a non-blocking client does (bench/reader_shapes.gd)."""
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            buffer = bytearray(chunk)
            view = memoryview(buffer)
            started = time.perf_counter()
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            head = b""
            while b"\r\n\r\n" not in head:
                got = sock.recv(4096)
                if not got:
                    return -1.0
                head += got
            head, _, body_start = head.partition(b"\r\n\r\n")
            length = next(
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            left = length - len(body_start)
            sock.setblocking(not spin)
            while left > 0:
                try:
                    got = sock.recv_into(view, min(left, chunk))
                except BlockingIOError:
                    continue
                if not got:
                    return -1.0
                left -= got
            return length / ((time.perf_counter() - started) * 1e9)
