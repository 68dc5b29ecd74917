"""Hot reload: a class module saved under res://python runs its new code within a second.

On in the editor and in debug runs, never in release builds; GODOT_PYTHON_HOT_RELOAD=0 or the
project setting `godot_python/hot_reload = false` turns it off. The bridge calls `poll()` once
a frame on the main thread (`_godot.set_frame_hook`); every POLL_INTERVAL seconds it compares the
modification times of the project's top-level modules and packages with what was loaded.

Reloading module M (`reload_module`):

1. M's new source runs as a fresh module object. If it raises (a syntax error, an exception at
   import, a class the registration API refuses), the traceback is reported and NOTHING changes:
   the previous module, its classes and their ClassDB entries keep working.
2. Each class of the new version whose Godot name was registered before is merged into the old
   class object: its attributes replace the old ones (the `__class__` cell that zero-argument
   `super()` uses is pointed at the old class), and the new module's name is bound to the old
   class. The class object keeps its identity, so live instances run the new methods with their
   state (their `__dict__`) untouched, and other modules' references and subclasses follow.
3. The engine side follows (`_godot.update_class`): methods get their new function, new methods,
   properties, signals and constants are added, virtual overrides are looked up again, the help
   page is reloaded. ClassDB cannot drop or re-type a member of a class that has live objects:
   a removed method raises when called, and a removed or re-typed member is reported as needing
   a restart. A class that is new in the module is registered like at start-up.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import sys
import time
import types
from collections.abc import Callable
from typing import Any

from godot import _register, _spec
from godot._members import Property, Signal

POLL_INTERVAL = 0.25  # seconds between looks at the files (a save is picked up within a second)
ENV_ENABLE = "GODOT_PYTHON_HOT_RELOAD"  # "0": off
ENV_INTERVAL = "GODOT_PYTHON_RELOAD_INTERVAL"  # seconds, for tests
SETTING_ENABLE = "godot_python/hot_reload"
MODULE_SUFFIX = ".py"
PACKAGE_INIT = "__init__.py"
_NOT_COPIED = frozenset({"__dict__", "__weakref__"})


# --- which files changed ----------------------------------------------------------------------


def module_files(folder: str) -> dict[str, list[str]]:
    """Top-level module name -> its source files (a package: every .py file in it)."""
    found: dict[str, list[str]] = {}
    try:
        entries = sorted(os.listdir(folder))
    except OSError:
        return found
    for entry in entries:
        if entry.startswith(("_", ".")):
            continue
        path = os.path.join(folder, entry)
        if entry.endswith(MODULE_SUFFIX) and entry[: -len(MODULE_SUFFIX)].isidentifier() and os.path.isfile(path):
            found[entry[: -len(MODULE_SUFFIX)]] = [path]
        elif os.path.isfile(os.path.join(path, PACKAGE_INIT)) and entry.isidentifier():
            found[entry] = [
                os.path.join(root, f) for root, _, files in os.walk(path) for f in files if f.endswith(MODULE_SUFFIX)
            ]
    return found


def _stamp(paths: list[str]) -> tuple[tuple[str, int, int], ...]:
    stamps = []
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            continue
        stamps.append((path, info.st_mtime_ns, info.st_size))
    return tuple(sorted(stamps))


class Watcher:
    """Tells which modules of a folder changed (or appeared) since the last look."""

    def __init__(
        self, folder: str, interval: float = POLL_INTERVAL, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.folder = folder
        self.interval = interval
        self.clock = clock
        self.next_look = clock() + interval
        self.stamps = {name: _stamp(paths) for name, paths in module_files(folder).items()}

    def changed(self) -> list[str]:
        now = self.clock()
        if now < self.next_look:
            return []
        self.next_look = now + self.interval
        current = {name: _stamp(paths) for name, paths in module_files(self.folder).items()}
        names = [name for name, stamp in current.items() if stamp and self.stamps.get(name) != stamp]
        self.stamps = current
        return names


# --- merging a new class version into the old class ---------------------------------------------


def _functions_of(value: Any) -> list[types.FunctionType]:
    if isinstance(value, (staticmethod, classmethod)):
        value = value.__func__
    if isinstance(value, property):
        return [f for f in (value.fget, value.fset, value.fdel) if isinstance(f, types.FunctionType)]
    return [value] if isinstance(value, types.FunctionType) else []


def _point_class_cell(value: Any, new: type, old: type) -> None:
    """Zero-argument super() reads the `__class__` cell the class statement filled with `new`."""
    for function in _functions_of(value):
        if "__class__" in function.__code__.co_freevars and function.__closure__:
            cell = function.__closure__[function.__code__.co_freevars.index("__class__")]
            if cell.cell_contents is new:
                cell.cell_contents = old


def merge_class(old: type, new: type) -> None:
    """Make `old` the new version: its attributes become `new`'s (old-only ones are removed)."""
    for key, value in vars(new).items():
        if key in _NOT_COPIED:
            continue
        _point_class_cell(value, new, old)
        setattr(old, key, value)
        if isinstance(value, (Property, Signal)):
            value.__set_name__(old, key)
    for key in [k for k in vars(old) if k not in vars(new) and k not in _NOT_COPIED]:
        delattr(old, key)


# --- what the engine side must do -----------------------------------------------------------------


def _removed_method(class_name: str, method_name: str) -> Callable[..., Any]:
    def removed(*args: Any) -> Any:
        raise AttributeError(
            f"{class_name}.{method_name}() was removed by a hot reload; restart to remove it from ClassDB"
        )

    return removed


def _shape(method: _spec.MethodSpec) -> tuple[Any, ...]:
    return method.args, method.return_type, method.flags


def engine_update(old: _spec.ClassSpec, new: _spec.ClassSpec) -> tuple[_spec.ClassSpec, list[str]]:
    """The spec `_godot.update_class` takes (all methods; only new properties, signals and
    constants), and what ClassDB cannot follow until a restart."""
    stale: list[str] = []
    methods = list(new.methods)
    new_methods = {m.name: m for m in new.methods}
    for method in old.methods:
        if method.name not in new_methods:
            methods.append(dataclasses.replace(method, function=_removed_method(new.name, method.name)))
            stale.append(f"method {method.name}() was removed")
        elif _shape(method) != _shape(new_methods[method.name]):
            stale.append(f"method {method.name}() changed its signature (the new code runs; ClassDB shows the old one)")

    def added(kind: str, before: tuple[Any, ...], after: tuple[Any, ...]) -> tuple[Any, ...]:
        previous = {item.name: item for item in before}
        current = {item.name for item in after}
        stale.extend(f"{kind} {name} was removed" for name in previous if name not in current)
        stale.extend(
            f"{kind} {item.name} changed" for item in after if item.name in previous and item != previous[item.name]
        )
        return tuple(item for item in after if item.name not in previous)

    update = dataclasses.replace(
        new,
        methods=tuple(methods),
        properties=added("property", old.properties, new.properties),
        signals=added("signal", old.signals, new.signals),
        constants=added("constant", old.constants, new.constants),
    )
    if hasattr(new, "virtual_methods"):  # @godot.virtual methods GDScript overrides
        update = dataclasses.replace(
            update, virtual_methods=added("virtual method", old.virtual_methods, new.virtual_methods)
        )
    if new.parent != old.parent:
        stale.append(f"the parent class changed from {old.parent} to {new.parent}")
    return update, stale


# --- reloading a module ---------------------------------------------------------------------------


@dataclasses.dataclass
class Reloader:
    """Reloads the project's class modules; `register` and `report` come from the loader."""

    folder: str
    register: Callable[[list[type]], list[str]]  # brand-new classes, as at start-up
    build: Callable[[type], _spec.ClassSpec]  # the spec the engine gets (docs kept or not)
    specs: dict[str, _spec.ClassSpec]  # Godot name -> the spec registered last
    update_class: Callable[[_spec.ClassSpec], None]
    report_error: Callable[[str, BaseException], None]
    report_warning: Callable[[str], None]
    note: Callable[[str], None]
    reloads: int = 0

    def reload_module(self, name: str) -> bool:
        files = module_files(self.folder).get(name)
        if not files:
            return False
        package = os.path.join(self.folder, name)
        is_package = os.path.isdir(package)
        path = os.path.join(package, PACKAGE_INIT) if is_package else files[0]
        old_module = sys.modules.get(name)
        registry = dict(_register._registry)
        _register.take_pending()
        try:
            locations = [package] if is_package else None
            spec = importlib.util.spec_from_file_location(name, path, submodule_search_locations=locations)
            if spec is None or spec.loader is None:
                raise ImportError(f"cannot load {path}")
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
            classes = list(_register.take_pending())
            plans = [(cls, registry.get(vars(cls)["__godot_name__"])) for cls in classes]
            updates = [(cls, old, self.build(cls)) for cls, old in plans if old is not None and old is not cls]
        except Exception as error:
            if old_module is not None:
                sys.modules[name] = old_module
            else:
                sys.modules.pop(name, None)
            _register._registry.clear()
            _register._registry.update(registry)
            _register.take_pending()
            self.report_error(
                f"Godot Python: reloading the class module '{name}' failed; the previous version keeps running", error
            )
            return False
        self.reloads += 1
        for cls, old, _ in updates:
            merge_class(old, cls)
            if getattr(module, cls.__name__, None) is cls:
                setattr(module, cls.__name__, old)
            _register._registry[vars(old)["__godot_name__"]] = old
        for _, old, _ in updates:
            godot_name = vars(old)["__godot_name__"]
            try:
                spec_now = dataclasses.replace(self.build(old), python_class=old)
                update, stale = engine_update(self.specs[godot_name], spec_now)
                self.update_class(update)
                self.specs[godot_name] = spec_now
            except Exception as error:
                self.report_error(f"Godot Python: updating class {godot_name} after a reload", error)
                continue
            if stale:
                self.report_warning(
                    f"Godot Python: {godot_name} reloaded; until a restart ClassDB keeps the old "
                    f"shape of: " + "; ".join(stale)
                )
        new_classes = [cls for cls, old in plans if old is None]
        registered = self.register(new_classes) if new_classes else []
        defined_now = {vars(cls)["__godot_name__"] for cls in classes}
        gone = [n for n, c in registry.items() if c.__module__ == name and n not in defined_now]
        for godot_name in gone:
            _register._registry[godot_name] = registry[godot_name]
            self.report_warning(
                f"Godot Python: class {godot_name} is no longer in module '{name}'; it stays "
                f"registered (with its last code) until a restart"
            )
        names = [vars(old)["__godot_name__"] for _, old, _ in updates] + registered
        self.note(f"Godot Python: reloaded '{name}' ({', '.join(names) or 'no classes'})")
        return True


class HotReload:
    """The frame hook: looks at the files every interval and reloads what changed."""

    def __init__(self, watcher: Watcher, reloader: Reloader) -> None:
        self.watcher = watcher
        self.reloader = reloader

    def poll(self) -> None:
        for name in self.watcher.changed():
            self.reloader.reload_module(name)


def enabled(environ: dict[str, str], setting: Any, in_editor: bool, debug_build: bool) -> bool:
    """On in the editor and in debug runs unless turned off; never in a release build."""
    if not (debug_build or in_editor):  # a release export
        return False
    if environ.get(ENV_ENABLE, "").strip() in ("0", "false", "no", "off"):
        return False
    return setting is None or bool(setting)


def interval(environ: dict[str, str]) -> float:
    try:
        return max(0.01, float(environ.get(ENV_INTERVAL, POLL_INTERVAL)))
    except ValueError:
        return POLL_INTERVAL
