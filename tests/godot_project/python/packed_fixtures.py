"""Python side of res://suites/bridge/test_packed_buffers.gd: Packed*Array values as shared,
buffer-exporting sequences (src/packed.c), and Python buffers returned as packed arrays."""

import array
import ctypes
import errno
import select
import socket
import struct
import threading
import time
from typing import Any

import _godot
import godot
from godot import (
    PackedByteArray,
    PackedColorArray,
    PackedFloat32Array,
    PackedInt32Array,
    PackedVector2Array,
    RefCounted,
    method,
)


class _PyBuffer(ctypes.Structure):
    _fields_ = [
        ("buf", ctypes.c_void_p),
        ("obj", ctypes.py_object),
        ("len", ctypes.c_ssize_t),
        ("itemsize", ctypes.c_ssize_t),
        ("readonly", ctypes.c_int),
        ("ndim", ctypes.c_int),
        ("format", ctypes.c_char_p),
        ("shape", ctypes.c_void_p),
        ("strides", ctypes.c_void_p),
        ("suboffsets", ctypes.c_void_p),
        ("internal", ctypes.c_void_p),
    ]


def buffer_address(obj) -> int:
    """The address of obj's exported memory (PyObject_GetBuffer, read-only request)."""
    view = _PyBuffer()
    get = ctypes.pythonapi.PyObject_GetBuffer
    get.argtypes = [ctypes.py_object, ctypes.POINTER(_PyBuffer), ctypes.c_int]
    if get(obj, ctypes.byref(view), 0) != 0:
        raise BufferError("no buffer")
    address = view.buf
    release = ctypes.pythonapi.PyBuffer_Release
    release.argtypes = [ctypes.POINTER(_PyBuffer)]
    release(ctypes.byref(view))
    return address


class PyPackedProbe(RefCounted):
    """Keeps what it was given, so the suite can check what is shared and what was copied."""

    def __init__(self):
        self.kept = None
        self.view = None
        self.kept_bytes = None

    @method
    def describe(self, values: PackedFloat32Array) -> str:
        view = memoryview(values)
        return (
            f"{type(values).__name__},{len(values)},{view.format},{view.readonly},{view.nbytes},"
            f"{values.shared},{values[1]},{values[-1]},{values[1:3]},{values == [0.5, 1.5, 2.5, 3.5]}"
        )

    @method
    def keep(self, values: PackedFloat32Array) -> int:
        self.kept = values
        return buffer_address(values)

    @method
    def address_of(self, values: PackedFloat32Array) -> int:
        return buffer_address(values)

    @method
    def kept_first(self) -> float:
        return self.kept[0]

    @method
    def refuse_writes_to_shared(self, values: PackedFloat32Array) -> str:
        seen = []
        try:
            memoryview(values)[0] = 1.0
            seen.append("wrote")
        except TypeError:
            seen.append("read-only")
        try:
            ctypes.c_char.from_buffer(values)  # asks for a writable buffer
            seen.append("writable")
        except (BufferError, TypeError):
            seen.append("refused")
        view = memoryview(values)
        try:
            values[0] = 9.0  # copy-on-write, but a view of the shared data is still exported
            seen.append("assigned")
        except BufferError:
            seen.append("BufferError")
        view.release()
        values[0] = 9.0  # now the write copies first, as a GDScript write to a shared array does
        seen.append(f"{values[0]},{values.shared}")
        return ",".join(seen)

    @method
    def write_a_copy(self, values: PackedFloat32Array) -> PackedFloat32Array:
        mine = values.copy()
        view = memoryview(mine)
        view[0] = 42.0
        mine[1] = 43.0
        return mine

    @method
    def return_while_viewed(self) -> PackedFloat32Array:
        mine = PackedFloat32Array([1.0, 2.0])
        self.view = memoryview(mine)  # still writable after the return: the engine gets a copy
        return mine

    @method
    def write_through_kept_view(self) -> None:
        self.view[0] = -1.0

    @method
    def return_kept(self) -> PackedFloat32Array:
        self.kept = PackedFloat32Array([1.0, 2.0])
        return self.kept  # the engine shares it: one reference more, no copy

    @method
    def return_kept_in_array(self) -> list:
        return [self.kept]  # an element without a declared type takes the same path

    @method
    def write_kept(self) -> str:
        before = self.kept.shared
        self.kept[0] = -1.0  # copies first: the engine's values stay as returned
        return f"{before},{self.kept[0]},{self.kept.shared}"

    @method
    def vectors(self, points: PackedVector2Array) -> str:
        view = memoryview(points)
        return f"{view.shape},{view.format},{points[1]},{list(points)[0]}"

    @method
    def colors(self, colors: PackedColorArray) -> str:
        return f"{memoryview(colors).shape},{colors[0]}"

    @method
    def from_array_module(self) -> PackedFloat32Array:
        return array.array("f", [0.25, 0.5, 0.75])

    @method
    def from_memoryview(self) -> PackedFloat32Array:
        return memoryview(array.array("f", [1.0, 2.0]))

    @method
    def ints_from_list(self) -> PackedInt32Array:
        return PackedInt32Array([1, 2, 3])

    @method
    def bytes_like(self, kind: str) -> PackedByteArray:
        data = b"\x01\x02\x03"
        return {
            "bytes": data,
            "bytearray": bytearray(data),
            "memoryview": memoryview(data),
            "packed": PackedByteArray(data),
            "array": array.array("B", data),
        }[kind]

    @method
    def bytes_arrive_as(self, data: PackedByteArray) -> str:
        return type(data).__name__

    @method
    def declared_bytes_arrive_as(self, data: bytes) -> str:
        return type(data).__name__

    @method
    def untyped_bytes_arrive_as(self, data) -> str:  # noqa: ANN001 - any Variant on purpose
        return type(data).__name__

    @method
    def keep_bytes(self, data: PackedByteArray) -> int:
        self.kept_bytes = data
        return buffer_address(data)

    @method
    def bytes_address(self, data: PackedByteArray) -> int:
        return buffer_address(data)

    @method
    def describe_bytes(self, data: PackedByteArray) -> str:
        view = memoryview(data)
        items = f"{len(data)},{data[0]},{data[-1]},{list(data[1:3])},{bytes(data)!r}"
        return f"{items},{view.format},{view.readonly},{data.shared}"

    @method
    def wrong_items(self) -> str:
        try:
            PackedInt32Array(["x"])
        except TypeError:
            return "TypeError"
        return "no error"

    @method
    def python_type(self) -> str:
        return f"{godot.PackedFloat32Array.__mro__[1].__name__}"


def _tcp_pair() -> tuple[socket.socket, socket.socket]:
    """A connected TCP pair on loopback (client, server side), both non-blocking."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        client = socket.create_connection(listener.getsockname())
        server, _ = listener.accept()
    client.setblocking(False)
    return client, server


CHUNK_MAX = 4096  # the read size PyRecvProbe.chunk() allows (a client's read_chunk_size)
TCP_INQ = 36  # linux/tcp.h (Python's socket module has no name for it)


def _outcome(receiver: Any) -> str:
    return str(errno.errorcode.get(receiver.outcome, receiver.outcome))


class PyRecvProbe(RefCounted):
    """_godot.BodyReceiver over real loopback sockets (src/receive.c)."""

    def __init__(self) -> None:
        super().__init__()
        self.pair: tuple[socket.socket, socket.socket] | None = None
        self.receiver: Any = None
        self.held: list[Any] = []
        self.addresses: list[int] = []

    @method
    def cases(self) -> str:
        out = []
        receiver = _godot.BodyReceiver()
        try:
            receiver.receive()
            out.append("no error")
        except RuntimeError:
            out.append("not started")
        client, server = _tcp_pair()
        with client, server:
            fd = client.fileno()
            receiver.start(fd, -1, 16)  # until the peer closes
            out.append(f"empty {receiver.receive()!r} {receiver.outcome} {receiver.peer_closed()}")
            server.sendall(b"0123456789")
            _wait_readable(client)
            got = receiver.receive()
            out.append(f"until-close {len(got)} {got.tobytes()!r} {receiver.outcome} {receiver.left}")
            server.sendall(b"abcdefgh")
            _wait_readable(client)
            receiver.chunk_size = 4
            out.append(f"chunk-size {receiver.receive().tobytes()!r} {receiver.outcome}")
            out.append(f"left {client.recv(16)!r}")
            receiver.start(fd, 5, 16)  # a Content-Length body of 5 bytes
            server.sendall(b"hello world")
            _wait_readable(client)
            got = receiver.receive()
            out.append(f"length {got.tobytes()!r} {receiver.outcome} {receiver.left} {receiver.receive()!r}")
            out.append(f"after {client.recv(16)!r} stop {receiver.stop()}")
            receiver.start(fd, 100, 16)
            server.sendall(b"xyz")
            server.shutdown(socket.SHUT_WR)
            _wait_readable(client, select.POLLRDHUP)
            out.append(f"fin-behind-data {receiver.peer_closed()}")
            got = receiver.receive()
            out.append(f"closed {got.tobytes()!r} {receiver.outcome} {receiver.left} {receiver.peer_closed()}")
            out.append(f"again {receiver.receive()!r} {receiver.outcome}")
        client, server = _tcp_pair()
        with client:
            server.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            server.close()  # a reset
            _wait_readable(client, select.POLLERR | select.POLLHUP)
            receiver.start(client.fileno(), -1, 8)
            out.append(f"reset {receiver.receive()!r} {_outcome(receiver)}")
        closed = socket.socket()
        fd = closed.fileno()
        closed.close()
        receiver.start(fd, -1, 8)
        out.append(f"closed-descriptor {receiver.receive()!r} {_outcome(receiver)} {receiver.peer_closed()}")
        for args in ((-1, 0, 8), (0, -2, 8), (0, 0, 0)):
            try:
                receiver.start(*args)
                out.append("no error")
            except ValueError:
                out.append("ValueError")
        try:
            receiver.chunk_size = 0
            out.append("no error")
        except ValueError:
            out.append("ValueError")
        receiver.clear()
        return "|".join(out)

    @method
    def spinning_cases(self) -> str:
        """When a read waits for bytes (src/receive.c, "A spinning caller"): the outcome of each
        case, and that a spinning reader still gets every byte, in order."""
        out = []
        receiver, other = _godot.BodyReceiver(), _godot.BodyReceiver()
        client, server = _tcp_pair()
        with client, server:
            receiver.start(client.fileno(), -1, 16)
            other.start(client.fileno(), -1, 16)
            # An empty read right after an empty read waits (SPIN_WAIT_NS: 100 us) and finds
            # nothing. A few tries: a preempted caller is more than SPIN_GAP_NS late and spins on.
            for _ in range(20):
                receiver.receive()
                started = time.perf_counter_ns()
                got = receiver.receive()
                waited = time.perf_counter_ns() - started
                if receiver.spin_waits:
                    break
            out.append(f"spinning {receiver.spin_waits} {got!r} {waited >= 100_000}")
            time.sleep(0.001)  # each case starts after a pause: its first read never waits
            before = receiver.spin_waits
            receiver.receive()
            other.receive()  # another client's read in between
            receiver.receive()
            out.append(f"other-between {receiver.spin_waits - before} {other.spin_waits}")
            time.sleep(0.001)
            receiver.receive()
            time.sleep(0.001)  # the caller did something else
            receiver.receive()
            out.append(f"gap {receiver.spin_waits - before}")
            # A sender on another thread while the reader spins: nothing lost or reordered.
            payload = bytes(range(256)) * 512  # 128 KiB
            receiver.start(client.fileno(), len(payload), 4096)
            sender = threading.Thread(target=_send_slowly, args=(server, payload))
            sender.start()
            received = bytearray()
            deadline = time.monotonic() + 10
            while receiver.outcome == 0 and time.monotonic() < deadline:
                got = receiver.receive()
                received += got.tobytes() if len(got) else b""
            sender.join()
            lowat = client.getsockopt(socket.SOL_SOCKET, socket.SO_RCVLOWAT)  # restored after each wait
            out.append(f"stream {received == payload} {receiver.outcome} {receiver.spin_waits > before} {lowat}")
        receiver.clear()
        other.clear()
        return "|".join(out)

    @method
    def left_cases(self) -> str:
        """What a read leaves in the socket (src/receive.c, "What is left"): asked for after the
        body's first full read; peer_closed() trusts it only while it counts bytes, not a FIN."""
        out = []
        receiver = _godot.BodyReceiver()
        client, server = _tcp_pair()
        with client, server:
            receiver.start(client.fileno(), -1, 8)
            server.sendall(b"0123456789abcdefghij")
            _wait_readable(client)
            _wait_for_bytes(client, 20)
            first = receiver.receive().tobytes()
            out.append(f"first {first!r} {receiver.left_in_socket} {client.getsockopt(socket.IPPROTO_TCP, TCP_INQ)}")
            second = receiver.receive().tobytes()
            out.append(f"second {second!r} {receiver.left_in_socket} {receiver.peer_closed()}")
            server.shutdown(socket.SHUT_WR)
            _wait_readable(client, select.POLLRDHUP)
            out.append(f"fin {receiver.peer_closed()}")
            got = receiver.receive()
            out.append(f"last {got.tobytes()!r} {receiver.outcome} {receiver.peer_closed()}")
            left = receiver.stop()
            out.append(f"stop {left} {receiver.left_in_socket} {client.getsockopt(socket.IPPROTO_TCP, TCP_INQ)}")
        client, server = _tcp_pair()
        with client, server:
            receiver.start(client.fileno(), -1, 4)
            server.sendall(b"012345678")
            _wait_for_bytes(client, 9)
            receiver.receive()
            got = receiver.receive()
            out.append(f"one-left {got.tobytes()!r} {receiver.left_in_socket}")
            server.shutdown(socket.SHUT_WR)
            _wait_readable(client, select.POLLRDHUP)
            # One byte and the FIN: the kernel's count says 2, and the byte is there.
            out.append(f"byte-and-fin {receiver.peer_closed()}")
            got = receiver.receive()
            out.append(f"end {got.tobytes()!r} {receiver.outcome} {receiver.peer_closed()}")
        receiver.clear()
        return "|".join(out)

    @method
    def chunk(self, byte: int, size: int, hold: bool = False) -> PackedByteArray:
        """``size`` bytes of ``byte`` (at most CHUNK_MAX) read by one receiver, returned as the
        PackedByteArray they become. ``hold``: Python keeps the buffer object too (so the
        receiver cannot reuse the object, only its array)."""
        if self.pair is None:
            self.pair = _tcp_pair()
            self.receiver = _godot.BodyReceiver()
            self.receiver.start(self.pair[0].fileno(), -1, CHUNK_MAX)
        client, server = self.pair
        server.sendall(bytes([byte]) * size)
        _wait_for_bytes(client, size)
        buf = self.receiver.receive()
        if len(buf) != size:
            return PackedByteArray(b"received %d of %d" % (len(buf), size))
        self.addresses.append(buffer_address(buf))
        if hold:
            self.held.append(buf)
        return buf

    @method
    def same_memory_as_before(self) -> bool:
        return len(self.addresses) >= 2 and self.addresses[-1] == self.addresses[-2]

    @method
    def same_memory_as_first(self) -> bool:
        return len(self.addresses) >= 3 and self.addresses[-1] == self.addresses[0]

    @method
    def close(self) -> None:
        if self.pair is not None:
            for sock in self.pair:
                sock.close()
            self.pair = None
            self.receiver.clear()
        self.held.clear()


def _send_slowly(sock: socket.socket, payload: bytes) -> None:
    """``payload`` in 1 KiB pieces, 0.2 ms apart: a reader that keeps up finds the socket empty."""
    for at in range(0, len(payload), 1024):
        sock.sendall(payload[at : at + 1024])
        time.sleep(0.0002)


def _wait_for_bytes(sock: socket.socket, count: int) -> None:
    """Until ``count`` bytes are in the (non-blocking) socket, at most 5 s, without reading them."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            if len(sock.recv(count, socket.MSG_PEEK)) >= count:
                return
        except BlockingIOError:
            pass
        time.sleep(0.001)


def _wait_readable(sock: socket.socket, events: int = select.POLLIN) -> None:
    """Until the socket reports ``events`` (data; the peer's FIN with POLLRDHUP; a reset with
    POLLERR), at most 5 s: loopback delivery may be deferred under load."""
    poller = select.poll()
    poller.register(sock, events)
    poller.poll(5000)
