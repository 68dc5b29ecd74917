"""Targets of the bridge-call rows of tools/bench: the cheapest calls a Python class can offer."""

from godot import RefCounted, method

_BLOB = bytes(range(256)) * 256  # 64 KiB


class PyBenchTarget(RefCounted):
    """A no-argument call and a call returning a 64 KiB PackedByteArray."""

    @method
    def noop(self) -> None:
        pass

    @method
    def blob(self) -> bytes:
        return _BLOB
