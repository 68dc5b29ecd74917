"""String annotations (`from __future__ import annotations`) resolve against the class
and its module, including names of the class being defined and its nested enums."""

from __future__ import annotations

import godot
from godot import EngineEnum, IntEnum, Node, RefCounted, _spec, method
from godot._register import build_spec


class Player(Node):
    class State(IntEnum):
        IDLE = 0
        RUNNING = 1

    @method
    def state(self) -> State: ...

    @method
    def qualified_state(self) -> Player.State: ...

    @method
    def friend(self, other: Player | None = None) -> Item: ...

    @method
    def fetch(self, how: EngineEnum("HTTPClient.Method")) -> EngineEnum("Error"): ...

    @method
    def position(self) -> godot.Vector2: ...

    @method
    def quoted_state(self, state: Player.State) -> Player.State: ...


class Item(RefCounted):
    pass


def methods_by_name(cls):
    return {m.name: m for m in build_spec(cls).methods}


def test_bare_nested_enum_name_resolves_in_the_class_namespace():
    assert methods_by_name(Player)["state"].return_type == _spec.TypeSpec(_spec.INT, "Player.State", usage=65542)


def test_qualified_nested_enum_name_resolves():
    assert methods_by_name(Player)["qualified_state"].return_type.class_name == "Player.State"


def test_class_may_name_itself_and_classes_defined_later_in_its_module():
    friend = methods_by_name(Player)["friend"]
    assert friend.args[0].type == _spec.TypeSpec(_spec.OBJECT, "Player")
    assert friend.return_type == _spec.TypeSpec(_spec.OBJECT, "Item", 17, "Item")


def test_engine_enum_call_in_a_string_annotation_is_evaluated():
    fetch = methods_by_name(Player)["fetch"]
    assert fetch.args[0].type.class_name == "HTTPClient.Method"
    assert fetch.return_type.class_name == "Error"


def test_value_type_annotation_maps_to_its_variant_type():
    # godot.Vector2 is godot._types.Vector2 (with __variant_type__) when that module exists,
    # and a plain stand-in otherwise; the name resolves either way.
    expected = _spec.VECTOR2 if hasattr(godot.Vector2, "__variant_type__") else _spec.OBJECT
    assert methods_by_name(Player)["position"].return_type.variant_type == expected


def test_quoted_annotation_under_future_annotations_resolves():
    # `"Player.State"` with `from __future__ import annotations` is the string "'Player.State'".
    quoted = methods_by_name(Player)["quoted_state"]
    assert quoted.args[0].type.class_name == "Player.State"
    assert quoted.return_type == _spec.TypeSpec(_spec.INT, "Player.State", usage=65542)
