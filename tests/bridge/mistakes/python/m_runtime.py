"""Classes that load fine and fail when they run (tests/bridge/test_mistakes.py)."""

from godot import Node, RefCounted, method


class PyBadInit(RefCounted):
    def __init__(self):
        super().__init__()
        raise LookupError("raised in __init__")


class PyBadReady(Node):
    def _ready(self):
        raise KeyError("raised in _ready")


class PyBadProcess(Node):
    calls = 0

    @method
    @staticmethod
    def process_calls() -> int:
        return PyBadProcess.calls

    def _process(self, delta):
        PyBadProcess.calls += 1
        raise ArithmeticError("raised in _process")


class PyRecursion(RefCounted):
    @method
    def recurse(self, n: int) -> int:
        return self.recurse(n + 1)

    @method
    def recurse_through_engine(self, n: int) -> int:
        return self.call("recurse_through_engine", n + 1)


class PyFine(RefCounted):
    @method
    def add(self, a: int, b: int) -> int:
        return a + b
