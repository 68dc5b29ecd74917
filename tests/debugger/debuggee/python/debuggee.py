"""A class whose method the DAP test stops in (tests/debugger/test_dap.py)."""

from godot import RefCounted, method


class PyDebuggee(RefCounted):
    @method
    def compute(self, a: int) -> int:
        doubled = a * 2
        label = "the answer"
        result = doubled + len(label) - 10  # BREAKPOINT
        return result
