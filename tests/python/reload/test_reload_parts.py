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

    def method(name: str, *args: _spec.ArgSpec) -> _spec.MethodSpec:
        return _spec.MethodSpec(name, function, args)

    int_type, str_type = _spec.TypeSpec(_spec.INT), _spec.TypeSpec(_spec.STRING)
    old = _spec.ClassSpec(
        name="C",
        parent="RefCounted",
        python_class=object,
        methods=(method("kept"), method("removed"), method("retyped", _spec.ArgSpec("x", int_type))),
        properties=(_spec.PropertySpec("p", int_type, "set_p", "get_p"), _spec.PropertySpec("q", int_type, "", "")),
        signals=(_spec.SignalSpec("s"),),
        constants=(_spec.ConstantSpec("A", 1),),
    )
    new = _spec.ClassSpec(
        name="C",
        parent="RefCounted",
        python_class=object,
        methods=(method("kept"), method("added"), method("retyped", _spec.ArgSpec("x", str_type))),
        signals=(_spec.SignalSpec("s"), _spec.SignalSpec("t")),
        constants=(_spec.ConstantSpec("A", 2),),
        properties=(_spec.PropertySpec("p", str_type, "set_p", "get_p"), _spec.PropertySpec("r", int_type, "", "")),
    )
    bound = _reload.Bound.of(old)
    update, overrides, stale = _reload.engine_update(bound, new)
    assert [m.name for m in update.methods] == ["kept", "added", "retyped"]  # the bridge marks `removed`
    assert [s.name for s in update.signals] == ["t"] and [p.name for p in update.properties] == ["r"]
    assert update.constants == ()
    assert overrides == {"p": str_type, "q": None}  # re-typed, removed
    assert stale == {
        "removed property": ["q"],
        "re-typed property": ["p"],  # its accessors set_p/get_p are not named again
        "removed method": ["removed()"],
        "changed signature": ["retyped()"],
        "constant": ["A"],
    }
    text = _reload.stale_warning("C", stale)
    assert "removed methods stay bound and a call reports the removal: removed()" in text
    assert "re-typed properties are edited as the new type (ClassDB lists the old one): p" in text
    bound.add(update)
    assert set(bound.methods) == {"kept", "removed", "retyped", "added"}  # what ClassDB holds now
    assert bound.methods["retyped"].args[0].type == int_type  # as first bound


def test_a_changed_default_value_is_not_a_new_signature():
    def function(self, x=1):
        return x

    int_type = _spec.TypeSpec(_spec.INT)
    one = _spec.MethodSpec("m", function, (_spec.ArgSpec("x", int_type, True, 1),))
    two = _spec.MethodSpec("m", function, (_spec.ArgSpec("x", int_type, True, 2),))
    assert _reload.signature(one) == _reload.signature(two)


def write(path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return str(path)


def test_a_saved_submodule_runs_with_its_importers_dependencies_first(tmp_path):
    write(tmp_path / "pkg" / "__init__.py", "from .things import Thing\nfrom . import shapes\n")
    write(tmp_path / "pkg" / "base.py", "VALUE = 1\n")
    saved = write(tmp_path / "pkg" / "base.py", "VALUE = 2\n")
    write(tmp_path / "pkg" / "things.py", "from .base import VALUE\nclass Thing: pass\n")
    write(tmp_path / "pkg" / "shapes" / "__init__.py", "import pkg.base\n")
    write(tmp_path / "pkg" / "alone.py", "X = 1\n")
    loaded = {"pkg", "pkg.base", "pkg.things", "pkg.shapes", "pkg.alone"}
    order = _reload.reload_order(str(tmp_path), "pkg", [saved], loaded)
    assert order.index("pkg.base") < order.index("pkg.things") < order.index("pkg")
    assert order.index("pkg.shapes") < order.index("pkg")
    assert "pkg.alone" not in order  # imports nothing that changed
    # __init__ alone: only the package runs (no submodule imports names from it)
    assert _reload.reload_order(str(tmp_path), "pkg", [str(tmp_path / "pkg" / "__init__.py")], loaded) == ["pkg"]
    # a saved file nothing has imported yet: the package runs (its import may be new)
    new = write(tmp_path / "pkg" / "fresh.py", "Y = 1\n")
    assert _reload.reload_order(str(tmp_path), "pkg", [new], loaded) == ["pkg"]


def test_watcher_names_the_saved_files_of_a_package(tmp_path):
    write(tmp_path / "pkg" / "__init__.py", "")
    write(tmp_path / "pkg" / "a.py", "x = 1\n")
    now = [0.0]
    watcher = _reload.Watcher(str(tmp_path), interval=0.25, clock=lambda: now[0])
    (tmp_path / "pkg" / "a.py").write_text("x = 22\n")
    now[0] = 1.0
    assert watcher.changes() == {"pkg": [str(tmp_path / "pkg" / "a.py")]}


def test_enabled_only_in_the_editor_and_debug_builds():
    assert _reload.enabled({}, None, in_editor=False, debug_build=True)
    assert _reload.enabled({}, None, in_editor=True, debug_build=True)
    assert not _reload.enabled({}, None, in_editor=False, debug_build=False)  # a release export
    assert not _reload.enabled({"GODOT_PYTHON_HOT_RELOAD": "0"}, None, in_editor=True, debug_build=True)
    assert not _reload.enabled({}, False, in_editor=False, debug_build=True)
