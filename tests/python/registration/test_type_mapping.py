"""Annotations -> TypeSpec, with the values ClassDB shows for equivalent engine methods.

No `from __future__ import annotations` here: the classes are local to test functions
and annotate with local names (string annotations only see module globals; see
test_string_annotations.py for those).
"""

import enum
import sys
import typing

import godot
import pytest
from godot import EngineBitfield, EngineEnum, IntEnum, IntFlag, Node, RefCounted, _spec, method
from godot._register import build_spec


def only_method(cls, name):
    return next(m for m in build_spec(cls).methods if m.name == name)


class Vector2:
    """Stand-in for a godot._types value type."""

    __variant_type__ = _spec.VECTOR2


@pytest.mark.parametrize(
    ("annotation", "variant_type"),
    [
        (int, _spec.INT),
        (float, _spec.FLOAT),
        (str, _spec.STRING),
        (bool, _spec.BOOL),
        (bytes, _spec.PACKED_BYTE_ARRAY),
        (list, _spec.ARRAY),
        (dict, _spec.DICTIONARY),
        (Vector2, _spec.VECTOR2),
    ],
)
def test_plain_types_map_to_their_variant_type_with_default_usage(annotation, variant_type):
    class Thing(RefCounted):
        @method
        def take(self, value: annotation) -> annotation: ...

    spec = only_method(Thing, "take")
    expected = _spec.TypeSpec(variant_type, usage=_spec.USAGE_DEFAULT)
    assert spec.args[0].type == expected
    assert spec.return_type == expected


def test_missing_or_none_return_is_void_and_missing_argument_annotation_is_variant():
    class Thing(RefCounted):
        @method
        def unannotated(self, value): ...

        @method
        def returns_none(self, value: typing.Any) -> None: ...

        @method
        def returns_object(self, value: object) -> typing.Any: ...

    assert only_method(Thing, "unannotated").return_type == _spec.VOID
    assert only_method(Thing, "unannotated").args[0].type == _spec.VARIANT
    assert only_method(Thing, "returns_none").return_type == _spec.VOID
    assert only_method(Thing, "returns_none").args[0].type == _spec.VARIANT
    assert only_method(Thing, "returns_object").return_type == _spec.VARIANT
    assert only_method(Thing, "returns_object").args[0].type == _spec.VARIANT


def test_variant_type_matches_object_get_in_classdb():
    # Object.get() -> {type: 0, usage: 131078}
    assert (_spec.VARIANT.variant_type, _spec.VARIANT.usage) == (0, 131078)


def test_refcounted_object_arguments_carry_resource_type_hint_like_classdb():
    # HTTPClient.connect_to_host(tls_options) -> class_name/hint_string "TLSOptions", hint 17
    class Thing(RefCounted):
        @method
        def connect_to_host(self, tls_options: godot.TLSOptions = None) -> godot.StreamPeer: ...

    spec = only_method(Thing, "connect_to_host")
    assert spec.args[0].type == _spec.TypeSpec(_spec.OBJECT, "TLSOptions", 17, "TLSOptions", 6)
    assert spec.return_type == _spec.TypeSpec(_spec.OBJECT, "StreamPeer", 17, "StreamPeer", 6)
    assert spec.args[0].has_default and spec.args[0].default is None


def test_non_refcounted_object_arguments_have_no_hint_like_classdb():
    # Node.add_child(node) -> {type OBJECT, class_name "Node", hint 0}
    class Thing(Node):
        @method
        def add(self, node: Node) -> godot.SceneTree: ...

    spec = only_method(Thing, "add")
    assert spec.args[0].type == _spec.TypeSpec(_spec.OBJECT, "Node")
    assert spec.return_type == _spec.TypeSpec(_spec.OBJECT, "SceneTree")


def test_optional_object_is_the_object_type():
    class Thing(Node):
        @method
        def a(self, node: Node | None) -> None: ...

        @method
        def b(self, node: Node | None) -> None: ...

    assert only_method(Thing, "a").args[0].type == _spec.TypeSpec(_spec.OBJECT, "Node")
    assert only_method(Thing, "b").args[0].type == _spec.TypeSpec(_spec.OBJECT, "Node")


def test_registered_python_class_maps_to_object_with_its_godot_name():
    class Inner(RefCounted, godot_name="PyInner"):
        pass

    class Outer(Node):
        @method
        def make(self) -> Inner: ...

        @method
        def adopt(self, child: "Outer") -> None: ...

    assert only_method(Outer, "make").return_type == _spec.TypeSpec(_spec.OBJECT, "PyInner", 17, "PyInner")
    assert only_method(Outer, "adopt").args[0].type == _spec.TypeSpec(_spec.OBJECT, "Outer")


def test_nested_int_enum_is_int_with_class_enum_name_and_class_is_enum_usage():
    # HTTPClient.get_status() -> {type INT, class_name "HTTPClient.Status", usage 65542}
    class Client(RefCounted):
        class Status(IntEnum):
            IDLE = 0
            BUSY = 1

        @method
        def get_status(self) -> "Client.Status": ...

        @method
        def set_status(self, status: Status = Status.BUSY) -> None: ...

    get_status = only_method(Client, "get_status")
    assert get_status.return_type == _spec.TypeSpec(_spec.INT, "Client.Status", usage=65542)
    set_status = only_method(Client, "set_status")
    assert set_status.args[0].type == _spec.TypeSpec(_spec.INT, "Client.Status", usage=65542)
    assert set_status.args[0].default == 1 and type(set_status.args[0].default) is int


def test_nested_int_flag_is_a_bitfield_like_classdb():
    # Label.set_justification_flags(...) -> usage 518 = CLASS_IS_BITFIELD | DEFAULT
    class Label2(Node):
        class Flag(IntFlag):
            KASHIDA = 1
            WORD = 2

        @method
        def set_flags(self, flags: Flag) -> None: ...

    arg = only_method(Label2, "set_flags").args[0].type
    assert arg == _spec.TypeSpec(_spec.INT, "Label2.Flag", usage=518)
    constants = build_spec(Label2).constants
    assert [(c.name, c.value, c.enum, c.is_bitfield) for c in constants] == [
        ("KASHIDA", 1, "Flag", True),
        ("WORD", 2, "Flag", True),
    ]


def test_enum_uses_the_godot_name_of_the_class():
    class Foo(RefCounted, godot_name="PyFoo"):
        class Kind(IntEnum):
            A = 0

        @method
        def kind(self) -> Kind: ...

    assert only_method(Foo, "kind").return_type.class_name == "PyFoo.Kind"


def test_engine_enums_and_global_enums_map_like_classdb():
    # HTTPClient.request(method: HTTPClient.Method) -> Error, both usage 65542
    class Thing(RefCounted):
        @method
        def request(self, how: EngineEnum("HTTPClient.Method") = 0) -> EngineEnum("Error"): ...

        @method
        def justify(self, flags: EngineBitfield("TextServer.JustificationFlag")) -> None: ...

    request = only_method(Thing, "request")
    assert request.args[0].type == _spec.TypeSpec(_spec.INT, "HTTPClient.Method", usage=65542)
    assert request.return_type == _spec.TypeSpec(_spec.INT, "Error", usage=65542)
    justify = only_method(Thing, "justify")
    assert justify.args[0].type == _spec.TypeSpec(_spec.INT, "TextServer.JustificationFlag", usage=518)


@pytest.fixture
def generated_enums(monkeypatch):
    """godot._generated (build output, absent here) with the ENUMS table of two engine enums."""
    import types

    from godot import _enums

    generated = types.ModuleType("godot._generated")
    generated.ENUMS = {
        "Error": (False, (("OK", 0), ("FAILED", 1), ("ERR_INVALID_PARAMETER", 31))),
        "HTTPClient.Method": (False, (("METHOD_GET", 0), ("METHOD_POST", 2))),
        "KeyModifierMask": (True, (("KEY_MASK_SHIFT", 33554432), ("KEY_MASK_CTRL", 268435456))),
    }
    monkeypatch.setitem(sys.modules, "godot._generated", generated)
    monkeypatch.setattr(godot, "_generated", generated, raising=False)
    monkeypatch.setattr(_enums, "_made", {})
    return _enums


def test_engine_enum_classes_are_int_enums_marked_with_their_godot_name(generated_enums):
    method_enum = generated_enums.engine_enum("HTTPClient.Method")
    assert issubclass(method_enum, enum.IntEnum)
    assert method_enum.__godot_enum__ == "HTTPClient.Method"
    assert method_enum.__qualname__ == "HTTPClient.Method"
    assert method_enum(2).name == "METHOD_POST"
    assert generated_enums.engine_enum("HTTPClient.Method") is method_enum  # built once
    assert issubclass(generated_enums.engine_enum("KeyModifierMask"), enum.IntFlag)
    assert generated_enums.engine_enum("HTTPClient.Nothing") is None


def test_engine_enum_classes_and_annotated_ints_map_like_engine_enum(generated_enums):
    error = generated_enums.engine_enum("Error")
    method_enum = generated_enums.engine_enum("HTTPClient.Method")
    modifiers = generated_enums.engine_enum("KeyModifierMask")

    class Thing(RefCounted):
        @method
        def typed(self, how: method_enum = method_enum.METHOD_GET) -> error: ...

        @method
        def annotated(self, how: typing.Annotated[int, method_enum] = 0) -> typing.Annotated[int, error]: ...

        @method
        def legacy(self, how: typing.Annotated[int, EngineEnum("HTTPClient.Method")] = 0) -> int: ...

        @method
        def mask(
            self, flags: typing.Annotated[int, modifiers], note: typing.Annotated[str, "any other metadata"]
        ) -> None: ...

    for name in ("typed", "annotated"):
        spec = only_method(Thing, name)
        assert spec.args[0].type == _spec.TypeSpec(_spec.INT, "HTTPClient.Method", usage=65542), name
        assert spec.args[0].default == 0 and type(spec.args[0].default) is int, name
        assert spec.return_type == _spec.TypeSpec(_spec.INT, "Error", usage=65542), name
    assert only_method(Thing, "legacy").args[0].type == _spec.TypeSpec(_spec.INT, "HTTPClient.Method", usage=65542)
    mask_spec = only_method(Thing, "mask")
    assert mask_spec.args[0].type == _spec.TypeSpec(_spec.INT, "KeyModifierMask", usage=518)
    assert mask_spec.args[1].type == _spec.TypeSpec(_spec.STRING)


def test_engine_class_stand_ins_outside_godot_reach_the_engine_enums(generated_enums):
    # with the build's godot/_generated.py on the path (the addon's lib folder), as in Godot
    assert godot.HTTPClient.Method is generated_enums.engine_enum("HTTPClient.Method")
    assert godot.HTTPClient.Method.METHOD_POST == 2

    class Client(godot.HTTPClient, register=False):
        pass

    assert Client.Method is godot.HTTPClient.Method  # through the engine class's own name
    with pytest.raises(AttributeError, match="Nothing"):
        godot.HTTPClient.Nothing  # noqa: B018


def test_annotated_value_type_gives_godot_its_type_and_python_what_it_holds():
    class Packed:
        """Stand-in for godot.PackedByteArray (a value type: __variant_type__)."""

        __variant_type__ = _spec.PACKED_BYTE_ARRAY

    class Thing(RefCounted):
        @method
        def chunk(self) -> typing.Annotated[bytes | memoryview, Packed]: ...

        @method
        def take(self, copied: typing.Annotated[bytes, Packed], shared: Packed) -> None: ...

    assert only_method(Thing, "chunk").return_type == _spec.TypeSpec(_spec.PACKED_BYTE_ARRAY)
    copied, shared = only_method(Thing, "take").args
    assert copied.type == shared.type == _spec.TypeSpec(_spec.PACKED_BYTE_ARRAY)
    assert copied.as_bytes and not shared.as_bytes  # bytes is what the first one holds


def test_annotated_enum_needs_int_as_its_python_type(generated_enums):
    error = generated_enums.engine_enum("Error")
    with pytest.raises(TypeError, match="Thing.code.*an enum's Python type is int"):

        class Thing(RefCounted):
            @method
            def code(self) -> typing.Annotated[str, error]: ...


def test_engine_enum_rejects_malformed_names():
    with pytest.raises(ValueError, match="Class.Enum"):
        EngineEnum("HTTPClient.Method.GET")


def test_typed_list_becomes_typed_array_like_classdb():
    # Node.get_children() -> {type ARRAY, hint 31, hint_string "Node"}
    class Thing(Node):
        @method
        def children(self) -> list[Node]: ...

        @method
        def names(self, values: list[str]) -> list[typing.Any]: ...

    assert only_method(Thing, "children").return_type == _spec.TypeSpec(
        _spec.ARRAY, "", 31, "Node", elements=((_spec.OBJECT, "Node"),)
    )
    assert only_method(Thing, "names").args[0].type == _spec.TypeSpec(
        _spec.ARRAY, "", 31, "String", elements=((_spec.STRING, ""),)
    )
    assert only_method(Thing, "names").return_type == _spec.TypeSpec(_spec.ARRAY)


def test_typed_dict_becomes_typed_dictionary_like_gdscript():
    # GDScript `Dictionary[String, int]` -> {type DICTIONARY, hint 38, hint_string "String;int"}
    class Thing(Node):
        @method
        def scores(self, by_name: dict[str, int]) -> dict[int, Node]: ...

        @method
        def loose(self, values: dict[str, typing.Any], plain: dict, anything: dict[typing.Any, typing.Any]) -> None: ...

    scores = only_method(Thing, "scores")
    assert scores.args[0].type == _spec.TypeSpec(
        _spec.DICTIONARY, "", 38, "String;int", elements=((_spec.STRING, ""), (_spec.INT, ""))
    )
    assert scores.return_type == _spec.TypeSpec(
        _spec.DICTIONARY, "", 38, "int;Node", elements=((_spec.INT, ""), (_spec.OBJECT, "Node"))
    )
    loose = only_method(Thing, "loose")
    assert loose.args[0].type == _spec.TypeSpec(
        _spec.DICTIONARY, "", 38, "String;Variant", elements=((_spec.STRING, ""), (_spec.NIL, ""))
    )
    assert loose.args[1].type == _spec.TypeSpec(_spec.DICTIONARY)
    assert loose.args[2].type == _spec.TypeSpec(_spec.DICTIONARY)


def test_typespec_annotation_is_passed_through_unchanged():
    custom = _spec.TypeSpec(_spec.STRING_NAME)

    class Thing(RefCounted):
        @method
        def name(self) -> custom: ...

    assert only_method(Thing, "name").return_type is custom


def test_unsupported_annotation_error_names_class_method_and_argument():
    with pytest.raises(TypeError, match=r"Thing\.take\(\), argument 'value'.*complex"):

        class Thing(RefCounted):
            @method
            def take(self, value: complex) -> None: ...


def test_unsupported_return_annotation_error_names_the_return_type():
    with pytest.raises(TypeError, match=r"Thing\.give\(\), return type.*set"):

        class Thing(RefCounted):
            @method
            def give(self) -> set: ...


def test_optional_of_a_value_type_is_rejected_with_a_hint():
    with pytest.raises(TypeError, match=r"only `SomeGodotClass \| None`"):

        class Thing(RefCounted):
            @method
            def take(self, value: int | None) -> None: ...


def test_enum_not_nested_in_a_registered_class_is_rejected():
    class Loose(IntEnum):
        A = 0

    with pytest.raises(TypeError, match="not part of a Godot class"):

        class Thing(RefCounted):
            @method
            def take(self, value: Loose) -> None: ...


def test_unresolvable_string_annotation_fails_when_the_spec_is_built():
    class Thing(RefCounted):
        @method
        def take(self, value: "no_such_type") -> None: ...  # noqa: F821

    with pytest.raises(TypeError, match=r"Thing\.take\(\).*no_such_type"):
        build_spec(Thing)


def test_string_annotation_may_name_an_engine_class_without_importing_it():
    class Thing(RefCounted):
        @method
        def texture(self) -> "Texture2D": ...  # noqa: F821 - resolved through the godot package

    assert only_method(Thing, "texture").return_type == _spec.TypeSpec(_spec.OBJECT, "Texture2D", 17, "Texture2D")


def test_value_type_subclassing_a_builtin_maps_to_its_own_variant_type():
    class StringName(str):
        __variant_type__ = _spec.STRING_NAME

    class Thing(RefCounted):
        @method
        def name(self, value: StringName) -> StringName: ...

    assert only_method(Thing, "name").return_type == _spec.TypeSpec(_spec.STRING_NAME)
    assert only_method(Thing, "name").args[0].type == _spec.TypeSpec(_spec.STRING_NAME)
