"""Engine classes, singletons and utility functions seen from Python (inside Godot only).

`engine_class("Node")` builds the Python stand-in of an engine class, mirroring Godot's class
tree (`Node2D` -> `CanvasItem` -> `Node` -> `Object`) so that `isinstance` and
`class MyNode(godot.Node2D)` work. Stand-ins forward what Python does not define itself to
the engine: `node.get_child_count()` calls the engine method, `label.text` reads the
property, `label.text = "hi"` sets it, `godot.OS.get_name()` calls the singleton and
`godot.HTTPClient.STATUS_BODY` reads the class constant. What the engine has is asked of
ClassDB once per (class, name) and cached.

`virtual_signature(base, name)` tells the bridge how to convert the arguments of an engine
virtual a Python class overrides (`_process(delta)`, `_get_data(...)`), from the signatures
generated at build time (godot/_generated.py).
"""

from __future__ import annotations

import _godot

from godot import _generated
from godot._members import BoundSignal
from godot._register import EngineClassBase, make_engine_class

GodotError = _godot.GodotError
print = _godot.print  # noqa: A001 - Godot's print, on purpose
printerr = _godot.printerr
push_error = _godot.push_error
push_warning = _godot.push_warning
stringify = _godot.stringify
singleton = _godot.singleton

_METHOD, _PROPERTY, _SIGNAL, _NOTHING = "method", "property", "signal", None
_member_kinds: dict[tuple[str, str], str | None] = {}
_engine_classes: dict[str, type] = {}
_singleton_names: frozenset[str] | None = None
_classdb = None


def _class_db():
    global _classdb
    if _classdb is None:
        _classdb = _godot.singleton("ClassDB")
    return _classdb


def godot_class_of(cls: type) -> str:
    """The Godot class name a Python class stands for (registered or engine)."""
    for klass in cls.__mro__:
        own = vars(klass)
        if "__godot_name__" in own:
            return own["__godot_name__"]
        if "__godot_class__" in own:
            return own["__godot_class__"]
    return "Object"


def _member_kind(godot_class: str, name: str) -> str | None:
    key = (godot_class, name)
    try:
        return _member_kinds[key]
    except KeyError:
        pass
    db = _class_db()
    if db.call("class_has_method", godot_class, name, False):
        kind = _METHOD
    elif any(p["name"] == name for p in db.call("class_get_property_list", godot_class, False)):
        kind = _PROPERTY
    elif db.call("class_has_signal", godot_class, name):
        kind = _SIGNAL
    else:
        kind = _NOTHING
    _member_kinds[key] = kind
    return kind


class EngineMethod:
    """A bound engine method: `node.add_child` before it is called."""

    __slots__ = ("_target", "_name")

    def __init__(self, target, name: str):
        self._target = target
        self._name = name

    def __call__(self, *args):
        return self._target.call(self._name, *args)

    def __repr__(self):
        return f"<engine method {self._name} of {self._target!r}>"


class EngineMeta(type):
    """Metaclass of the stand-ins: class-level lookups reach singletons and constants."""

    def __getattr__(cls, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        godot_class = godot_class_of(cls)
        if godot_class in _singletons():
            return getattr(_godot.singleton(godot_class), name)
        db = _class_db()
        if db.call("class_has_integer_constant", godot_class, name):
            return db.call("class_get_integer_constant", godot_class, name)
        raise AttributeError(f"Godot class {godot_class} has no constant or singleton member {name!r}")


def _object_getattr(self, name: str):
    if name.startswith("_"):  # Python-private names and engine virtuals never come from the engine
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
    godot_class = godot_class_of(type(self))
    kind = _member_kind(godot_class, name)
    if kind is _METHOD:
        return EngineMethod(self, name)
    if kind is _PROPERTY:
        return self.call("get", name)
    if kind is _SIGNAL:  # node.ready.connect(...), as the type stubs describe it
        return BoundSignal(self, name)
    if self.call("has_method", name):  # a script's or a user signal's method
        return EngineMethod(self, name)
    raise AttributeError(f"Godot object of class {godot_class} has no method or property {name!r}")


def _object_setattr(self, name: str, value) -> None:
    if not name.startswith("_") and _member_kind(godot_class_of(type(self)), name) is _PROPERTY:
        for klass in type(self).__mro__:  # a Python-level attribute of that name wins
            if name in vars(klass) and "__godot_class__" not in vars(klass):
                break
        else:
            self.call("set", name, value)
            return
    object.__setattr__(self, name, value)


def _singletons() -> frozenset[str]:
    global _singleton_names
    if _singleton_names is None:
        engine = _godot.singleton("Engine")
        _singleton_names = frozenset(engine.call("get_singleton_list"))
    return _singleton_names


def _root() -> type:
    root = _engine_classes.get("Object")
    if root is None:
        root = EngineMeta("Object", (EngineClassBase,), {
            "__module__": "godot",
            "__godot_class__": "Object",
            "__getattr__": _object_getattr,
            "__setattr__": _object_setattr,
            "__doc__": "Godot's Object: the base of every engine and Python class.",
        })
        _engine_classes["Object"] = root
    return root


def _parent_of(name: str) -> str | None:
    if name in _generated.PARENTS:
        return _generated.PARENTS[name] or None
    db = _class_db()
    if not db.call("class_exists", name):
        return None
    return db.call("get_parent_class", name) or "Object"


def engine_class(name: str) -> type:
    """The stand-in for engine class `name`; AttributeError if Godot has no such class."""
    cls = _engine_classes.get(name)
    if cls is not None:
        return cls
    if name == "Object":
        return _root()
    parent = _parent_of(name)
    if parent is None:
        raise AttributeError(f"Godot has no class named {name!r}")
    cls = make_engine_class(name, engine_class(parent))
    _engine_classes[name] = cls
    return cls


def proxy_class(name: str) -> type:
    """The Python class of a proxy for an object whose Godot class is `name` (called by the
    bridge); classes of other extensions get a stand-in too."""
    return engine_class(name)


def virtual_signature(engine_base: str, name: str):
    """((argument Variant types...), return Variant type or None) of the engine virtual
    `name` as seen from `engine_base` and its ancestors; None if it is not a virtual."""
    cls: str | None = engine_base
    while cls:
        entry = _generated.VIRTUALS.get(cls, {}).get(name)
        if entry is not None:
            args, ret = entry
            return tuple(t for t, _ in args), (ret[0] if ret else None)
        cls = _generated.PARENTS.get(cls) or None
    return None


def reset_caches() -> None:
    """Drop cached proxies (at shutdown, before the interpreter stops)."""
    global _classdb, _singleton_names
    _classdb = None
    _singleton_names = None
    _member_kinds.clear()
