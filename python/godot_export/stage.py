"""Lays out the `godot_python/` folder an exported game carries next to its executable.

    stage(addon_dir, project_dir, out_parent, options) -> out_parent/godot_python/

What goes in (the layout the bridge and godot/_layout.py expect in an export):

    godot_python/export.json        the marker: the loader switches to the export layout
    godot_python/lib/               the addon's godot, godot_http            (compiled)
    godot_python/classes/           the addon's classes (PyHTTPClient)        (compiled)
    godot_python/res/python/        the project's class modules               (compiled)
    godot_python/res/python_packages/  the project's PyPI packages            (as installed)
    godot_python/runtime/           the interpreter's home, without what a game never
                                    runs (headers, the interpreter program, pip)

"Compiled": every `.py` gets its bytecode, compiled by the interpreter running this code,
which inside Godot is the addon's own runtime, so the bytecode matches the game's Python.
With `include_sources` the `.py` stays and the bytecode goes to `__pycache__/` (tracebacks
show source lines); without it only `name.pyc` stays where `name.py` was (closed-source
games; Python imports such sourceless modules). Either way the bytecode is unchecked-hash:
it never depends on file times, which copies do not keep. Tracebacks name the original
`res://` path.

Nothing here needs Godot; the export plugin (addons/godot_python/editor/) calls it.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import py_compile
import shutil
import sys

from godot import _layout

EXPORT_FORMAT = 1
SKIP_ALWAYS = ("__pycache__", ".godot", ".git")
# Runtime parts a game never uses: C headers, the interpreter program (pip, compileall run
# it in the editor), pip itself. Paths relative to runtime/.
RUNTIME_LEFT_OUT = ("include", "bin", "lib/python3/dist-packages/pip", "lib/python3/dist-packages/pip-")
PACKAGES_LEFT_OUT = ("bin",)  # console-script launchers pointing at the editor's interpreter


class StageError(RuntimeError):
    """The export cannot lay out the Python files (the message says what is missing)."""


@dataclasses.dataclass(frozen=True)
class StageOptions:
    include_sources: bool = True  # False: bytecode only (closed-source games)
    debug: bool = False  # recorded in export.json


@dataclasses.dataclass
class StageReport:
    folder: str
    compiled: int = 0
    copied: int = 0
    runtime: bool = False
    packages: bool = False


def _compile(source: str, target: str, display_name: str) -> None:
    py_compile.compile(
        source,
        cfile=target,
        dfile=display_name,
        doraise=True,
        invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
    )


def _cache_name(folder: str, stem: str) -> str:
    return os.path.join(folder, "__pycache__", f"{stem}.{sys.implementation.cache_tag}.pyc")


def copy_compiled(
    source_dir: str, target_dir: str, display_root: str, include_sources: bool, report: StageReport
) -> None:
    """Copies a tree of Python modules, compiling every `.py` (see the module docstring).
    `display_root` is what tracebacks show instead of `source_dir` (e.g. "res://python")."""
    for root, dirs, files in os.walk(source_dir):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_ALWAYS and not d.startswith("."))
        rel = os.path.relpath(root, source_dir)
        out = target_dir if rel == "." else os.path.join(target_dir, rel)
        os.makedirs(out, exist_ok=True)
        for name in sorted(files):
            source = os.path.join(root, name)
            stem, suffix = os.path.splitext(name)
            if suffix == ".pyc" or name.startswith("."):
                continue
            if suffix != ".py":
                shutil.copyfile(source, os.path.join(out, name))
                report.copied += 1
                continue
            display = display_root if rel == "." else f"{display_root}/{rel.replace(os.sep, '/')}"
            display = f"{display}/{name}"
            if include_sources:
                shutil.copyfile(source, os.path.join(out, name))
                _compile(source, _cache_name(out, stem), display)
            else:
                _compile(source, os.path.join(out, stem + ".pyc"), display)
            report.compiled += 1


PYC_FLAGS_OFFSET = 4  # PEP 552: magic number, then a 32-bit flags field
PYC_UNCHECKED_HASH = 0b01  # hash-based, source not checked


def _is_unchecked_hash_pyc(path: str) -> bool:
    try:
        with open(path, "rb") as pyc:
            header = pyc.read(PYC_FLAGS_OFFSET + 4)
    except OSError:
        return False
    return (
        len(header) == PYC_FLAGS_OFFSET + 4
        and header[:4] == importlib.util.MAGIC_NUMBER
        and int.from_bytes(header[PYC_FLAGS_OFFSET:], "little") == PYC_UNCHECKED_HASH
    )


def compile_packages(folder: str, display_root: str, report: StageReport) -> None:
    """Bytecode for every module of the project's packages that does not depend on file
    times: pip writes timestamp-checked .pyc, and an export's copy does not keep the times,
    so the game would recompile them on every start (or fail to, in a read-only folder)."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in files:
            if not name.endswith(".py"):
                continue
            cache = _cache_name(root, name[:-3])
            if not _is_unchecked_hash_pyc(cache):
                try:
                    rel = os.path.relpath(os.path.join(root, name), folder).replace(os.sep, "/")
                    _compile(os.path.join(root, name), cache, f"{display_root}/{rel}")
                    report.compiled += 1
                except py_compile.PyCompileError:
                    pass  # a package's templates or Python 2 leftovers: pip would not import them either


def _left_out(rel: str, prefixes: tuple[str, ...]) -> bool:
    rel = rel.replace(os.sep, "/")
    return any(rel == p or rel.startswith(p + "/") or (p.endswith("-") and rel.startswith(p)) for p in prefixes)


def copy_tree(source_dir: str, target_dir: str, left_out: tuple[str, ...] = ()) -> int:
    """Copies a tree as it is (symlinks kept), except the `left_out` relative paths."""
    count = 0
    for root, dirs, files in os.walk(source_dir):
        rel_root = os.path.relpath(root, source_dir)
        dirs[:] = sorted(d for d in dirs if not _left_out(os.path.normpath(os.path.join(rel_root, d)), left_out))
        out = target_dir if rel_root == "." else os.path.join(target_dir, rel_root)
        os.makedirs(out, exist_ok=True)
        for name in files:
            rel = os.path.normpath(os.path.join(rel_root, name))
            if _left_out(rel, left_out):
                continue
            source, target = os.path.join(root, name), os.path.join(out, name)
            if os.path.islink(source):
                os.symlink(os.readlink(source), target)
            else:
                shutil.copy2(source, target)
            count += 1
    return count


def stage(addon_dir: str, project_dir: str, out_parent: str, options: StageOptions) -> StageReport:
    """Writes out_parent/godot_python/ (replacing an earlier one) for an export of the
    project at `project_dir` (its file-system folder) with the addon at `addon_dir`."""
    lib = os.path.join(addon_dir, _layout.ADDON_LIB)
    if not os.path.isdir(os.path.join(lib, "godot")):
        raise StageError(f"the addon at {addon_dir} has no lib/godot: build or reinstall the addon")
    folder = os.path.join(out_parent, _layout.ADDON_NAME)
    if os.path.isdir(folder):
        shutil.rmtree(folder)
    os.makedirs(folder)
    report = StageReport(folder)
    res_addon = "res://addons/" + _layout.ADDON_NAME
    copy_compiled(
        lib,
        os.path.join(folder, _layout.ADDON_LIB),
        f"{res_addon}/{_layout.ADDON_LIB}",
        options.include_sources,
        report,
    )
    classes = os.path.join(addon_dir, _layout.ADDON_CLASSES)
    if os.path.isdir(classes):
        copy_compiled(
            classes,
            os.path.join(folder, _layout.ADDON_CLASSES),
            f"{res_addon}/{_layout.ADDON_CLASSES}",
            options.include_sources,
            report,
        )
    project_classes = os.path.join(project_dir, _res_rel(_layout.PROJECT_CLASSES))
    if os.path.isdir(project_classes):
        copy_compiled(
            project_classes,
            _layout.export_res_path(folder, _layout.PROJECT_CLASSES),
            _layout.PROJECT_CLASSES,
            options.include_sources,
            report,
        )
    packages = os.path.join(project_dir, _res_rel(_layout.PROJECT_PACKAGES))
    if os.path.isdir(packages):
        shipped_packages = _layout.export_res_path(folder, _layout.PROJECT_PACKAGES)
        report.copied += copy_tree(packages, shipped_packages, PACKAGES_LEFT_OUT)
        compile_packages(shipped_packages, _layout.PROJECT_PACKAGES, report)
        report.packages = True
    runtime = os.path.join(addon_dir, _layout.ADDON_RUNTIME)
    if os.path.isdir(runtime):
        report.copied += copy_tree(runtime, os.path.join(folder, _layout.ADDON_RUNTIME), RUNTIME_LEFT_OUT)
        report.runtime = True
    marker = {
        "format": EXPORT_FORMAT,
        "debug": options.debug,
        "sources": options.include_sources,
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
    }
    with open(os.path.join(folder, _layout.EXPORT_MARKER), "w", encoding="utf-8") as out:
        json.dump(marker, out, indent=1)
    return report


def _res_rel(res_path: str) -> str:
    return res_path[len("res://") :]
