"""Python classes the bridge's GDScript suites (res://suites/bridge/) exercise.

Each class shows one thing a user writes: typed methods with defaults, static and const
methods, properties with hints, enums, signals, engine virtuals, subclassing, and every
kind of callback raising on purpose (the error-boundary tests call those).
"""

import enum
import threading
from typing import Annotated

import godot
from godot import (
    EngineEnum,
    IntEnum,
    Node,
    Property,
    RefCounted,
    Resource,
    Signal,
    StreamPeerExtension,
    method,
)


class PyCounter(RefCounted):
    """Counts things.

    A small class used by the bridge tests: typed methods, defaults, a property, an enum
    and a signal."""

    class Step(IntEnum):
        ONE = 1
        TEN = 10

    counted = Signal(total=int)
    step = Property(int, default=1, hint=godot.hint_range(1, 100))
    label = Property(str, default="counter")

    def __init__(self):
        self.total = 0

    @method
    def add(self, amount: int = 1, times: int = 1) -> int:
        """Adds `amount` `times` times and returns the total."""
        self.total += amount * times
        self.counted.emit(self.total)
        return self.total

    @method(const=True)
    def get_total(self) -> int:
        return self.total

    @method
    def add_step(self, step: "PyCounter.Step") -> int:
        self.total += int(step)
        return self.total

    @method
    @staticmethod
    def twice(value: float) -> float:
        return value * 2.0

    @method
    def method_of(self, how: EngineEnum("HTTPClient.Method") = 0) -> EngineEnum("Error"):
        return 0 if how == 0 else 31

    @method
    def method_typed(self, how: godot.HTTPClient.Method = godot.HTTPClient.Method.METHOD_GET) -> godot.Error:
        """The engine enums as classes (godot._enums): the same ClassDB signature as method_of."""
        return godot.Error.OK if how == godot.HTTPClient.Method.METHOD_GET else godot.Error.ERR_INVALID_PARAMETER

    @method
    def method_annotated(self, how: Annotated[int, godot.HTTPClient.Method] = 0) -> Annotated[int, godot.Error]:
        """Ints for Python, engine enums for Godot: the same ClassDB signature as method_of."""
        return 0 if how == 0 else 31

    @method
    def bitfield_annotated(self, mask: Annotated[int, godot.KeyModifierMask]) -> int:
        return mask

    @method
    def engine_enum_facts(self) -> str:
        """What the engine enum classes are on the Python side."""
        return " ".join(
            [
                godot.HTTPClient.Method(2).name,
                str(godot.Error.ERR_INVALID_PARAMETER.value),
                godot.Node2D.ProcessMode.__godot_enum__,  # inherited from Node
                str(issubclass(godot.KeyModifierMask, enum.IntFlag)),
                str(godot.HTTPClient.Method is godot.HTTPClient.Method),
            ]
        )

    @method
    def noop(self) -> None:
        pass

    @method
    def echo(self, value) -> object:
        """Returns its argument unchanged (any Variant)."""
        return value

    @method
    def echo_bytes(self, data: bytes) -> bytes:
        return data

    @method
    def make_bytes(self, size: int) -> bytes:
        return bytes(size)

    @method
    def python_type_of(self, value) -> str:
        return type(value).__name__

    def _to_string(self):
        return f"<PyCounter total={self.total}>"


class PyLoudCounter(PyCounter):
    """A Python class deriving from another Python class."""

    @method
    def add(self, amount: int = 1, times: int = 1) -> int:
        return super().add(amount * 100, times)

    @method
    def shout(self) -> str:
        return self.label.upper()


class PyTicker(Node):
    """A Node written in Python: engine virtuals by their Godot names."""

    ticked = Signal()
    ready_calls = Property(int, default=0)

    def __init__(self):
        self.frames = 0

    def _ready(self):
        self.ready_calls += 1

    def _process(self, delta):
        self.frames += 1
        if self.frames == 3:
            self.ticked.emit()

    @method
    def get_frames(self) -> int:
        return self.frames

    @method
    def get_frames_callable(self) -> godot.Callable:
        """A Python bound method of this node, as a Godot Callable."""
        return self.get_frames

    @method
    def child_names(self) -> godot.PackedStringArray:
        return godot.PackedStringArray(str(child.name) for child in self.get_children())


class PyMemoryPeer(StreamPeerExtension):
    """A StreamPeer whose bytes live in Python: extension virtuals with pointer arguments."""

    def __init__(self):
        self.buffer = bytearray()

    def _put_partial_data(self, data_ptr, nbytes, r_sent_ptr):
        import ctypes

        self.buffer += ctypes.string_at(data_ptr, nbytes)
        ctypes.c_int32.from_address(r_sent_ptr).value = nbytes
        return 0

    def _get_partial_data(self, r_buffer_ptr, nbytes, r_received_ptr):
        import ctypes

        chunk = bytes(self.buffer[:nbytes])
        del self.buffer[:nbytes]
        ctypes.memmove(r_buffer_ptr, chunk, len(chunk))
        ctypes.c_int32.from_address(r_received_ptr).value = len(chunk)
        return 0

    def _get_data(self, r_buffer_ptr, nbytes, r_received_ptr):
        if len(self.buffer) < nbytes:
            return 1  # FAILED
        return self._get_partial_data(r_buffer_ptr, nbytes, r_received_ptr)

    def _put_data(self, data_ptr, nbytes, r_sent_ptr):
        return self._put_partial_data(data_ptr, nbytes, r_sent_ptr)

    def _get_available_bytes(self):
        return len(self.buffer)


class PyNote(Resource):
    """A Resource written in Python."""

    text = Property(str, default="", hint=godot.hint_multiline())


class PyEngineUser(RefCounted):
    """Calls into the engine from Python."""

    @method
    def os_name(self) -> str:
        return godot.OS.get_name()

    @method
    def engine_major(self) -> int:
        return godot.Engine.get_version_info()["major"]

    @method
    def make_node_named(self, name: str) -> Node:
        node = godot.Node()
        node.name = name
        return node

    @method
    def child_count(self, node: Node) -> int:
        return node.get_child_count()

    @method
    def use_freed(self, node: Node) -> str:
        node.free()
        try:
            node.get_name()
        except ReferenceError as exc:
            return "ReferenceError: " + str(exc)
        return "no error"

    @method
    def say(self, text: str) -> None:
        godot.print("py-says: ", text)
        godot.push_warning("py-warns: " + text)

    @method
    def http_status_body(self) -> int:
        return godot.HTTPClient.STATUS_BODY

    @method
    def connect_python_callable(self, counter: PyCounter) -> int:
        seen = []
        counter.connect("counted", lambda total: seen.append(total))
        counter.add(5)
        return seen[-1] if seen else -1

    @method
    def thread_id(self) -> int:
        return threading.get_ident()


class PyBackgroundPoster(RefCounted):
    """A Python thread (threading.Thread, not a Godot Thread) that posts an engine Semaphore
    GDScript waits on: the thread needs the GIL while the main thread waits in engine code."""

    def __init__(self) -> None:
        self.thread: threading.Thread | None = None
        self.posted = 0

    @method
    def start_posting(self, semaphore: godot.Semaphore, times: int) -> None:
        def post() -> None:
            for _ in range(times):
                self.posted += 1
                semaphore.post()

        self.thread = threading.Thread(target=post)
        self.thread.start()

    @method
    def touch(self) -> int:
        """A call into Python, nothing more."""
        return self.posted

    @method
    def join(self) -> int:
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        return self.posted


def _in_editor() -> bool:
    """The editor probes every class (instances, property defaults) for its help pages; the
    raising fixtures stay quiet there so that the editor-cleanliness test sees no error."""
    return godot.Engine.is_editor_hint()


class PyRaiser(RefCounted):
    """Every kind of callback raising, for the error-boundary tests."""

    value = Property(int, default=0)

    @method
    def raise_in_method(self) -> int:
        raise ValueError("raised in a method")

    @method
    def get_broken(self) -> int:
        if _in_editor():
            return 0
        raise KeyError("raised in a getter")

    @method
    def set_broken(self, value: int) -> None:
        if _in_editor():
            return
        raise RuntimeError("raised in a setter")

    broken = Property(int, setter="set_broken", getter="get_broken")

    @method
    def wrong_return(self) -> int:
        return "not an int"

    def _to_string(self):
        if _in_editor():
            return "<PyRaiser>"
        raise ZeroDivisionError("raised in _to_string")


class PyRaisingNode(Node):
    """A virtual that raises, every frame."""

    def _process(self, delta):
        if not _in_editor():
            raise ArithmeticError("raised in _process")


class PyRaisingInit(RefCounted):
    """A constructor that raises."""

    def __init__(self):
        if not _in_editor():
            raise LookupError("raised in __init__")


class PyRaisingDel(RefCounted):
    """A destructor that raises."""

    def __del__(self):
        if not _in_editor():
            raise MemoryError("raised in __del__")


class PyProbe(RefCounted):
    """Debug views of the bridge for the lifetime tests."""

    @method
    @staticmethod
    def live_instances() -> int:
        """Python-class instances whose Godot object is alive."""
        import _godot

        return _godot.live_instances()

    @method
    @staticmethod
    def python_objects_of(class_name: str) -> int:
        """Python objects of that Python class still alive (after a collection)."""
        import gc

        gc.collect()
        return sum(1 for o in gc.get_objects() if type(o).__name__ == class_name)

    @method
    @staticmethod
    def keep_in_python(count: int) -> int:
        """Creates `count` PyCounters held only by Python; returns their total."""
        PyProbe.kept = [PyCounter() for _ in range(count)]
        for counter in PyProbe.kept:
            counter.add(1)
        return sum(counter.get_total() for counter in PyProbe.kept)

    @method
    @staticmethod
    def keep_this(counter: PyCounter) -> None:
        """Keeps a counter GDScript made (Python's own reference)."""
        PyProbe.kept = [counter]

    @method
    @staticmethod
    def kept_total() -> int:
        return sum(counter.get_total() for counter in getattr(PyProbe, "kept", []))

    @method
    @staticmethod
    def kept_alive() -> int:
        return sum(1 for counter in getattr(PyProbe, "kept", []) if counter.is_alive())

    @method
    @staticmethod
    def drop_kept() -> None:
        PyProbe.kept = []

    @method
    @staticmethod
    def held_by_python() -> PyCounter:
        """Stores a new counter in Python and hands it to GDScript too."""
        PyProbe.held = PyCounter()
        PyProbe.held.add(41)
        return PyProbe.held

    @method
    def push_an_error(self, text: str) -> None:
        godot.push_error("py-error: " + text)
