"""build_spec(): what a class statement becomes, member by member."""

import godot
import pytest
from godot import Constant, IntEnum, Node, Property, RefCounted, Signal, _spec, method
from godot._register import build_spec, pending_classes, take_pending
from greeter_example import Greeter


def by_name(items):
    return {item.name: item for item in items}


# --- the Greeter example ------------------------------------------------------------------


def test_greeter_spec_names_class_and_engine_parent():
    spec = build_spec(Greeter)
    assert (spec.name, spec.parent, spec.python_class, spec.is_abstract) == ("Greeter", "RefCounted", Greeter, False)


def test_greeter_methods_have_argument_names_types_and_defaults():
    greet = by_name(build_spec(Greeter).methods)["greet"]
    assert [(a.name, a.type.variant_type, a.has_default, a.default) for a in greet.args] == [
        ("name", _spec.STRING, False, None),
        ("times", _spec.INT, True, 1),
    ]
    assert greet.return_type.variant_type == _spec.STRING
    assert greet.flags == _spec.METHOD_FLAG_NORMAL
    assert greet.function is Greeter.greet


def test_a_method_may_name_what_the_engine_calls_instead():
    """`__godot_call__` (PyHTTPClient's bulk-loop calls, decision 0021): the spec calls it, the
    signature is the function's, and Python callers still get the function."""

    def fast(this):
        return 2

    class Counter(RefCounted):
        @method
        def count(self) -> int:
            return 1

    Counter.count.__godot_call__ = fast
    count = by_name(build_spec(Counter).methods)["count"]
    assert (count.function, count.return_type.variant_type, count.args) == (fast, _spec.INT, ())
    assert Counter.count(None) == 1


def test_const_method_has_const_flag_and_enum_return():
    mood = by_name(build_spec(Greeter).methods)["mood"]
    assert mood.flags == _spec.METHOD_FLAG_NORMAL | _spec.METHOD_FLAG_CONST
    assert mood.return_type == _spec.TypeSpec(
        _spec.INT, "Greeter.Mood", usage=_spec.USAGE_DEFAULT | _spec.USAGE_CLASS_IS_ENUM
    )


def test_static_method_works_in_either_decorator_order():
    class Thing(RefCounted):
        @method
        @staticmethod
        def first() -> int: ...

        @staticmethod
        @method
        def second(x: int) -> int: ...

    methods = by_name(build_spec(Thing).methods)
    for name in ("first", "second"):
        assert methods[name].flags == _spec.METHOD_FLAG_NORMAL | _spec.METHOD_FLAG_STATIC
    assert [a.name for a in methods["second"].args] == ["x"]  # no self dropped
    assert methods["second"].function(3) is None


def test_underscore_functions_are_virtuals_and_dunders_and_helpers_are_not():
    class Thing(Node):
        def __init__(self):
            super().__init__()

        def _ready(self): ...

        def _process(self, delta): ...

        def __secret(self): ...

        def helper(self): ...

    spec = build_spec(Thing)
    assert set(spec.virtuals) == {"_ready", "_process"}
    assert spec.virtuals["_ready"] is Thing._ready
    assert spec.methods == ()


def test_enum_members_and_constants_become_class_constants():
    constants = [(c.name, c.value, c.enum, c.is_bitfield) for c in build_spec(Greeter).constants]
    assert constants == [("HAPPY", 0, "Mood", False), ("SAD", 1, "Mood", False), ("MAX_VOLUME", 10, "", False)]
    assert Greeter.MAX_VOLUME == 10 and Greeter.Mood.SAD == 1


def test_plain_int_class_attributes_are_not_exported():
    class Thing(RefCounted):
        LIMIT = 3

    assert build_spec(Thing).constants == ()


def test_constant_rejects_non_integers():
    with pytest.raises(TypeError, match="Constant\\(\\) takes an int"):
        Constant(1.5)


# --- signals -------------------------------------------------------------------------------


def test_signals_have_typed_arguments_in_order():
    signals = by_name(build_spec(Greeter).signals)
    assert [(a.name, a.type.variant_type) for a in signals["greeted"].args] == [
        ("name", _spec.STRING),
        ("times", _spec.INT),
    ]
    assert signals["finished"].args == ()


def test_signal_arguments_may_be_given_as_pairs():
    class Thing(Node):
        changed = Signal(("doc", str), ("node", Node))

    (signal,) = build_spec(Thing).signals
    assert [(a.name, a.type) for a in signal.args] == [
        ("doc", _spec.TypeSpec(_spec.STRING)),
        ("node", _spec.TypeSpec(_spec.OBJECT, "Node")),
    ]


def test_bound_signal_emits_through_the_instance():
    calls = []

    class Thing(RefCounted):
        changed = Signal(value=int)

        def emit_signal(self, name, *args):  # what the engine proxy provides
            calls.append((name, args))

    Thing().changed.emit(3)
    assert calls == [("changed", (3,))]
    assert isinstance(Thing.changed, Signal)


# --- properties ------------------------------------------------------------------------------


def test_property_generates_accessors_and_carries_the_hint():
    spec = build_spec(Greeter)
    volume = by_name(spec.properties)["volume"]
    assert volume == _spec.PropertySpec(
        "volume",
        _spec.TypeSpec(_spec.INT, "", _spec.HINT_RANGE, "0,10", _spec.USAGE_DEFAULT),
        "set_volume",
        "get_volume",
    )
    methods = by_name(spec.methods)
    assert [(a.name, a.type) for a in methods["set_volume"].args] == [("value", _spec.TypeSpec(_spec.INT))]
    assert methods["set_volume"].return_type == _spec.VOID
    assert methods["get_volume"].flags == _spec.METHOD_FLAG_NORMAL | _spec.METHOD_FLAG_CONST
    assert methods["get_volume"].return_type == _spec.TypeSpec(_spec.INT)


def test_property_value_is_the_default_until_set_and_is_stored_per_instance():
    methods = by_name(build_spec(Greeter).methods)
    first, second = Greeter.__new__(Greeter), Greeter.__new__(Greeter)
    Greeter.__init__(first)
    Greeter.__init__(second)
    assert methods["get_volume"].function(first) == 5
    methods["set_volume"].function(first, 8)
    assert first.volume == 8 and second.volume == 5
    second.volume = 2
    assert methods["get_volume"].function(second) == 2


def test_mutable_defaults_are_copied_per_instance():
    class Thing(RefCounted):
        tags = Property(list, default=[])

    a, b = Thing(), Thing()
    a.tags.append("x")
    assert b.tags == [] and Thing.tags.default == []


def test_explicit_accessors_name_registered_methods_and_python_access_uses_them():
    spec = build_spec(Greeter)
    speed = by_name(spec.properties)["speed"]
    assert (speed.setter, speed.getter) == ("set_speed", "get_speed")
    greeter = Greeter()
    greeter.speed = -4.0
    assert greeter.speed == 0.0  # the custom setter clamps


def test_accessor_decorators_register_methods_and_store_through_the_property():
    class Thing(RefCounted):
        level = Property(int, default=1)

        @level.setter
        def set_level(self, value: int) -> None:
            Thing.level.store(self, min(value, 9))

    spec = build_spec(Thing)
    level = by_name(spec.properties)["level"]
    assert (level.setter, level.getter) == ("set_level", "get_level")
    assert {"set_level", "get_level"} <= set(by_name(spec.methods))
    thing = Thing()
    thing.level = 40
    assert thing.level == 9


def test_explicit_accessor_that_is_not_a_method_is_rejected():
    with pytest.raises(TypeError, match="accessor 'set_speed' is not a method of this class"):

        class Thing(RefCounted):
            speed = Property(float, setter="set_speed", getter="get_speed")

            def set_speed(self, value): ...

            @method
            def get_speed(self) -> float: ...


def test_setter_with_wrong_arity_is_rejected():
    with pytest.raises(TypeError, match="setter takes one argument"):

        class Thing(RefCounted):
            speed = Property(float, setter="set_speed")

            @method
            def set_speed(self) -> None: ...


def test_generated_accessor_clashing_with_a_class_attribute_is_rejected():
    with pytest.raises(TypeError, match="already defines set_speed"):

        class Thing(RefCounted):
            speed = Property(float)

            @method
            def set_speed(self, value: float) -> None: ...


def test_hidden_property_has_usage_none():
    class Thing(RefCounted):
        connection = Property(godot.StreamPeer, usage=godot.USAGE_NONE)

    (prop,) = build_spec(Thing).properties
    # HTTPClient.connection -> {type 24, class_name StreamPeer, hint 17, hint_string StreamPeer, usage 0}
    assert prop.type == _spec.TypeSpec(_spec.OBJECT, "StreamPeer", 17, "StreamPeer", 0)


@pytest.mark.parametrize(
    ("hint", "kind", "text"),
    [
        (godot.hint_range(256, 16777216), _spec.HINT_RANGE, "256,16777216"),
        (godot.hint_range(0.01, 4.0, 0.01, or_greater=True), _spec.HINT_RANGE, "0.01,4,0.01,or_greater"),
        (godot.hint_range(-80, 24, suffix="dB"), _spec.HINT_RANGE, "-80,24,suffix:dB"),
        (godot.hint_enum("Left", "Center", "Right"), _spec.HINT_ENUM, "Left,Center,Right"),
        (godot.hint_flags("Fire", "Water", ("Earth", 8)), _spec.HINT_FLAGS, "Fire,Water,Earth:8"),
        (godot.hint_multiline(), _spec.HINT_MULTILINE_TEXT, ""),
        (godot.hint_placeholder("Your name"), _spec.HINT_PLACEHOLDER_TEXT, "Your name"),
        (godot.hint_resource_type("Texture2D"), _spec.HINT_RESOURCE_TYPE, "Texture2D"),
    ],
)
def test_hint_helpers_produce_engine_style_hint_strings(hint, kind, text):
    assert (hint.kind, hint.text) == (kind, text)


def test_property_hint_replaces_the_type_hint():
    class Thing(RefCounted):
        read_chunk_size = Property(int, default=65536, hint=godot.hint_range(256, 16777216))
        text = Property(str, default="", hint=godot.hint_multiline())

    props = by_name(build_spec(Thing).properties)
    # HTTPClient.read_chunk_size -> {type 2, hint 1, hint_string "256,16777216", usage 6}
    assert props["read_chunk_size"].type == _spec.TypeSpec(_spec.INT, "", 1, "256,16777216", 6)
    # Label.text -> {type 4, hint 18, usage 6}
    assert props["text"].type == _spec.TypeSpec(_spec.STRING, "", 18, "", 6)


def test_enum_property_uses_gdscript_export_conventions():
    class Thing(RefCounted):
        class Mode(IntEnum):
            WHEN_PAUSED = 0
            ALWAYS = 1

        mode = Property(Mode, default=Mode.ALWAYS)

    (prop,) = build_spec(Thing).properties
    assert prop.type == _spec.TypeSpec(
        _spec.INT,
        "Thing.Mode",
        _spec.HINT_ENUM,
        "When Paused:0,Always:1",
        _spec.USAGE_DEFAULT | _spec.USAGE_CLASS_IS_ENUM,
    )


def test_object_properties_hint_resources_and_nodes_for_the_inspector():
    class Thing(Node):
        texture = Property(godot.Texture2D)
        target = Property(Node)
        anything = Property(object)

    props = by_name(build_spec(Thing).properties)
    assert props["texture"].type == _spec.TypeSpec(_spec.OBJECT, "Texture2D", 17, "Texture2D")
    assert props["target"].type == _spec.TypeSpec(_spec.OBJECT, "Node", godot.HINT_NODE_TYPE, "Node")
    assert props["anything"].type == _spec.VARIANT


# --- class statement options, inheritance, registry ------------------------------------


def test_subclass_of_a_python_class_has_it_as_parent_and_only_its_own_members():
    class Loud(Greeter):
        """Shouts."""

        shouted = Signal()

        @method
        def shout(self) -> str: ...

        def _ready(self): ...

    spec = build_spec(Loud)
    assert spec.parent == "Greeter"
    assert [m.name for m in spec.methods] == ["shout"]
    assert [s.name for s in spec.signals] == ["shouted"]
    assert spec.constants == () and spec.properties == ()
    assert set(spec.virtuals) == {"_ready"}


def test_subclass_property_may_use_an_inherited_accessor():
    class Base(RefCounted):
        @method
        def set_size(self, value: int) -> None: ...

        @method
        def get_size(self) -> int: ...

    class Child(Base):
        size = Property(int, setter="set_size", getter="get_size")

    assert build_spec(Child).properties[0].setter == "set_size"


def test_godot_name_may_differ_from_the_python_name():
    class Foo(RefCounted, godot_name="PyFoo"):
        pass

    class Bar(Foo):
        pass

    assert build_spec(Foo).name == "PyFoo"
    assert build_spec(Bar).parent == "PyFoo"


def test_abstract_class_is_marked():
    class Shape(Node, abstract=True):
        pass

    assert build_spec(Shape).is_abstract
    assert not build_spec(type("Square", (Shape,), {})).is_abstract


def test_register_false_makes_a_python_only_base():
    class Mixin(Node, register=False):
        @method
        def shared(self) -> int: ...

    class Real(Mixin):
        pass

    assert Mixin not in pending_classes()
    assert build_spec(Real).parent == "Node"


def test_invalid_godot_name_is_rejected():
    with pytest.raises(TypeError, match="godot_name must be an identifier"):

        class Foo(RefCounted, godot_name="Py Foo"):
            pass


def test_classes_are_pending_in_definition_order_until_taken():
    take_pending()

    class A(RefCounted):
        pass

    class B(A):
        pass

    assert pending_classes() == (A, B)
    assert take_pending() == (A, B)
    assert pending_classes() == ()


def test_same_godot_name_from_two_definitions_is_rejected():
    class Twin(RefCounted):
        pass

    with pytest.raises(TypeError, match="'Twin' is already used by"):
        type("Twin", (RefCounted,), {"__qualname__": "Other.Twin"})


def test_redefining_the_same_class_replaces_it_like_a_module_reload():
    take_pending()

    def define():
        class Again(RefCounted):
            pass

        return Again

    first, second = define(), define()
    assert pending_classes() == (second,)
    assert godot._register.registered_classes()["Again"] is second and first is not second


def test_build_spec_rejects_an_unregistered_class():
    with pytest.raises(TypeError, match="not a registered Godot class"):
        build_spec(int)


def test_star_args_make_a_vararg_method_like_bind_vararg_method():
    class Thing(RefCounted):
        @method
        def total(self, first: int, *rest) -> int: ...

        @method
        def anything(self, *values) -> None: ...

    methods = {m.name: m for m in build_spec(Thing).methods}
    total = methods["total"]
    assert [a.name for a in total.args] == ["first"]
    assert total.flags == _spec.METHOD_FLAG_NORMAL | _spec.METHOD_FLAG_VARARG
    assert methods["anything"].args == ()


def test_keyword_only_and_keyword_variadic_arguments_are_rejected():
    with pytest.raises(TypeError, match=r"argument 'kw' is variadic keyword"):

        class Thing(RefCounted):
            @method
            def f(self, **kw): ...

    with pytest.raises(TypeError, match=r"argument 'k' is keyword-only"):

        class Thing2(RefCounted):
            @method
            def f(self, *, k: int): ...


def test_method_needs_self_unless_static():
    with pytest.raises(TypeError, match="needs `self`"):

        class Thing(RefCounted):
            @method
            def f(): ...


def test_method_decorator_rejects_classmethods_and_positional_flags():
    with pytest.raises(TypeError, match="functions and staticmethods"):
        method(classmethod(lambda cls: None))
    with pytest.raises(TypeError, match=r"@method\(const=True\)"):
        method(True)


def test_method_may_take_a_godot_name():
    class Thing(RefCounted):
        @method(name="to_text")
        def as_text(self) -> str: ...

    assert [m.name for m in build_spec(Thing).methods] == ["to_text"]


def test_duplicate_member_names_are_rejected():
    with pytest.raises(TypeError, match="'done' is used twice"):

        class Thing(RefCounted):
            done = Signal()

            @method(name="done")
            def finish(self) -> None: ...


def test_property_hooks_with_another_shape_are_reported_at_the_class_statement():
    with pytest.raises(TypeError, match=r"Thing\._get\(\): the engine calls _get\(self, name\)"):

        class Thing(RefCounted):
            def _get(self, buffer, size, received, block): ...

    class Fine(RefCounted):
        def _get(self, name): ...

        def _set(self, name, value): ...

        def _get_property_list(self): ...

        def _notification(self, what): ...

    spec = build_spec(Fine)
    assert set(spec.virtuals) == {"_get", "_set", "_get_property_list", "_notification"}
    assert spec.notification_chain == (Fine._notification,)


def test_class_kinds_groups_and_virtual_declarations_reach_the_spec():
    class Kinds(Node, runtime=True, icon="res://k.svg"):
        speed = Property(int, default=1, group="Movement")
        jump = Property(int, default=1, group="Movement", subgroup="Air")

        @godot.virtual
        def _hit(self, amount: int) -> int:
            return amount

    class Hidden(RefCounted, internal=True, virtual=True): ...

    spec = build_spec(Kinds)
    assert (spec.is_runtime, spec.is_exposed, spec.is_virtual, spec.icon_path) == (True, True, False, "res://k.svg")
    assert [(p.name, p.group, p.subgroup) for p in spec.properties] == [
        ("speed", "Movement", ""),
        ("jump", "Movement", "Air"),
    ]
    (hit,) = spec.virtual_methods
    assert (hit.name, [a.name for a in hit.args], hit.flags & _spec.METHOD_FLAG_VIRTUAL) == (
        "_hit",
        ["amount"],
        _spec.METHOD_FLAG_VIRTUAL,
    )
    assert hit.function(None, 3) == 3  # the Python default
    hidden = build_spec(Hidden)
    assert (hidden.is_exposed, hidden.is_virtual, hidden.is_runtime) == (False, True, False)
    with pytest.raises(TypeError, match="runtime=True .* contradicts tool=True"):

        class Both(Node, runtime=True, tool=True): ...

    with pytest.raises(TypeError, match=r"subgroup=\.\.\.\) needs group"):
        Property(int, subgroup="Air")
