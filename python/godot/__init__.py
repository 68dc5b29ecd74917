"""Write Godot classes in Python.

    import godot
    from godot import RefCounted, method, Signal, Property

    class Greeter(RefCounted):
        \"\"\"Greets people.\"\"\"
        greeted = Signal(name=str)
        volume = Property(int, default=5, hint=godot.hint_range(0, 10))

        @method
        def greet(self, name: str) -> str:
            return "Hello " + name

This module only re-exports the public API; see docs/writing-classes.md. Value types
(`godot.Vector2`, ...) come from `godot._types`. Engine classes
(`godot.Node`, `godot.RefCounted`, any capitalised name) come from `godot._engine` inside
Godot, and from plain stand-ins (`godot._native`) outside it, so class modules import
and their specs build in unit tests without Godot.
"""

from __future__ import annotations

import typing as _typing

if _typing.TYPE_CHECKING:  # names for annotations only: `godot.Callable` is the Godot type
    from collections.abc import Callable
    from typing import Any

__version__ = "0.1.0"  # the addon's version: tools/package names its zip after it

from godot._hints import (
    HINT_ARRAY_TYPE,
    HINT_DIR,
    HINT_FILE,
    HINT_NODE_TYPE,
    USAGE_GROUP,
    USAGE_NO_EDITOR,
    Hint,
    custom_hint,
    hint_dir,
    hint_enum,
    hint_file,
    hint_flags,
    hint_multiline,
    hint_placeholder,
    hint_range,
    hint_resource_type,
)
from godot._members import BoundSignal, Constant, Property, Signal, method, virtual
from godot._register import GodotClass, build_spec, pending_classes, take_pending
from godot._spec import (
    HINT_ENUM,
    HINT_FLAGS,
    HINT_MULTILINE_TEXT,
    HINT_NONE,
    HINT_PLACEHOLDER_TEXT,
    HINT_RANGE,
    HINT_RESOURCE_TYPE,
    USAGE_CLASS_IS_BITFIELD,
    USAGE_CLASS_IS_ENUM,
    USAGE_DEFAULT,
    USAGE_EDITOR,
    USAGE_NONE,
    USAGE_STORAGE,
)
from godot._typing import EngineBitfield, EngineEnum, IntEnum, IntFlag

__all__ = [
    "method",
    "virtual",
    "Signal",
    "BoundSignal",
    "Property",
    "Constant",
    "IntEnum",
    "IntFlag",
    "EngineEnum",
    "EngineBitfield",
    "GodotClass",
    "build_spec",
    "pending_classes",
    "take_pending",
    "Hint",
    "hint_range",
    "hint_enum",
    "hint_flags",
    "hint_multiline",
    "hint_placeholder",
    "hint_resource_type",
    "hint_file",
    "hint_dir",
    "custom_hint",
    "HINT_NONE",
    "HINT_RANGE",
    "HINT_ENUM",
    "HINT_FLAGS",
    "HINT_FILE",
    "HINT_DIR",
    "HINT_RESOURCE_TYPE",
    "HINT_MULTILINE_TEXT",
    "HINT_PLACEHOLDER_TEXT",
    "HINT_ARRAY_TYPE",
    "HINT_NODE_TYPE",
    "USAGE_NONE",
    "USAGE_STORAGE",
    "USAGE_EDITOR",
    "USAGE_DEFAULT",
    "USAGE_NO_EDITOR",
    "USAGE_GROUP",
    "USAGE_CLASS_IS_ENUM",
    "USAGE_CLASS_IS_BITFIELD",
    "library_path",
    "register_singleton",
]


try:  # inside Godot: the engine's print, errors, singletons and str()
    from godot._engine import (  # noqa: F401
        GodotError,
        print,
        printerr,
        push_error,
        push_warning,
        singleton,
        stringify,
    )

    __all__ += ["GodotError", "print", "printerr", "push_error", "push_warning", "singleton", "stringify"]
except ImportError:  # outside Godot there is no engine to talk to
    pass


def library_path() -> str:
    """The path of the bridge library Godot loaded (GDExtension get_library_path), or "" outside Godot."""
    try:
        import _godot
    except ImportError:
        return ""
    return str(_godot.library_path())


_singletons: list[tuple[str, object]] = []


def register_singleton(name: str, instance: object) -> None:
    """`Engine.register_singleton(name, instance)`: keeps `instance` alive (the engine holds
    no reference) and unregisters it when the bridge shuts down, before the object goes."""
    engine: Any = __getattr__("Engine")
    engine.register_singleton(name, instance)
    _singletons.append((name, instance))


def unregister_singletons() -> None:
    """Unregisters every singleton `register_singleton` made (called at shutdown)."""
    engine: Any = __getattr__("Engine")
    while _singletons:
        name, _instance = _singletons.pop()
        if engine.has_singleton(name):
            engine.unregister_singleton(name)


def _engine_class_factory() -> Callable[[str], type]:
    """godot._engine.engine_class inside Godot, the plain stand-ins outside it."""
    try:
        from godot._engine import engine_class  # written by the bridge side
    except ImportError:
        from godot._native import fallback_engine_class as engine_class
    return engine_class


def _value_type(name: str) -> Any:
    """godot._types' class of that name (Vector2, Color, StringName, ...), or None."""
    try:
        from godot import _types  # written by the bridge side; pure Python
    except ImportError:
        return None
    candidate = getattr(_types, name, None)
    return candidate if isinstance(getattr(candidate, "__variant_type__", None), int) else None


def _engine_enum(name: str) -> type | None:
    """The engine's global enum of that name (`godot.Error`, `godot.Key`; godot._enums), or None."""
    from godot._enums import engine_enum

    return engine_enum(name)


def __getattr__(name: str) -> Any:
    """`godot.Vector2` (a value type), `godot.Error` (a global engine enum), `godot.Node`,
    `godot.HTTPClient`, ... (engine class stand-ins): looked up on first use, then cached in
    this module."""
    if not name[:1].isupper() or not name.isidentifier() or "_" in name:  # no engine class has "_"
        raise AttributeError(f"module 'godot' has no attribute {name!r}")
    cls = _value_type(name) or _engine_enum(name) or _engine_class_factory()(name)
    globals()[name] = cls  # later lookups skip __getattr__
    return cls
