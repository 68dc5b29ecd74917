"""Engine classes, singletons and utility functions seen from Python (inside Godot only).

`engine_class("Node")` builds the Python stand-in of an engine class, mirroring Godot's class
tree (`Node2D` -> `CanvasItem` -> `Node` -> `Object`) so that `isinstance` and
`class MyNode(godot.Node2D)` work. Stand-ins forward what Python does not define itself to
the engine: `node.get_child_count()` calls the engine method, `label.text` reads the
property, `label.text = "hi"` sets it, `godot.OS.get_name()` calls the singleton and
`godot.HTTPClient.STATUS_BODY` reads the class constant and `godot.HTTPClient.Method` is the
engine enum as an IntEnum (godot._enums).

For the classes in extension_api.json (godot/_generated.py, written at build time) the
stand-in's namespace holds a native descriptor per method (`_godot.EngineMethod`: the method
bind fetched once with its hash, a ptrcall with arguments converted to their declared types)
and per property (`_godot.EngineProperty`: through the getter and setter binds), and every
integer constant as a plain int. Classes the engine API does not list (other extensions)
and script members reach the engine by name: what the engine has is asked of ClassDB once
per (class, name) and cached.

`virtual_signature(base, name)` tells the bridge how to convert the arguments of an engine
virtual a Python class overrides (`_process(delta)`, `_get_data(...)`), from the signatures
generated at build time (godot/_generated.py).
"""

from __future__ import annotations

from typing import Any

import _godot

import godot._generated as _generated
from godot._enums import class_enum
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
_FLAG_STATIC = 2  # tools/gen_api.py FLAG_STATIC
_OBJECT = 24  # Variant.Type OBJECT
_INT_VECTORS = frozenset({6, 8, 10, 13})  # Vector2i, Rect2i, Vector3i, Vector4i: int components
_member_kinds: dict[tuple[str, str], str | None] = {}
_engine_classes: dict[str, type] = {}
_singleton_names: frozenset[str] | None = None
_classdb: Any = None


def _class_db() -> Any:
    global _classdb
    if _classdb is None:
        _classdb = _godot.singleton("ClassDB")
    return _classdb


def godot_class_of(cls: type) -> str:
    """The Godot class name a Python class stands for (registered or engine)."""
    for klass in cls.__mro__:
        own = vars(klass)
        if "__godot_name__" in own:
            return str(own["__godot_name__"])
        if "__godot_class__" in own:
            return str(own["__godot_class__"])
    return "Object"


def _member_kind(godot_class: str, name: str) -> str | None:
    key = (godot_class, name)
    try:
        return _member_kinds[key]
    except KeyError:
        pass
    db = _class_db()
    kind: str | None
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

    def __init__(self, target: Any, name: str) -> None:
        self._target = target
        self._name = name

    def __call__(self, *args: Any) -> Any:
        return self._target.call(self._name, *args)

    def __repr__(self) -> str:
        return f"<engine method {self._name} of {self._target!r}>"


class EngineMeta(type):
    """Metaclass of the stand-ins: class-level lookups reach singletons and constants."""

    def __setattr__(cls, name: str, value: object) -> None:
        if isinstance(_lookup_static(cls, name), _godot.EngineProperty) and godot_class_of(cls) in _singletons():
            setattr(_godot.singleton(godot_class_of(cls)), name, value)  # Engine.max_fps = 30
            return
        super().__setattr__(name, value)

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        found = class_enum(cls, name)  # godot.HTTPClient.Method, godot.Node2D.ProcessMode (Node's)
        if found is not None:
            return found
        godot_class = godot_class_of(cls)
        if godot_class in _singletons():
            return getattr(_godot.singleton(godot_class), name)
        db = _class_db()
        if db.call("class_has_integer_constant", godot_class, name):
            return db.call("class_get_integer_constant", godot_class, name)
        raise AttributeError(f"Godot class {godot_class} has no constant or singleton member {name!r}")


def _member_type(token: str) -> tuple[int, str | None, bool]:
    """(Variant type, class name or None, is a Ref) of a generated type token."""
    if token[0] in "or":
        return _OBJECT, token[1:], token[0] == "r"
    return int(token), None, False


def _default(text: str, variant_type: int) -> object:
    """The default value of a generated record: ... none, NotImplemented only the engine knows."""
    if not text:
        return ...
    if text == "?":
        return NotImplemented
    kind, _, value = text.partition(":")
    if kind == "i":
        return int(value)
    if kind == "f":
        return float(value)
    if kind == "b":
        return value == "1"
    if kind == "s":
        return value
    if kind == "n":
        return None
    if kind == "l":
        return []
    if kind == "d":
        return {}
    if variant_type in _INT_VECTORS:
        return tuple(int(float(v)) for v in value.split(","))
    return tuple(float(v) for v in value.split(","))


def _lookup_static(cls: type, name: str) -> object:
    for klass in cls.__mro__:
        found = vars(klass).get(name)
        if found is not None:
            return found
    return None


def _engine_members(godot_name: str, parent: type) -> dict[str, object] | None:
    """The namespace of the stand-in of a class extension_api.json lists: its own methods and
    properties as native descriptors, its constants and enum values as ints; None for other
    classes."""
    record = _generated.MEMBERS.get(godot_name)
    if record is None:
        return None
    on_singleton = godot_name in _generated.SINGLETONS
    namespace: dict[str, object] = {}
    properties: list[list[str]] = []
    for line in record.split("\n"):
        if not line:
            continue
        if line[0] == "#":
            name, value = line[1:].split(";")
            namespace[name] = int(value)
        elif line[0] == "@":
            properties.append(line[1:].split(";"))
        else:
            name, hash_, flags, ret, args, defaults = line.split(";")
            if hasattr(EngineClassBase, name):
                continue  # the bridge's own call/free/get_instance_id stay
            arg_types = tuple(_member_type(t)[:2] for t in args.split(",")) if args else ()
            default_texts = defaults.split("|") if defaults else [""] * len(arg_types)
            namespace[name] = _godot.EngineMethod(
                godot_name,
                name,
                int(hash_),
                int(flags),
                _member_type(ret) if ret else None,
                arg_types,
                tuple(_default(d, t[0]) for d, t in zip(default_texts, arg_types)),
                on_singleton,
            )
    any_method = next((m for m in namespace.values() if type(m) is _godot.EngineMethod), None)
    for name, getter, setter, index in properties:
        if name in namespace or hasattr(EngineClassBase, name):
            continue

        def accessor(method_name: str) -> object:
            found = namespace.get(method_name) or _lookup_static(parent, method_name) if method_name else None
            return found if type(found) is _godot.EngineMethod else None

        namespace[name] = _godot.EngineProperty(
            name, accessor(getter), accessor(setter), int(index), any_method if on_singleton else None
        )
    return namespace


def _object_getattr(self: Any, name: str) -> Any:
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


def _object_setattr(self: Any, name: str, value: Any) -> None:
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
        root = EngineMeta(
            "Object",
            (EngineClassBase,),
            {
                **(_engine_members("Object", EngineClassBase) or {"__setattr__": _object_setattr}),
                "__module__": "godot",
                "__godot_class__": "Object",
                "__getattr__": _object_getattr,
                "__doc__": "Godot's Object: the base of every engine and Python class.",
            },
        )
        _engine_classes["Object"] = root
    return root


def _parent_of(name: str) -> str | None:
    if name in _generated.PARENTS:
        return _generated.PARENTS[name] or None
    db = _class_db()
    if not db.call("class_exists", name):
        return None
    return str(db.call("get_parent_class", name) or "Object")


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
    parent_cls = engine_class(parent)
    members = _engine_members(name, parent_cls)
    if members is None:  # not in the engine API: members reach the engine by name
        members = {"__setattr__": _object_setattr}
    cls = make_engine_class(name, parent_cls, members)
    _engine_classes[name] = cls
    return cls


def proxy_class(name: str) -> type:
    """The Python class of a proxy for an object whose Godot class is `name` (called by the
    bridge); classes of other extensions get a stand-in too."""
    return engine_class(name)


def virtual_signature(engine_base: str, name: str) -> tuple[tuple[int, ...], int | None] | None:
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
