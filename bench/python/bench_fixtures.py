"""Targets of the bridge rows of tools/bench (docs/benchmarks.md): the cheapest calls a Python
class can offer, and Python loops that call the engine the way user code would."""

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
