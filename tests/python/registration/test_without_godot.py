"""The godot package imports and works outside Godot (no `_godot` module)."""

import importlib
import sys

import godot
import pytest
from godot import _native, _register


def test_native_module_is_absent_so_the_fallback_base_is_used():
    assert "_godot" not in sys.modules
    assert not _native.HAVE_NATIVE


def test_engine_classes_are_stand_ins_with_their_godot_name():
    assert godot.RefCounted.__godot_class__ == "RefCounted"
    assert godot.Node.__godot_class__ == "Node"
    assert godot.RefCounted is godot.RefCounted
    assert issubclass(godot.Resource, godot.RefCounted)
    assert issubclass(godot.Node, _register.EngineClassBase)
    assert issubclass(godot.Node, _native.NativeObject)


def test_any_capitalised_name_is_an_engine_class():
    from godot import StreamPeerExtension  # noqa: F401 - import form works too

    assert godot.SomeFutureClass.__godot_class__ == "SomeFutureClass"
    assert issubclass(godot.StreamPeerExtension, godot.StreamPeer)


def test_unknown_lowercase_and_constant_like_names_raise_attribute_error():
    with pytest.raises(AttributeError):
        godot.not_a_class  # noqa: B018 - the lookup is the test
    with pytest.raises(AttributeError):
        godot.USAGE_TYPO  # noqa: B018 - the lookup is the test


def test_engine_stand_ins_are_not_registered():
    assert "Node" not in _register.registered_classes()
    assert godot.Node not in godot.pending_classes()


def test_bridge_style_instantiation_needs_no_arguments():
    from greeter_example import Greeter

    instance = Greeter.__new__(Greeter)
    Greeter.__init__(instance)
    assert instance.volume == 5


def test_make_engine_class_builds_a_stand_in_for_the_engine_module():
    cls = _register.make_engine_class("Camera9D", godot.Node)
    assert cls.__godot_class__ == "Camera9D" and issubclass(cls, godot.Node)

    class Mine(cls):
        pass

    assert godot.build_spec(Mine).parent == "Camera9D"


def test_package_reimports_cleanly():
    importlib.reload(godot)
    assert callable(godot.method)
