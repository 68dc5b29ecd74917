"""Finds the Python class modules and registers their classes (called by the bridge).

Discovery is a folder convention, documented in docs/writing-classes.md:

1. `addons/godot_python/classes/`: the classes the addon ships (PyHTTPClient);
2. `res://python/`: the project's own classes;
3. `addons/godot_python/editor/`: the addon's editor-only classes (the export plugin),
   at the editor's initialisation level, in editor builds only.

Every top-level module (`foo.py`, or `foo.pyc` alone in a closed-source export) and package
(`foo/__init__.py[c]`) in those folders is imported, in name order; each folder is put on
sys.path so modules import each other. A module that fails to import is reported with its
traceback and skipped; the others load. The project's `res://python_packages/` (PyPI
packages, `tools/pip`) goes on sys.path before the runtime's own packages. Where these
folders are in an exported game: godot/_layout.py.

Classes whose Godot parent does not exist yet (EditorPlugin, EditorExportPlugin and the
other editor classes appear only at the editor level) wait, and register at the editor level
(`load_editor`); an EditorPlugin class is then handed to the editor, which instantiates it.
In an export template there are no editor classes: such classes are left out quietly.
"""

from __future__ import annotations

import dataclasses
import inspect
import os
import sys
import time
import types

import _godot

from godot import _layout
from godot._members import Constant, Property, Signal, method_options
from godot._register import GodotClass, build_spec, take_pending
from godot._spec import ClassSpec

ADDON_CLASSES_FOLDER = _layout.ADDON_CLASSES
PROJECT_CLASSES_PATH = _layout.PROJECT_CLASSES
EDITOR_PLUGIN_BASE = "EditorPlugin"
MODULE_SUFFIXES = (".py", ".pyc")
PACKAGE_INITS = ("__init__.py", "__init__.pyc")

_addon_dir = ""
# When the first class registered, on the clock of /proc/<pid>/stat's start time (seconds
# since boot), so the start-up time of a game can be measured (tests/export).
first_registered_at: float | None = None
_waiting: list[type] = []  # classes whose Godot parent appears at the editor level
_editor_plugins: list[str] = []  # EditorPlugin classes handed to the editor
registered_specs: dict[str, ClassSpec] = {}  # Godot name -> the spec given to the engine (hot reload)


def _module_names(folder: str) -> list[str]:
    names = []
    for entry in sorted(os.listdir(folder)):
        if entry.startswith(("_", ".")):
            continue
        path = os.path.join(folder, entry)
        stem, suffix = os.path.splitext(entry)
        if suffix in MODULE_SUFFIXES and os.path.isfile(path) and stem.isidentifier():
            if stem not in names:  # foo.py and foo.pyc side by side are one module
                names.append(stem)
        elif any(os.path.isfile(os.path.join(path, init)) for init in PACKAGE_INITS):
            names.append(entry)
    return names


def _class_exists(name: str) -> bool:
    return bool(_godot.singleton("ClassDB").call("class_exists", name))


def _note_first_registration() -> None:
    global first_registered_at
    if first_registered_at is None:
        first_registered_at = time.clock_gettime(time.CLOCK_BOOTTIME)


def _icon_exists(path: str) -> bool:
    """Whether an icon= path names a file (the engine itself falls back to the parent class's
    icon without a word). Imported or not yet: a new project's first editor start checks
    before the import."""
    if _godot.singleton("ResourceLoader").call("exists", path):
        return True
    return os.path.isfile(str(_godot.singleton("ProjectSettings").call("globalize_path", path)))


def register_pending() -> list[str]:
    """Registers every class defined since the last call; returns their Godot names.
    A class whose Godot parent is not in ClassDB yet waits for `load_editor`."""
    return _register(list(take_pending()), may_wait=True)


def _register(classes: list[type], may_wait: bool) -> list[str]:
    names = []
    in_editor = _godot.singleton("Engine").call("is_editor_hint")
    for cls in classes:
        try:
            spec = build_spec(cls)
            if may_wait and not _class_exists(spec.parent):
                _waiting.append(cls)
                continue
            if not in_editor:  # only the editor keeps a help database
                spec = dataclasses.replace(spec, doc_xml="")
            elif spec.icon_path and not _icon_exists(spec.icon_path):
                _godot.push_error(
                    f"Godot Python: class {spec.name} ({cls.__module__}.{cls.__qualname__}): its icon "
                    f"{spec.icon_path!r} (icon=) names no file; the editor shows the parent class's icon"
                )
                spec = dataclasses.replace(spec, icon_path="")
            _godot.register_class(spec)
            registered_specs[spec.name] = spec
            names.append(spec.name)
            _note_first_registration()
        except Exception as exc:  # one bad class must not stop the others
            _godot.report_exception(f"Godot Python: registering class {cls.__qualname__}", exc)
    return names


def _declares_godot_members(cls: type) -> bool:
    return any(
        method_options(value) is not None or isinstance(value, (Property, Signal, Constant))
        for value in vars(cls).values()
    )


def unregistrable_classes(module: types.ModuleType) -> list[type]:
    """Classes defined in `module` that declare Godot members (@method, Property, Signal,
    Constant) but do not derive from a Godot class, so Godot never sees them."""
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and value.__module__ == module.__name__
        and not issubclass(value, GodotClass)
        and _declares_godot_members(value)
    ]


def _report_unregistrable(module: types.ModuleType) -> None:
    for cls in unregistrable_classes(module):
        try:
            line = inspect.getsourcelines(cls)[1]
        except (OSError, TypeError):
            line = 0
        bases = ", ".join(base.__name__ for base in cls.__bases__)
        error = TypeError(
            f"class {cls.__module__}.{cls.__qualname__}({bases}) declares Godot methods, properties or "
            f"signals but does not derive from a Godot class, so Godot does not see it: derive it "
            f"from one, e.g. class {cls.__name__}(godot.Node) or (godot.RefCounted)"
        )
        _godot.report_exception(
            f"Godot Python: class {cls.__qualname__} is not registered ({getattr(module, '__file__', '?')}:{line})",
            error,
        )


def load_folder(folder: str) -> list[str]:
    if not os.path.isdir(folder):
        return []
    return _load_modules(folder, may_wait=True)


def _load_modules(folder: str, may_wait: bool) -> list[str]:
    if folder not in sys.path:
        sys.path.insert(1, folder)
    registered = []
    for name in _module_names(folder):
        try:
            __import__(name)
        except Exception as exc:
            _godot.report_exception(f"Godot Python: importing the class module '{name}' ({folder})", exc)
        else:
            _report_unregistrable(sys.modules[name])
        registered += _register(list(take_pending()), may_wait)
    return registered


def _globalize(res_path: str) -> str:
    return str(_godot.singleton("ProjectSettings").call("globalize_path", res_path))


def project_folder(res_path: str) -> str:
    """The file-system folder of a project folder (res://python, res://python_packages)."""
    return _layout.res_folder(_addon_dir, res_path, _globalize)


def project_classes_folder() -> str:
    return project_folder(PROJECT_CLASSES_PATH)


def add_project_packages() -> str:
    """Puts res://python_packages on sys.path, before the runtime's own packages (so a
    project's newer certifi wins) and after the standard library."""
    folder = project_folder(_layout.PROJECT_PACKAGES)
    if folder in sys.path:
        return folder
    runtime_packages = [i for i, p in enumerate(sys.path) if p.endswith(("dist-packages", "site-packages"))]
    sys.path.insert(runtime_packages[0] if runtime_packages else len(sys.path), folder)
    return folder


def _report_unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    """Exceptions Python cannot raise to a caller (in __del__, finalizers, callbacks of
    weak references) go to Godot's error output like every other callback's."""
    where = getattr(unraisable, "err_msg", None) or "Exception ignored"
    _godot.report_exception(f"{where}: {unraisable.object!r}", unraisable.exc_value)


def load_all(addon_dir: str) -> list[str]:
    global _addon_dir
    _addon_dir = addon_dir
    sys.unraisablehook = _report_unraisable
    from godot import _debugger

    _debugger.start_if_requested(addon_dir)  # before any class module, so breakpoints there hold
    add_project_packages()
    registered = load_folder(os.path.join(addon_dir, ADDON_CLASSES_FOLDER))
    registered += load_folder(project_classes_folder())
    _start_hot_reload(project_classes_folder())
    return registered


def _engine_spec(cls: type) -> ClassSpec:
    spec = build_spec(cls)
    return spec if _godot.singleton("Engine").call("is_editor_hint") else dataclasses.replace(spec, doc_xml="")


def _start_hot_reload(folder: str) -> None:
    """Editor and debug runs: reload a class module of `folder` when it is saved (godot/_reload.py)."""
    from godot import _reload

    engine = _godot.singleton("Engine")
    setting = _godot.singleton("ProjectSettings").call("get_setting", _reload.SETTING_ENABLE, None)
    debug_build = bool(_godot.singleton("OS").call("is_debug_build"))
    in_editor = bool(engine.call("is_editor_hint"))
    if not os.path.isdir(folder) or not _reload.enabled(dict(os.environ), setting, in_editor, debug_build):
        return
    reloader = _reload.Reloader(
        folder=folder,
        register=lambda classes: _register(classes, may_wait=False),
        build=_engine_spec,
        specs=registered_specs,
        update_class=_godot.update_class,
        report_error=_godot.report_exception,
        report_warning=_godot.push_warning,
        note=_godot.print,
    )
    hot = _reload.HotReload(_reload.Watcher(folder, _reload.interval(dict(os.environ))), reloader)
    _godot.set_frame_hook(hot.poll)


def load_editor() -> list[str]:
    """At the editor level (editor builds only): the classes that waited for editor
    classes, then the addon's editor/ folder; EditorPlugin classes go to the editor."""
    waiting = list(_waiting)
    _waiting.clear()
    registered = _register(waiting, may_wait=False)
    if _addon_dir:
        folder = os.path.join(_addon_dir, _layout.ADDON_EDITOR)
        if os.path.isdir(folder):
            registered += _load_modules(folder, may_wait=False)
    db = _godot.singleton("ClassDB")
    for name in registered:
        if db.call("is_parent_class", name, EDITOR_PLUGIN_BASE) and _godot.editor_add_plugin(name):
            _editor_plugins.append(name)
    return registered


def unload_editor() -> None:
    """At the editor level's end: the editor forgets the Python EditorPlugin classes."""
    while _editor_plugins:
        _godot.editor_remove_plugin(_editor_plugins.pop())


def shutdown() -> None:
    import godot
    from godot import _engine

    godot.unregister_singletons()  # before their objects go

    _engine.reset_caches()
