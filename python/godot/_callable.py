"""`godot.Callable`: Godot's Callable seen from Python, and what a Python callable becomes.

A Python callable (function, lambda, bound method, object with `__call__`) passed to Godot
becomes a custom Callable that keeps Python's meaning:

* `get_argument_count()` is the number of positional arguments it takes (`argument_count`);
* a method bound to a Godot object names that object (`get_object()`), so the Callable is
  invalid once the object is freed and its signal connections go with it;
* equality and hash are Python's: `obj.method` is a new bound-method object at each access,
  but two of them compare equal, so `disconnect(obj.method)` and `is_connected(obj.method)`
  find the connection; a callable class keeps its own `__eq__`/`__hash__`.

Coming back to Python it is that Python callable again. Any other Callable (a GDScript
lambda, `Callable(node, "queue_free")`, one made with `bind()`) arrives as a `godot.Callable`
wrapping the engine value: call it, `bind()`/`unbind()` it, compare and hash it as Godot does.
`godot.Callable(func)` and `godot.Callable(obj, "method")` make one in Python.
"""

from __future__ import annotations

import inspect
from typing import Any, cast

from . import _spec as vt


def argument_count(func: Any) -> int | None:
    """Positional arguments `func` takes (after binding), or None with *args / unknown."""
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):
        return None
    count = 0
    for parameter in signature.parameters.values():
        if parameter.kind == inspect.Parameter.VAR_POSITIONAL:
            return None
        if parameter.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD):
            count += 1
    return count


def _native() -> Any:
    import _godot  # only inside Godot

    return _godot


class Callable:
    """An engine Callable (see the module docstring)."""

    __slots__ = ("_value",)
    __variant_type__ = vt.CALLABLE

    def __init__(self, target: Any, method: str | None = None) -> None:
        native = _native()
        if method is None:
            if not callable(target):
                raise TypeError(f"Callable(func) needs a callable, not {type(target).__name__}")
            self._value = native.variant(target, vt.CALLABLE)
        else:
            self._value = native.construct(vt.CALLABLE, target, native.variant(method, vt.STRING_NAME))

    @classmethod
    def _wrap(cls, value: Any) -> Callable:
        self = cls.__new__(cls)
        self._value = value
        return self

    def _call(self, name: str, *args: Any) -> Any:
        return self._value.call_method(name, *args)

    def __call__(self, *args: Any) -> Any:
        return self._value(*args)

    def call(self, *args: Any) -> Any:
        return self._value(*args)

    def callv(self, arguments: list[Any]) -> Any:
        return self._call("callv", list(arguments))

    def call_deferred(self, *args: Any) -> None:
        self._call("call_deferred", *args)

    def bind(self, *args: Any) -> Callable:
        return cast(Callable, self._call("bind", *args))

    def bindv(self, arguments: list[Any]) -> Callable:
        return cast(Callable, self._call("bindv", list(arguments)))

    def unbind(self, count: int) -> Callable:
        return cast(Callable, self._call("unbind", count))

    def get_argument_count(self) -> int:
        return int(self._call("get_argument_count"))

    def get_bound_arguments(self) -> list[Any]:
        return list(self._call("get_bound_arguments"))

    def get_object(self) -> Any:
        return self._call("get_object")

    def get_method(self) -> str:
        return str(self._call("get_method"))

    def is_valid(self) -> bool:
        return bool(self._call("is_valid"))

    def is_custom(self) -> bool:
        return bool(self._call("is_custom"))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Callable):
            return bool(self._value == other._value)
        if callable(other):  # a Python callable compares as the Callable it becomes
            return bool(self._value == _native().variant(other, vt.CALLABLE))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._value)

    def __repr__(self) -> str:
        return f"Callable({self._value!r})"
