"""The native base type, and engine-class stand-ins for when Godot is not there.

Inside Godot, `_godot` (the C bridge) provides `Object`, the native type every engine
object wrapper and every registered Python class derives from, and `godot._engine`
builds the engine-class stand-ins (`godot.Node`, `godot.RefCounted`, ...).

Outside Godot (unit tests, linters, documentation builds) `_godot` cannot be imported.
Then `NativeObject` is a plain Python class and `fallback_engine_class(name)` makes a
plain stand-in carrying `__godot_class__ = name`, so that user modules still import and
`godot._register.build_spec` still works. The fallback knows the parents of a few common
engine classes, so that "is this a RefCounted / a Node?" questions (which decide
property hints) get the engine's answer for them; any other name derives from Object.
"""

from __future__ import annotations

from typing import Any

__all__ = ["HAVE_NATIVE", "KNOWN_ENGINE_PARENTS", "NativeObject", "StandInMeta", "fallback_engine_class"]

try:  # pragma: no cover - only inside Godot
    from _godot import Object as NativeObject

    HAVE_NATIVE = True
except ImportError:
    HAVE_NATIVE = False

    class NativeObject:  # type: ignore[no-redef]
        """Stand-in for `_godot.Object` when running without Godot."""

        __slots__ = ("__dict__", "__weakref__")


# Parent of each engine class the fallback knows (from Godot 4.6's ClassDB).
# Anything not listed derives directly from Object.
KNOWN_ENGINE_PARENTS: dict[str, str] = {
    "RefCounted": "Object",
    "Resource": "RefCounted",
    "Node": "Object",
    "CanvasItem": "Node",
    "Node2D": "CanvasItem",
    "Sprite2D": "Node2D",
    "Control": "CanvasItem",
    "Label": "Control",
    "Node3D": "Node",
    "MainLoop": "Object",
    "SceneTree": "MainLoop",
    "HTTPClient": "RefCounted",
    "HTTPRequest": "Node",
    "StreamPeer": "RefCounted",
    "StreamPeerExtension": "StreamPeer",
    "StreamPeerTCP": "StreamPeer",
    "StreamPeerTLS": "StreamPeer",
    "StreamPeerBuffer": "StreamPeer",
    "PacketPeer": "RefCounted",
    "TLSOptions": "RefCounted",
    "X509Certificate": "Resource",
    "CryptoKey": "Resource",
    "Texture": "Resource",
    "Texture2D": "Texture",
    "Image": "Resource",
    "Script": "Resource",
    "LabelSettings": "Resource",
    "MultiplayerAPI": "RefCounted",
    "Thread": "RefCounted",
    "Mutex": "RefCounted",
}

_fallback_classes: dict[str, type] = {}


class StandInMeta(type):
    """Metaclass of the fallback stand-ins: `godot.HTTPClient.Method` is the engine enum, where
    the build's godot/_generated.py is importable (godot._enums)."""

    def __getattr__(cls, name: str) -> Any:
        from godot._enums import class_enum

        found = class_enum(cls, name)
        if found is None:
            raise AttributeError(f"type object {cls.__name__!r} has no attribute {name!r}")
        return found


def fallback_engine_class(name: str) -> type:
    """A plain-Python stand-in for the engine class `name` (one per name, cached)."""
    if not name.isidentifier():
        raise AttributeError(f"{name!r} is not a Godot class name")
    cls = _fallback_classes.get(name)
    if cls is not None:
        return cls
    # Imported here: _register imports this module for NativeObject.
    from godot._register import EngineClassBase

    if name == "Object":
        bases: tuple[type, ...] = (EngineClassBase,)
    else:
        bases = (fallback_engine_class(KNOWN_ENGINE_PARENTS.get(name, "Object")),)
    cls = StandInMeta(name, bases, {"__godot_class__": name, "__module__": "godot"})
    _fallback_classes[name] = cls
    return cls
