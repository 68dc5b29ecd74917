"""The engine's enums as Python enum classes: `godot.Error`, `godot.HTTPClient.Method`.

`engine_enum("HTTPClient.Method")` builds (once) an `IntEnum` (an `IntFlag` for a bitfield such
as `godot.KeyModifierMask`) from the values that tools/gen_api.py wrote into godot/_generated.py
at build time, and marks it with `__godot_enum__ = "HTTPClient.Method"`, the mark the registration
API reads (godot._typing): as an annotation it gives Godot the engine's own enum type, exactly as
`EngineEnum("HTTPClient.Method")` does, and type checkers know it as a class (the generated stub
declares every engine enum as an IntEnum/IntFlag subclass).

`godot.Error` (a global enum) is looked up by `godot.__getattr__`, `godot.HTTPClient.Method` by
the engine class stand-ins (`class_enum`, from godot._engine inside Godot and from godot._native
outside it, where the enums exist when the addon's lib folder with its godot/_generated.py is on
the path). The engine's methods still take and return plain ints: an enum member passes for its
int, and `godot.Error(code)` names a returned code.
"""

from __future__ import annotations

import enum

__all__ = ["engine_enum", "class_enum"]

_made: dict[str, type[enum.Enum]] = {}


def _records() -> dict[str, tuple[bool, tuple[tuple[str, int], ...]]]:
    """godot/_generated.py's ENUMS; empty where the build output is not importable."""
    try:
        from godot import _generated
    except ImportError:
        return {}
    records: dict[str, tuple[bool, tuple[tuple[str, int], ...]]] = getattr(_generated, "ENUMS", {})
    return records


def engine_enum(qualified_name: str) -> type[enum.Enum] | None:
    """The enum class of the engine enum "Error" or "Class.Enum", or None when the engine has none."""
    made = _made.get(qualified_name)
    if made is not None:
        return made
    record = _records().get(qualified_name)
    if record is None:
        return None
    bitfield, values = record
    owner, _, short_name = qualified_name.rpartition(".")
    base = enum.IntFlag if bitfield else enum.IntEnum
    # IntEnum("Method", [...]) through the metaclass, spelled out: checkers then see the functional
    # API (a new class) instead of a value lookup (a member).
    made = enum.EnumMeta.__call__(base, short_name, list(values), module="godot", qualname=qualified_name)
    setattr(made, "__godot_enum__", qualified_name)
    _made[qualified_name] = made
    return made


def class_enum(cls: type, name: str) -> type[enum.Enum] | None:
    """`cls.<name>` as an engine enum of the engine class `cls` stands for or derives from
    (`godot.Node2D.ProcessMode` is Node's), or None."""
    if name.startswith("_"):
        return None
    for klass in cls.__mro__:
        engine_class_name = vars(klass).get("__godot_class__")
        if isinstance(engine_class_name, str):
            found = engine_enum(f"{engine_class_name}.{name}")
            if found is not None:
                return found
    return None
