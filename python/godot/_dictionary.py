"""`godot.Dictionary`: the engine's own Dictionary, seen from Python as a mutable mapping.

Python's dict folds keys that compare equal (`1`, `True` and `1.0` are one key), Godot's
Dictionary does not: `{1: "a", true: "b", 1.0: "c"}` has three keys. So a Dictionary coming
from Godot is not copied into a dict: it arrives as a `godot.Dictionary` that wraps the engine
value, and every lookup converts the Python key to a Variant and asks the engine, which keeps
Godot's key identity both ways. Like in GDScript it is a reference: changes made in Python are
seen by everyone holding the same Dictionary (`duplicate()` makes an independent one).

A plain Python dict still converts to a new engine Dictionary (its keys were already folded
by Python). Inside Godot the engine value is a `_godot.Variant`; `godot.Dictionary()` and
`godot.Dictionary(mapping_or_pairs)` make new ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from typing import Any

from . import _spec as vt


def _native() -> Any:
    import _godot  # only inside Godot

    return _godot


class Dictionary(MutableMapping[Any, Any]):
    """Godot's Dictionary, keys kept as Godot keys them (see the module docstring)."""

    __slots__ = ("_value",)
    __variant_type__ = vt.DICTIONARY

    def __init__(self, initial: Mapping[Any, Any] | Iterable[tuple[Any, Any]] | None = None, /, **kwargs: Any) -> None:
        self._value = _native().variant({}, vt.DICTIONARY)
        if initial is not None:
            items = initial.items() if isinstance(initial, Mapping) else initial
            for key, value in items:
                self[key] = value
        for key, value in kwargs.items():
            self[key] = value

    @classmethod
    def _wrap(cls, value: Any) -> Dictionary:
        """The bridge's constructor: `value` is a `_godot.Variant` holding a Dictionary."""
        self = cls.__new__(cls)
        self._value = value
        return self

    def _call(self, name: str, *args: Any) -> Any:
        return self._value.call_method(name, *args)

    # the mapping protocol
    def __getitem__(self, key: Any) -> Any:
        value = self._call("get", key, _MISSING_SENTINEL)
        if value == _MISSING_SENTINEL and not self._call("has", key):
            raise KeyError(key)
        return value

    def __setitem__(self, key: Any, value: Any) -> None:
        if not self._call("set", key, value):
            raise TypeError(f"cannot set {key!r} in this Dictionary (read-only or typed for other types)")

    def __delitem__(self, key: Any) -> None:
        if not self._call("erase", key):
            raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        return bool(self._call("has", key))

    def __len__(self) -> int:
        return int(self._call("size"))

    def __iter__(self) -> Iterator[Any]:
        return iter(self._call("keys"))

    def keys(self) -> list[Any]:  # type: ignore[override]
        return list(self._call("keys"))

    def values(self) -> list[Any]:  # type: ignore[override]
        return list(self._call("values"))

    def items(self) -> list[tuple[Any, Any]]:  # type: ignore[override]
        return list(zip(self._call("keys"), self._call("values")))

    def get(self, key: Any, default: Any = None) -> Any:
        return self._call("get", key, default)

    def clear(self) -> None:
        self._call("clear")

    def copy(self) -> Dictionary:
        """A shallow copy (`duplicate()` in Godot's terms)."""
        return self.duplicate()

    def duplicate(self, deep: bool = False) -> Dictionary:
        copied: Dictionary = self._call("duplicate", deep)  # the bridge wraps it again
        return copied

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Dictionary):
            return bool(self._call("recursive_equal", other, 0))
        if isinstance(other, Mapping):
            return len(self) == len(other) and all(k in other and other[k] == v for k, v in self.items())
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return "Dictionary({" + ", ".join(f"{k!r}: {v!r}" for k, v in self.items()) + "})"


# A value no caller can store: the default of `get` when probing for a missing key.
_MISSING_SENTINEL = "<godot.Dictionary: no such key 7c1f0e2a>"
