"""The declarations a user writes in a class body: @method, Signal, Property, Constant.

Each one only records what the user said; `godot._register.build_spec` reads the records
and turns them into specs. At run time:

* `@method` leaves the function unchanged (it is still a normal Python method).
* `Property` is a data descriptor. Its value lives in the instance's `__dict__`, under the
  property's name, created lazily: until set, reading returns the default (a copy for
  list/dict/bytearray defaults), so `__init__` need not be written. Custom logic goes in
  `@prop.setter` / `@prop.getter` functions, which become Godot methods too.
* `Signal` on an instance gives a `BoundSignal` with `emit(*args)` and `connect(callable)`,
  which call the engine's `emit_signal` / `connect` on that instance.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from godot import _spec
from godot._hints import Hint

_NO_DEFAULT = object()


# --- @method -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MethodOptions:
    """What `@method(...)` recorded on a function (as its `__godot_method__` attribute)."""

    const: bool = False
    name: str = ""  # Godot name; "" = the Python name


def method(function: Any = None, *, const: bool = False, name: str = "") -> Any:
    """Expose a function to Godot as a method: `@method`, `@method(const=True)`,
    `@method(name="godot_name")`. Combine with `@staticmethod` in either order."""
    options = MethodOptions(const=const, name=name)

    def mark(target: Any) -> Any:
        inner = target.__func__ if isinstance(target, staticmethod) else target
        if isinstance(target, (classmethod, property)) or not callable(inner):
            raise TypeError(f"@method applies to functions and staticmethods, not {target!r}")
        setattr(inner, "__godot_method__", options)
        return target

    if function is None:
        return mark
    if isinstance(function, bool):
        raise TypeError("write @method(const=True), not @method(True)")
    return mark(function)


def method_options(attribute: Any) -> MethodOptions | None:
    """The MethodOptions of a class attribute marked with @method, else None."""
    inner = attribute.__func__ if isinstance(attribute, staticmethod) else attribute
    options = getattr(inner, "__godot_method__", None)
    return options if isinstance(options, MethodOptions) else None


# --- @virtual ----------------------------------------------------------------------------


def virtual(function: Any) -> Any:
    """A virtual method scripts may override (godot-cpp's GDVIRTUAL, gdext's #[func(virtual)]):

        @godot.virtual
        def _damage_taken(self, amount: int) -> int:
            return amount          # the default, when no script overrides it

    ClassDB lists it as a virtual with that signature. Calling it from Python runs the
    override of the object's script (a GDScript that `extends` the class) when there is one,
    else this function."""
    if not callable(function) or isinstance(function, (staticmethod, classmethod, property)):
        raise TypeError(f"@virtual applies to plain methods, not {function!r}")
    name = function.__name__

    @functools.wraps(function)
    def dispatch(self: Any, *args: Any) -> Any:
        if _script_has_method(self, name):
            return self.call(name, *args)
        return function(self, *args)

    dispatch.__godot_virtual__ = function  # type: ignore[attr-defined]
    return dispatch


def _script_has_method(instance: Any, name: str) -> bool:
    try:
        import _godot
    except ImportError:  # outside Godot there are no scripts
        return False
    return bool(_godot.has_script_method(instance, name))


def virtual_function(attribute: Any) -> Any:
    """The Python default of an @virtual method, else None."""
    return getattr(attribute, "__godot_virtual__", None)


# --- Signal ------------------------------------------------------------------------------


class Signal:
    """A signal: `greeted = Signal(name=str, times=int)`, `done = Signal()`.

    Arguments are keyword `name=type` pairs in order; `(name, type)` tuples may be given
    positionally first (for a signal argument called "doc"). `doc` is its help text.
    """

    def __init__(self, *pairs: tuple[str, Any], doc: str = "", **arguments: Any) -> None:
        self.arguments: list[tuple[str, Any]] = []
        for pair in pairs:
            if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], str)):
                raise TypeError(f"Signal() positional arguments are (name, type) pairs, not {pair!r}")
            self.arguments.append(pair)
        self.arguments += list(arguments.items())
        names = [name for name, _ in self.arguments]
        if len(set(names)) != len(names):
            raise TypeError(f"Signal() has a repeated argument name: {names}")
        self.doc = doc
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        return self if instance is None else BoundSignal(instance, self.name)

    def __repr__(self) -> str:
        args = ", ".join(f"{name}={getattr(kind, '__name__', kind)!s}" for name, kind in self.arguments)
        return f"Signal({args})" if not self.name else f"<Signal {self.name}({args})>"


class BoundSignal:
    """A signal of one instance: `self.greeted.emit("Ann", 2)`, `obj.greeted.connect(f)`."""

    __slots__ = ("instance", "name")

    def __init__(self, instance: Any, name: str) -> None:
        self.instance = instance
        self.name = name

    def emit(self, *args: Any) -> Any:
        return self.instance.emit_signal(self.name, *args)

    def connect(self, callable_: Callable[..., Any], flags: int = 0) -> Any:
        return self.instance.connect(self.name, callable_, flags)

    def disconnect(self, callable_: Callable[..., Any]) -> Any:
        return self.instance.disconnect(self.name, callable_)

    def __repr__(self) -> str:
        return f"<BoundSignal {self.name} of {self.instance!r}>"


# --- Property ----------------------------------------------------------------------------


class Property:
    """A Godot property: `volume = Property(int, default=5, hint=hint_range(0, 10))`.

    Accessors: by default the spec gets generated `set_<name>` / `get_<name>` methods that
    store the value on the instance. Otherwise name @method-registered methods with
    `setter="set_speed", getter="get_speed"`, or decorate them:

        @volume.setter
        def set_volume(self, value: int):
            Greeter.volume.store(self, max(0, value))

    `usage` is a PropertyUsageFlags value (USAGE_NONE hides it from editor and storage),
    `class_name` overrides the type's class name, `doc` is its help text.
    """

    def __init__(
        self,
        type: Any,  # noqa: A002 - reads naturally: Property(int, ...)
        default: Any = _NO_DEFAULT,
        *,
        hint: Hint | None = None,
        usage: int = _spec.USAGE_DEFAULT,
        setter: str = "",
        getter: str = "",
        doc: str = "",
        group: str = "",
        subgroup: str = "",
    ) -> None:
        if hint is not None and not isinstance(hint, Hint):
            raise TypeError(f"Property(hint=...) takes a godot.hint_*() value, not {hint!r}")
        if not isinstance(usage, int):
            raise TypeError(f"Property(usage=...) takes PropertyUsageFlags (an int), not {usage!r}")
        self.type = type
        self.default = default
        self.hint = hint
        self.usage = usage
        self.setter_name = setter
        self.getter_name = getter
        self.doc = doc
        if subgroup and not group:
            raise TypeError("Property(subgroup=...) needs group=... too (a subgroup lives in a group)")
        self.group = group
        self.subgroup = subgroup
        self.name = ""
        self.owner: type | None = None

    @property
    def has_default(self) -> bool:
        return self.default is not _NO_DEFAULT

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        self.owner = owner

    # decorators for custom accessors
    def setter(self, function: Any) -> Any:
        """Use `function` as this property's setter (it also becomes a Godot method)."""
        self.setter_name = getattr(method_options(function), "name", "") or function.__name__
        return method(function) if method_options(function) is None else function

    def getter(self, function: Any) -> Any:
        """Use `function` as this property's getter (a const Godot method)."""
        self.getter_name = getattr(method_options(function), "name", "") or function.__name__
        return method(function, const=True) if method_options(function) is None else function

    # storage
    def load(self, instance: Any) -> Any:
        """The stored value (the default until something is stored)."""
        storage = instance.__dict__
        if self.name in storage:
            return storage[self.name]
        if not self.has_default:
            return None
        if isinstance(self.default, (list, dict, set, bytearray)):
            storage[self.name] = copy.copy(self.default)  # one per instance, like GDScript
            return storage[self.name]
        return self.default

    def store(self, instance: Any, value: Any) -> None:
        """Store `value` without going through a custom setter."""
        instance.__dict__[self.name] = value

    # Python access goes through the same accessors as Godot's
    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        if self.getter_name:
            return getattr(instance, self.getter_name)()
        return self.load(instance)

    def __set__(self, instance: Any, value: Any) -> None:
        if self.setter_name:
            getattr(instance, self.setter_name)(value)
        else:
            self.store(instance, value)

    def __repr__(self) -> str:
        return f"<Property {self.name or '?'}: {getattr(self.type, '__name__', self.type)}>"


# --- Constant ----------------------------------------------------------------------------


class Constant(int):
    """A plain integer class constant: `MAX_VOLUME = Constant(10)` (still an int in Python)."""

    doc: str

    def __new__(cls, value: int, doc: str = "") -> Constant:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"Constant() takes an int, not {value!r}")
        self = super().__new__(cls, value)
        self.doc = doc
        return self

    def __repr__(self) -> str:
        return f"Constant({int(self)})"
