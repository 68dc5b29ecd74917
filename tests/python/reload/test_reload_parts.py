"""The pure parts of hot reload (godot/_reload.py), without Godot: which files changed, merging a
new class version into the old class object, and what the engine side is told."""

from __future__ import annotations

import os

from godot import _reload, _spec


def test_watcher_sees_a_saved_module_and_a_new_one(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "_private.py").write_text("")
    now = [0.0]
    watcher = _reload.Watcher(str(tmp_path), interval=0.25, clock=lambda: now[0])
    assert watcher.changed() == []  # not time yet
    now[0] = 1.0
    assert watcher.changed() == []  # nothing saved
    (tmp_path / "a.py").write_text("x = 22\n")
    (tmp_path / "b.py").write_text("y = 1\n")
    os.utime(tmp_path / "a.py", ns=(10**9, 10**9))
    now[0] = 2.0
    assert sorted(watcher.changed()) == ["a", "b"]
    now[0] = 3.0
    assert watcher.changed() == []


def test_merge_keeps_identity_state_and_zero_argument_super():
    class Base:
        def hello(self) -> str:
            return "base"

    class Old(Base):
        def hello(self) -> str:
            return "old " + super().hello()

        def gone(self) -> None:
            pass

    instance = Old()
    instance.state = 5

    class New(Base):  # the reloaded version, made by a fresh class statement
        def hello(self) -> str:
            return "new " + super().hello()

        def added(self) -> int:
            return 7

    _reload.merge_class(Old, New)
    assert instance.hello() == "new base"  # the old object runs the new code; super() works
    assert instance.added() == 7 and instance.state == 5
    assert not hasattr(Old, "gone")


def test_engine_update_binds_only_new_members_and_names_what_needs_a_restart():
    def function(self):
        return None

    def method(name: str) -> _spec.MethodSpec:
        return _spec.MethodSpec(name, function)

    int_type = _spec.TypeSpec(_spec.INT)
    old = _spec.ClassSpec(
        name="C",
        parent="RefCounted",
        python_class=object,
        methods=(method("kept"), method("removed")),
        signals=(_spec.SignalSpec("s"),),
        constants=(_spec.ConstantSpec("A", 1),),
    )
    new = _spec.ClassSpec(
        name="C",
        parent="RefCounted",
        python_class=object,
        methods=(method("kept"), method("added")),
        signals=(_spec.SignalSpec("s"), _spec.SignalSpec("t")),
        constants=(_spec.ConstantSpec("A", 2),),
        properties=(_spec.PropertySpec("p", int_type, "set_p", "get_p"),),
    )
    update, stale = _reload.engine_update(old, new)
    assert [m.name for m in update.methods] == ["kept", "added", "removed"]
    assert [s.name for s in update.signals] == ["t"] and [p.name for p in update.properties] == ["p"]
    assert update.constants == ()
    assert "method removed() was removed" in stale and "constant A changed" in stale


def test_enabled_only_in_the_editor_and_debug_builds():
    assert _reload.enabled({}, None, in_editor=False, debug_build=True)
    assert _reload.enabled({}, None, in_editor=True, debug_build=True)
    assert not _reload.enabled({}, None, in_editor=False, debug_build=False)  # a release export
    assert not _reload.enabled({"GODOT_PYTHON_HOT_RELOAD": "0"}, None, in_editor=True, debug_build=True)
    assert not _reload.enabled({}, False, in_editor=False, debug_build=True)
