"""Finds the Python class modules and registers their classes (called by the bridge).

Discovery is a folder convention, documented in docs/writing-classes.md:

1. `addons/godot_python/classes/`: the classes the addon ships (PyHTTPClient);
2. `res://python/`: the project's own classes.

Every top-level module (`foo.py`) and package (`foo/__init__.py`) in those folders is
imported, in name order; each folder is put on sys.path so modules import each other. A
module that fails to import is reported with its traceback and skipped; the others load.
"""

from __future__ import annotations

import dataclasses
import inspect
import os
import sys
import types

import _godot

from godot._members import Constant, Property, Signal, method_options
from godot._register import GodotClass, build_spec, take_pending

ADDON_CLASSES_FOLDER = "classes"
PROJECT_CLASSES_PATH = "res://python"


def _module_names(folder: str) -> list[str]:
    names = []
    for entry in sorted(os.listdir(folder)):
        path = os.path.join(folder, entry)
        if entry.endswith(".py") and not entry.startswith("_"):
            names.append(entry[:-3])
        elif os.path.isfile(os.path.join(path, "__init__.py")) and not entry.startswith(("_", ".")):
            names.append(entry)
    return names


def register_pending() -> list[str]:
    """Registers every class defined since the last call; returns their Godot names."""
    names = []
    in_editor = _godot.singleton("Engine").call("is_editor_hint")
    for cls in take_pending():
        try:
            spec = build_spec(cls)
            if not in_editor:  # only the editor keeps a help database
                spec = dataclasses.replace(spec, doc_xml="")
            _godot.register_class(spec)
            names.append(cls.__godot_name__)
        except Exception as exc:  # one bad class must not stop the others
            _godot.report_exception(f"Godot Python: registering class {cls.__qualname__}", exc)
    return names


def _declares_godot_members(cls: type) -> bool:
    return any(method_options(value) is not None or isinstance(value, (Property, Signal, Constant))
               for value in vars(cls).values())


def unregistrable_classes(module: types.ModuleType) -> list[type]:
    """Classes defined in `module` that declare Godot members (@method, Property, Signal,
    Constant) but do not derive from a Godot class, so Godot never sees them."""
    return [value for value in vars(module).values()
            if isinstance(value, type) and value.__module__ == module.__name__
            and not issubclass(value, GodotClass) and _declares_godot_members(value)]


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
            f"from one, e.g. class {cls.__name__}(godot.Node) or (godot.RefCounted)")
        _godot.report_exception(
            f"Godot Python: class {cls.__qualname__} is not registered ({getattr(module, '__file__', '?')}:{line})",
            error)


def load_folder(folder: str) -> list[str]:
    if not os.path.isdir(folder):
        return []
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
        registered += register_pending()
    return registered


def project_classes_folder() -> str:
    settings = _godot.singleton("ProjectSettings")
    return settings.call("globalize_path", PROJECT_CLASSES_PATH)


def _report_unraisable(unraisable) -> None:
    """Exceptions Python cannot raise to a caller (in __del__, finalizers, callbacks of
    weak references) go to Godot's error output like every other callback's."""
    where = getattr(unraisable, "err_msg", None) or "Exception ignored"
    _godot.report_exception(f"{where}: {unraisable.object!r}", unraisable.exc_value)


def load_all(addon_dir: str) -> list[str]:
    sys.unraisablehook = _report_unraisable
    registered = load_folder(os.path.join(addon_dir, ADDON_CLASSES_FOLDER))
    registered += load_folder(project_classes_folder())
    return registered


def shutdown() -> None:
    from godot import _engine

    _engine.reset_caches()
