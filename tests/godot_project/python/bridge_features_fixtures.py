"""Python classes the bridge's registration-feature suite (res://suites/bridge/test_features.gd)
uses: vararg methods, property hooks, groups, typed dictionaries, script-overridable virtuals,
class kinds, notifications, singletons and the library path."""

from __future__ import annotations

from typing import Any

import godot
from godot import Node, Property, RefCounted, method


class PyVarargs(RefCounted):
    """Methods taking any number of extra arguments (godot-cpp's bind_vararg_method)."""

    @method
    def total(self, first: int, *rest: Any) -> int:
        return first + sum(rest)

    @method
    def kinds(self, *values: Any) -> str:
        return ",".join(type(v).__name__ for v in values)


class PyHooks(Node):
    """Dynamic properties through _get/_set/_get_property_list and the revert/validate hooks."""

    hidden = Property(int, default=0)
    shown = Property(int, default=0)

    def __init__(self) -> None:
        self.dynamic = {"dyn_count": 1, "dyn_label": "x"}

    def _get(self, name: str) -> Any:
        return self.dynamic.get(name)  # None: not handled, the engine looks further

    def _set(self, name: str, value: Any) -> bool:
        if name not in self.dynamic:
            return False
        self.dynamic[name] = value
        return True

    def _get_property_list(self) -> list[dict[str, Any]]:
        return [
            {"name": "dyn_count", "type": 2, "usage": godot.USAGE_DEFAULT},
            {"name": "dyn_label", "type": 4, "hint": godot.HINT_MULTILINE_TEXT, "usage": godot.USAGE_DEFAULT},
        ]

    def _validate_property(self, property: dict[str, Any]) -> None:
        if property["name"] == "hidden":
            property["usage"] = godot.USAGE_NO_EDITOR
        if property["name"] == "shown":
            property["hint"] = godot.HINT_RANGE
            property["hint_string"] = "0,10"

    def _property_can_revert(self, name: str) -> bool:
        return name == "dyn_count"

    def _property_get_revert(self, name: str) -> Any:
        return 1 if name == "dyn_count" else None


class PyGrouped(Node):
    """Properties in inspector groups and subgroups."""

    speed = Property(float, default=1.0, group="Movement")
    jump = Property(float, default=2.0, group="Movement", subgroup="Air")
    glide = Property(float, default=0.5, group="Movement", subgroup="Air")
    color = Property(godot.Color, default=godot.Color(1, 1, 1, 1), group="Looks")
    plain = Property(int, default=0)


class PyTypedDicts(RefCounted):
    """`dict[K, V]` annotations: Godot's typed Dictionary."""

    scores = Property(dict[str, int], default={})

    @method
    def double(self, scores: dict[str, int]) -> dict[str, int]:
        return {name: value * 2 for name, value in scores.items()}


class PyShape(RefCounted):
    """Declares a virtual that GDScript classes override (suites/bridge/py_square.gd)."""

    @godot.virtual
    def _area(self, scale: float) -> float:
        return -1.0  # no script override

    @method
    def area(self, scale: float) -> float:
        return self._area(scale)


class PyRuntimeOnly(Node, runtime=True):
    """Not run in the editor (GDREGISTER_RUNTIME_CLASS)."""

    @method
    def ping(self) -> str:
        return "runtime pong"


class PyInternalHelper(RefCounted, internal=True):
    """Not exposed to scripts and the editor."""


class PyVirtualBase(RefCounted, virtual=True):
    """Extended by scripts, never instantiated by the engine itself."""

    @method
    def kind(self) -> str:
        return "virtual base"


class PyToolClass(Node, tool=True, icon="res://icon_py.svg"):
    """Runs in the editor (the default, said explicitly) and names an editor icon."""


class PyNotified(RefCounted):
    """Records the notifications it receives, base class part."""

    def __init__(self) -> None:
        self.log: list[str] = []

    def _notification(self, what: int) -> None:
        if what in (0, 4242):  # POSTINITIALIZE, and one the test sends
            self.log.append(f"base:{what}")

    @method
    def get_log(self) -> str:
        return " ".join(self.log)


class PyNotifiedChild(PyNotified):
    """The derived part: each class's own _notification runs, in the engine's order."""

    def _notification(self, what: int) -> None:
        if what in (0, 4242):
            self.log.append(f"child:{what}")


class PyRegistry(RefCounted):
    """Registered as an engine singleton from Python."""

    @method
    def ping(self) -> str:
        return "registry pong"

    @method
    @staticmethod
    def register_as_singleton() -> bool:
        if not godot.Engine.has_singleton("PyRegistry"):
            godot.register_singleton("PyRegistry", PyRegistry())
        return bool(godot.Engine.has_singleton("PyRegistry"))

    @method
    @staticmethod
    def make_internal() -> str:
        return type(PyInternalHelper()).__name__ + " made in Python"

    @method
    @staticmethod
    def library_path() -> str:
        return godot.library_path()
