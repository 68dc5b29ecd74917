"""Where the Python files of a project are, in the editor and in an exported game.

In the editor (and in runs from it) the files are the project's own:

    res://addons/godot_python/{bin,lib,classes,editor,runtime}   the addon
    res://python/                                                 the project's class modules
    res://python_packages/                                        the project's PyPI packages

An exported game cannot read Python files from inside its `.pck` with Python's own import
machinery, and native packages (numpy) must be real files anyway, so the export writes them
next to the game (docs/decisions/0005-export-layout.md):

    game.x86_64, game.pck, libgodot_python.linux.template_release.x86_64.so
    godot_python/                          the "addon folder" of the export
        export.json                        marks the export layout (written by the export)
        lib/  classes/  runtime/           as in the addon
        res/python/  res/python_packages/  the project's folders, under their res:// names

`res_folder("res://python")` answers for both layouts. Pure functions of the addon folder
the bridge found (the folder above `bin/`, or `godot_python/` beside the exported library).
"""

from __future__ import annotations

import os
from collections.abc import Callable

ADDON_NAME = "godot_python"
ADDON_CLASSES = "classes"  # the addon's classes (PyHTTPClient)
ADDON_EDITOR = "editor"  # the addon's editor-only classes (the export plugin)
ADDON_LIB = "lib"  # godot, godot_http
ADDON_RUNTIME = "runtime"  # the interpreter's home
PROJECT_CLASSES = "res://python"
PROJECT_PACKAGES = "res://python_packages"
EXPORT_MARKER = "export.json"  # present only in an exported game's godot_python/
EXPORT_RES = "res"  # res://X of the project is godot_python/res/X in an export


def is_export(addon_dir: str) -> bool:
    """True when the addon folder is an exported game's godot_python/ folder."""
    return os.path.isfile(os.path.join(addon_dir, EXPORT_MARKER))


def export_res_path(addon_dir: str, res_path: str) -> str:
    """Where an exported game keeps the copy of `res_path` (a res:// folder)."""
    if not res_path.startswith("res://"):
        raise ValueError(f"not a res:// path: {res_path!r}")
    return os.path.join(addon_dir, EXPORT_RES, *res_path[len("res://") :].split("/"))


def res_folder(addon_dir: str, res_path: str, globalize: Callable[[str], str]) -> str:
    """The file-system folder of the project folder `res_path` (e.g. "res://python"):
    the project's own folder (`globalize` is ProjectSettings.globalize_path) or, in an
    exported game, its copy under godot_python/res/."""
    if is_export(addon_dir):
        return export_res_path(addon_dir, res_path)
    return globalize(res_path)
