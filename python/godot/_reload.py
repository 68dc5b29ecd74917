"""Hot reload: a class module saved under res://python runs its new code within a second.

On in the editor and in debug runs, never in release builds; GODOT_PYTHON_HOT_RELOAD=0 or the
project setting `godot_python/hot_reload = false` turns it off. The bridge calls `poll()` once
a frame on the main thread (`_godot.set_frame_hook`); every POLL_INTERVAL seconds it compares the
modification times of the project's top-level modules and packages (each file) with what was
loaded.

Reloading module M (`reload_module`):

1. M's new source runs as a fresh module object. In a package, the saved submodules run, and
   every module of the package that imports one of them (the package's `__init__` included),
   dependencies first (`reload_order`). If one raises (a syntax error, an exception at import,
   a class the registration API refuses), the traceback is reported and NOTHING changes: the
   previous modules, their classes and their ClassDB entries keep working.
2. Each class of the new version whose Godot name was registered before is merged into the old
   class object: its attributes replace the old ones (the `__class__` cell that zero-argument
   `super()` uses is pointed at the old class), and the new modules' names are bound to the old
   class. The class object keeps its identity, so live instances run the new methods with their
   state (their `__dict__`) untouched, and other modules' references and subclasses follow.
3. The engine side follows (`_godot.update_class`): methods get their new function, new methods,
   properties, signals and constants are added, virtual overrides are looked up again, the help
   page is reloaded. ClassDB cannot drop or re-declare a member of a class that has live objects
   (the engine does that only when it reloads a whole extension library, in the editor, by
   unregistering every class: see docs/decisions/0010-hot-reload-in-place.md), so for members
   ClassDB holds already (`Bound`, as first registered): a removed method stays bound and a call
   reports "removed by a hot reload"; a method whose signature changed runs the new code, Variant
   calls by the new signature and typed (compiled) calls converted from the old one; a removed
   property is hidden where an object lists its properties (inspector, saved scenes), a re-typed
   one shows its new type there; signals and constants keep their old declaration. Each of these
   is named in a warning. A class that is new in the module is registered like at start-up.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib.machinery
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
    """Tells which modules of a folder changed (or appeared) since the last look, and which of
    their files."""

    def __init__(
        self, folder: str, interval: float = POLL_INTERVAL, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.folder = folder
        self.interval = interval
        self.clock = clock
        self.next_look = clock() + interval
        self.stamps = {name: _stamp(paths) for name, paths in module_files(folder).items()}

    def changes(self) -> dict[str, list[str]]:
        """Module name -> its files saved (or new) since the last look."""
        now = self.clock()
        if now < self.next_look:
            return {}
        self.next_look = now + self.interval
        current = {name: _stamp(paths) for name, paths in module_files(self.folder).items()}
        found: dict[str, list[str]] = {}
        for name, stamp in current.items():
            before = self.stamps.get(name)
            if stamp and before != stamp:
                found[name] = sorted({path for path, *_ in set(stamp) - set(before or ())})
        self.stamps = current
        return found

    def changed(self) -> list[str]:
        return list(self.changes())


# --- which modules of a package run again, in which order ------------------------------------------


def module_name_of(folder: str, path: str) -> str:
    """`folder/pkg/sub/x.py` -> "pkg.sub.x"; a package's `__init__.py` -> the package's name."""
    parts = os.path.relpath(path, folder)[: -len(MODULE_SUFFIX)].split(os.sep)
    if parts[-1] == PACKAGE_INIT[: -len(MODULE_SUFFIX)]:
        parts.pop()
    return ".".join(parts)


def imports_of(module_name: str, is_package: bool, source: str, known: set[str]) -> set[str]:
    """The modules of `known` that `source` imports (absolute or relative, at any depth)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()  # running it reports the error
    package = module_name if is_package else module_name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            try:
                base = importlib.util.resolve_name("." * node.level + (node.module or ""), package)
            except (ImportError, ValueError):
                continue
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in known else base)
    return found & known


def reload_order(folder: str, package: str, saved: list[str], loaded: set[str]) -> list[str]:
    """The modules of `package` to run again after `saved` files changed: the saved ones that are
    loaded (or the package itself) and every loaded module that imports one of them, directly or
    not; dependencies first (a cycle runs deepest first)."""
    files = {module_name_of(folder, path): path for path in module_files(folder).get(package, [])}
    known = set(files) & (loaded | {package})
    depends: dict[str, set[str]] = {}
    for name in known:
        try:
            with open(files[name], encoding="utf-8") as file:
                source = file.read()
        except (OSError, UnicodeDecodeError):
            source = ""
        is_package = files[name].endswith(os.sep + PACKAGE_INIT)
        depends[name] = imports_of(name, is_package, source, known) - {name}
    run = {module_name_of(folder, path) for path in saved} & known or {package}
    growing = True
    while growing:  # add the importers of what runs
        importers = {name for name, uses in depends.items() if uses & run} - run
        run |= importers
        growing = bool(importers)
    order: list[str] = []
    waiting = sorted(run, key=lambda n: (-n.count("."), n))
    while waiting:
        ready = [n for n in waiting if not (depends[n] & set(waiting))] or waiting[:1]
        order.append(ready[0])
        waiting.remove(ready[0])
    return order


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


@dataclasses.dataclass
class Bound:
    """A class's members as ClassDB holds them: each as first registered (a restart is the only
    way to change or drop one), plus those a reload added."""

    methods: dict[str, _spec.MethodSpec]
    properties: dict[str, _spec.PropertySpec]
    signals: dict[str, _spec.SignalSpec]
    constants: dict[str, _spec.ConstantSpec]
    virtual_methods: dict[str, _spec.MethodSpec]
    parent: str

    @classmethod
    def of(cls, spec: _spec.ClassSpec) -> Bound:
        return cls(
            {m.name: m for m in spec.methods},
            {p.name: p for p in spec.properties},
            {s.name: s for s in spec.signals},
            {c.name: c for c in spec.constants},
            {m.name: m for m in getattr(spec, "virtual_methods", ())},
            spec.parent,
        )

    def add(self, update: _spec.ClassSpec) -> None:
        """Members the update bound (new names only: a bound member never changes)."""
        for method in update.methods:
            self.methods.setdefault(method.name, method)
        for prop in update.properties:
            self.properties.setdefault(prop.name, prop)
        for signal in update.signals:
            self.signals.setdefault(signal.name, signal)
        for constant in update.constants:
            self.constants.setdefault(constant.name, constant)
        for virtual in getattr(update, "virtual_methods", ()):
            self.virtual_methods.setdefault(virtual.name, virtual)


def _type_key(spec: _spec.TypeSpec) -> tuple[Any, ...]:
    if spec.variant_type == _spec.NIL and spec.usage == _spec.USAGE_NONE:
        return ("void",)
    elements = tuple(vt for vt, _ in spec.elements)
    return spec.variant_type, spec.class_name if spec.variant_type == _spec.OBJECT else "", elements


def signature(method: _spec.MethodSpec) -> tuple[Any, ...]:
    """What ClassDB's bind of a method fixes (the bridge compares the same, src/classes.c
    same_signature): argument and return types, static and vararg. Default values are not in it."""
    kind = method.flags & (_spec.METHOD_FLAG_STATIC | _spec.METHOD_FLAG_VARARG)
    return tuple(_type_key(a.type) for a in method.args), _type_key(method.return_type), kind


Overrides = dict[str, "_spec.TypeSpec | None"]


STALE_KINDS = {  # what each kind of difference from ClassDB does until a restart (the warning's parts)
    "removed method": "removed methods stay bound and a call reports the removal",
    "changed signature": (
        "methods with a changed signature run the new code (untyped calls by the new signature, typed "
        "GDScript calls converted from the old one that ClassDB and GDScript's checks keep)"
    ),
    "removed property": "removed properties are hidden from the inspector and saved scenes (ClassDB lists them)",
    "re-typed property": "re-typed properties are edited as the new type (ClassDB lists the old one)",
    "signal": "removed or re-declared signals keep their old declaration",
    "constant": "removed or changed constants keep their old value in ClassDB and GDScript",
    "virtual method": "removed or re-declared virtual methods keep their old declaration",
    "parent": "the parent class stays the old one",
}


def engine_update(bound: Bound, new: _spec.ClassSpec) -> tuple[_spec.ClassSpec, Overrides, dict[str, list[str]]]:
    """What `_godot.update_class` takes: the spec (all methods; only new properties, signals,
    constants and virtual methods) and the property overrides (removed: None, re-typed: the new
    type), and what ClassDB keeps in its old shape until a restart (a STALE_KINDS key -> names)."""
    stale: dict[str, list[str]] = {}
    overrides: Overrides = {}
    properties = {p.name: p for p in new.properties}
    for name, prop in bound.properties.items():
        if name not in properties:
            overrides[name] = None
            stale.setdefault("removed property", []).append(name)
        elif properties[name].type != prop.type:
            overrides[name] = properties[name].type
            stale.setdefault("re-typed property", []).append(name)
    # the accessors of those follow them: not named twice
    accessors = {a for name in overrides for a in (bound.properties[name].setter, bound.properties[name].getter)}
    current = {m.name: m for m in new.methods}
    for name, method in bound.methods.items():
        if name in accessors:
            continue
        if name not in current:
            stale.setdefault("removed method", []).append(f"{name}()")
        elif signature(method) != signature(current[name]):
            stale.setdefault("changed signature", []).append(f"{name}()")

    def added(kind: str, before: dict[str, Any], after: tuple[Any, ...]) -> tuple[Any, ...]:
        now = {item.name: item for item in after}
        differ = [name for name, item in before.items() if now.get(name) != item]
        if differ:
            stale.setdefault(kind, []).extend(differ)
        return tuple(item for item in after if item.name not in before)

    update = dataclasses.replace(
        new,
        properties=tuple(p for p in new.properties if p.name not in bound.properties),
        signals=added("signal", bound.signals, new.signals),
        constants=added("constant", bound.constants, new.constants),
    )
    if hasattr(new, "virtual_methods"):  # @godot.virtual methods GDScript overrides
        update = dataclasses.replace(
            update, virtual_methods=added("virtual method", bound.virtual_methods, new.virtual_methods)
        )
    if new.parent != bound.parent:
        stale["parent"] = [f"{bound.parent} (not {new.parent})"]
    return update, overrides, stale


def stale_warning(godot_name: str, stale: dict[str, list[str]]) -> str:
    parts = [f"{text}: {', '.join(stale[kind])}" for kind, text in STALE_KINDS.items() if kind in stale]
    return (
        f"Godot Python: {godot_name} reloaded; ClassDB cannot drop or re-declare a member of a registered class, "
        f"so until a restart " + "; ".join(parts)
    )


# --- reloading a module ---------------------------------------------------------------------------


_MISSING = object()


class SourceLoader(importlib.machinery.SourceFileLoader):
    """Compiles the file as it is now. The bytecode cache is keyed by the source's modification
    time in whole seconds and its size, so a save of the same size within the same second would
    load the previous version's bytecode."""

    def get_code(self, fullname: str) -> types.CodeType:
        return self.source_to_code(self.get_data(self.path), self.path)


@dataclasses.dataclass
class _Run:
    """The modules one reload ran, and how to put back what was there before."""

    modules: dict[str, types.ModuleType] = dataclasses.field(default_factory=dict)
    previous: dict[str, Any] = dataclasses.field(default_factory=dict)  # sys.modules entries
    attributes: list[tuple[Any, str, Any]] = dataclasses.field(default_factory=list)  # parent, name, value

    def undo(self) -> None:
        for name, module in self.previous.items():
            if module is _MISSING:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
        for parent, child, value in reversed(self.attributes):
            if value is _MISSING:
                parent.__dict__.pop(child, None)
            else:
                setattr(parent, child, value)


@dataclasses.dataclass
class Reloader:
    """Reloads the project's class modules; `register` and `report` come from the loader."""

    folder: str
    register: Callable[[list[type]], list[str]]  # brand-new classes, as at start-up
    build: Callable[[type], _spec.ClassSpec]  # the spec the engine gets (docs kept or not)
    specs: dict[str, _spec.ClassSpec]  # Godot name -> the spec registered last
    update_class: Callable[[_spec.ClassSpec, Overrides], None]
    report_error: Callable[[str, BaseException], None]
    report_warning: Callable[[str], None]
    note: Callable[[str], None]
    reloads: int = 0
    bound: dict[str, Bound] = dataclasses.field(default_factory=dict)  # Godot name -> what ClassDB holds

    def _run_module(self, module_name: str, run: _Run) -> None:
        top = module_name.partition(".")[0]
        package = os.path.join(self.folder, *module_name.split("."))
        is_package = os.path.isfile(os.path.join(package, PACKAGE_INIT))
        path = os.path.join(package, PACKAGE_INIT) if is_package else package + MODULE_SUFFIX
        if module_name != top and not os.path.isfile(path):
            raise ImportError(f"{path} is gone")
        locations = [package] if is_package else None
        spec = importlib.util.spec_from_file_location(
            module_name, path, loader=SourceLoader(module_name, path), submodule_search_locations=locations
        )
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {path}")
        module = importlib.util.module_from_spec(spec)
        run.previous.setdefault(module_name, sys.modules.get(module_name, _MISSING))
        run.modules[module_name] = module
        sys.modules[module_name] = module
        parent_name, _, child = module_name.rpartition(".")
        parent = sys.modules.get(parent_name) if parent_name else None
        if parent is not None:  # `import pkg.sub` then `pkg.sub` finds the new one
            run.attributes.append((parent, child, parent.__dict__.get(child, _MISSING)))
            setattr(parent, child, module)
        spec.loader.exec_module(module)

    def _relink_package(self, name: str) -> None:
        """Each loaded submodule of the package is an attribute of its (maybe new) parent."""
        for module_name in sorted(sys.modules):
            if module_name.startswith(name + "."):
                parent = sys.modules.get(module_name.rpartition(".")[0])
                if parent is not None:
                    setattr(parent, module_name.rpartition(".")[2], sys.modules[module_name])

    def reload_module(self, name: str, saved: list[str] | None = None) -> bool:
        """Runs module `name` again (a package: its `saved` files and their importers)."""
        files = module_files(self.folder).get(name)
        if not files:
            return False
        is_package = os.path.isdir(os.path.join(self.folder, name))
        order = [name]
        if is_package:
            loaded = {n for n in sys.modules if n == name or n.startswith(name + ".")}
            order = reload_order(self.folder, name, saved if saved is not None else [], loaded)
        registry = dict(_register._registry)
        _register.take_pending()
        run = _Run()
        try:
            for module_name in order:
                self._run_module(module_name, run)
            classes = list(_register.take_pending())
            plans = [(cls, registry.get(vars(cls)["__godot_name__"])) for cls in classes]
            updates = [(cls, old, self.build(cls)) for cls, old in plans if old is not None and old is not cls]
        except Exception as error:
            run.undo()
            _register._registry.clear()
            _register._registry.update(registry)
            _register.take_pending()
            self.report_error(
                f"Godot Python: reloading the class module '{', '.join(order)}' failed; the previous version keeps "
                f"running",
                error,
            )
            return False
        self.reloads += 1
        if is_package:
            self._relink_package(name)
        merged = {id(cls): old for cls, old, _ in updates}
        for cls, old, _ in updates:
            merge_class(old, cls)
            _register._registry[vars(old)["__godot_name__"]] = old
        for module in run.modules.values():  # `from .a import C` in a module that ran too
            for key, value in list(vars(module).items()):
                if isinstance(value, type) and id(value) in merged:
                    setattr(module, key, merged[id(value)])
        for _, old, _ in updates:
            self._update_engine(old)
        new_classes = [cls for cls, old in plans if old is None]
        registered = self.register(new_classes) if new_classes else []
        defined_now = {vars(cls)["__godot_name__"] for cls in classes}
        gone = [n for n, c in registry.items() if c.__module__ in run.modules and n not in defined_now]
        for godot_name in gone:
            _register._registry[godot_name] = registry[godot_name]
            self.report_warning(
                f"Godot Python: class {godot_name} is no longer in module '{registry[godot_name].__module__}'; it "
                f"stays registered (with its last code) until a restart"
            )
        names = [vars(old)["__godot_name__"] for _, old, _ in updates] + registered
        self.note(f"Godot Python: reloaded '{', '.join(order)}' ({', '.join(names) or 'no classes'})")
        return True

    def _update_engine(self, cls: type) -> None:
        godot_name = vars(cls)["__godot_name__"]
        try:
            spec_now = dataclasses.replace(self.build(cls), python_class=cls)
            bound = self.bound.setdefault(godot_name, Bound.of(self.specs[godot_name]))
            update, overrides, stale = engine_update(bound, spec_now)
            self.update_class(update, overrides)
            bound.add(update)
            self.specs[godot_name] = spec_now
        except Exception as error:
            self.report_error(f"Godot Python: updating class {godot_name} after a reload", error)
            return
        if stale:
            self.report_warning(stale_warning(godot_name, stale))


class HotReload:
    """The frame hook: looks at the files every interval and reloads what changed."""

    def __init__(self, watcher: Watcher, reloader: Reloader) -> None:
        self.watcher = watcher
        self.reloader = reloader

    def poll(self) -> None:
        for name, saved in self.watcher.changes().items():
            self.reloader.reload_module(name, saved)


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
