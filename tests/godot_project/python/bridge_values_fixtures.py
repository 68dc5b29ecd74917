"""Python classes the bridge's value suites call: Dictionary key identity, return values
converted to the declared type, Callables made from Python callables, reference counts."""

from __future__ import annotations

import godot
from godot import Dictionary, RefCounted, method


class PyDictUser(RefCounted):
    """Reads and writes Godot Dictionaries from Python."""

    @method
    def key_reprs(self, d: dict) -> godot.PackedStringArray:
        """Each key as Python sees it: `type:repr`, in the Dictionary's order."""
        return godot.PackedStringArray(f"{type(k).__name__}:{k!r}" for k in d)

    @method
    def lookup(self, d: dict, key) -> object:
        return d[key]

    @method
    def count(self, d: dict) -> int:
        return len(d)

    @method
    def add_keys(self, d: dict) -> None:
        """Writes into the caller's Dictionary (it is a reference, as in GDScript)."""
        d[1] = "int"
        d[True] = "bool"
        d[1.0] = "float"

    @method
    def make_three_keys(self) -> dict:
        d = Dictionary()
        d[1] = "a"
        d[True] = "b"
        d[1.0] = "c"
        return d

    @method
    def from_python_dict(self) -> dict:
        return {"x": 1, 2: [3, {"nested": True}]}

    @method
    def python_view(self, d: dict) -> str:
        """What plain Python code does with it: isinstance, get, items, ==, del."""
        out = [type(d).__name__, str(isinstance(d, godot.Dictionary)), repr(d.get("missing", "dflt"))]
        out.append(",".join(f"{k!r}={v!r}" for k, v in sorted(d.items(), key=repr)))
        out.append(str(d == {"a": 1, "b": 2}))
        del d["a"]
        out.append(str("a" in d))
        try:
            d["nope"]
        except KeyError as exc:
            out.append("KeyError " + repr(exc.args[0]))
        return " | ".join(out)


class PyReturns(RefCounted):
    """Methods whose Python result is not exactly the declared type: converted as the engine
    converts a Variant (a typed GDScript return does the same)."""

    @method
    def vector2i_from_vector2(self) -> godot.Vector2i:
        return godot.Vector2(1.7, -2.2)

    @method
    def int_from_float(self) -> int:
        return 2.9

    @method
    def float_from_int(self) -> float:
        return 3

    @method
    def bool_from_int(self) -> bool:
        return 1

    @method
    def string_from_string_name(self) -> str:
        return godot.StringName("sn")

    @method
    def packed_from_list(self) -> godot.PackedInt32Array:
        return [1, 2, 3]

    @method
    def packed_floats_from_ints(self) -> godot.PackedFloat64Array:
        return [1, 2]

    @method
    def typed_ints(self) -> list[int]:
        return [1, 2.0, True]

    @method
    def typed_nodes(self) -> list[godot.Node]:
        return []

    @method
    def typed_dict(self) -> dict[str, int]:
        return {"a": 1, "b": 2.0}

    @method
    def not_convertible(self) -> godot.Vector2:
        return "not a vector"


class _Key:
    """A callable class with its own equality: two keys of the same name are one Callable."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.calls = 0

    def __call__(self, total: int) -> None:
        self.calls += 1

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Key) and other.name == self.name

    def __hash__(self) -> int:
        return hash(("_Key", self.name))


class PyCallables(RefCounted):
    """Python callables as Godot Callables: argument count, object, equality, bind/unbind."""

    def __init__(self) -> None:
        self.seen: list[int] = []

    def on_counted(self, total: int) -> None:
        self.seen.append(total)

    @method
    def bound_method(self) -> godot.Callable:
        return self.on_counted

    @method
    def two_argument_lambda(self) -> godot.Callable:
        return lambda a, b: a + b

    @method
    def connect_bound(self, counter: RefCounted) -> int:
        return counter.connect("counted", self.on_counted)

    @method
    def is_connected_bound(self, counter: RefCounted) -> bool:
        return counter.is_connected("counted", self.on_counted)

    @method
    def disconnect_bound(self, counter: RefCounted) -> None:
        counter.disconnect("counted", self.on_counted)

    @method
    def seen_totals(self) -> list:
        return list(self.seen)

    @method
    def custom_equality(self, counter: RefCounted) -> str:
        counter.connect("counted", _Key("k"))
        out = [str(counter.is_connected("counted", _Key("k"))), str(counter.is_connected("counted", _Key("other")))]
        counter.disconnect("counted", _Key("k"))
        out.append(str(counter.is_connected("counted", _Key("k"))))
        return " ".join(out)

    @method
    def bind_and_unbind(self, add: godot.Callable) -> str:
        """`add` is a GDScript lambda (a, b) -> a + b, a godot.Callable here."""
        out = [type(add).__name__, str(add.get_argument_count()), str(add(1, 2))]
        plus_ten = add.bind(10)
        out += [str(plus_ten(5)), str(plus_ten.get_argument_count())]
        ignore_last = add.unbind(1)
        out.append(str(ignore_last(1, 2, "ignored")))
        out.append(str(add == add.bind(1).bind(2)))  # different Callables
        out.append(str(godot.Callable(self, "seen_totals")() == list(self.seen)))
        python_made = godot.Callable(lambda x: x * 3)
        out.append(str(python_made(4)))
        return " ".join(out)
