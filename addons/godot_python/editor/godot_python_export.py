"""The editor side of the addon: an EditorPlugin that adds the export plugin.

Loaded by godot._loader at the editor's initialisation level (editor builds only; export
templates never see this folder). `GodotPythonEditorPlugin` is handed to the editor with
`editor_add_plugin`, so the editor creates it like any extension's plugin, without a
plugin.cfg; its `_enter_tree` adds `GodotPythonExportPlugin`.

The export plugin, on every Linux export (Project > Export, or `godot --export-release`):
lays out `godot_python/` (runtime, the addon's and the project's Python, compiled; the
project's packages) in the editor's cache with godot_export.stage, and hands it to the
export as a shared object, which Godot copies next to the game's executable. PCK/ZIP-only
exports leave shared objects out, as they do for every extension's libraries.

Export options it adds to every preset (Project > Export > Options):
    godot_python/include_sources   (default on) ship the .py files beside their bytecode;
                                   off: bytecode only, for closed-source games.
"""

from __future__ import annotations

import os
import shutil
import time

import _godot
import godot
from godot import EditorExportPlugin, EditorPlugin, _layout
from godot_export import stage

OPTION_INCLUDE_SOURCES = "godot_python/include_sources"
PLUGIN_NAME = "GodotPython"
STAGE_FOLDER = "res://.godot/godot_python/export"
SUPPORTED_FEATURE = "linux"
TYPE_BOOL = 1  # Variant.Type.TYPE_BOOL


def _globalize(res_path: str) -> str:
    return _godot.singleton("ProjectSettings").call("globalize_path", res_path)


def _addon_dir() -> str:
    return _globalize("res://addons/" + _layout.ADDON_NAME)


def _remove_previous_export(export_dir: str) -> None:
    """An earlier export's godot_python/ would keep files this one no longer has; only a
    folder the export itself wrote (it has the marker) is removed."""
    previous = os.path.join(export_dir, _layout.ADDON_NAME)
    if os.path.isfile(os.path.join(previous, _layout.EXPORT_MARKER)):
        shutil.rmtree(previous)


class GodotPythonExportPlugin(EditorExportPlugin):
    """Puts the Python runtime, the Python classes and the project's packages next to an
    exported Linux game."""

    def _get_name(self) -> str:
        return PLUGIN_NAME

    def _supports_platform(self, platform) -> bool:
        return True

    def _get_export_options(self, platform) -> list:
        return [
            {
                "option": {"name": OPTION_INCLUDE_SOURCES, "type": TYPE_BOOL},
                "default_value": True,
            }
        ]

    def _export_begin(self, features, is_debug, path, flags) -> None:
        if SUPPORTED_FEATURE not in list(features):
            godot.push_warning(
                f"Godot Python: exports for {', '.join(features)} do not carry Python yet "
                "(Linux only); the game's Python classes will be missing."
            )
            return
        started = time.monotonic()
        include_sources = self.get_option(OPTION_INCLUDE_SOURCES)
        options = stage.StageOptions(
            include_sources=True if include_sources is None else bool(include_sources), debug=bool(is_debug)
        )
        _remove_previous_export(os.path.dirname(_globalize(path) if path.startswith("res://") else path))
        staging = _globalize(STAGE_FOLDER)
        report = stage.stage(_addon_dir(), _globalize("res://"), staging, options)
        if not report.runtime:
            godot.push_warning(
                "Godot Python: the addon has no runtime/ folder; the exported game will "
                "need a Python on the player's machine."
            )
        self.add_shared_object(report.folder, [], "")
        godot.print(
            f"Godot Python: export staged {report.compiled} modules, {report.copied} files "
            f"({'with' if options.include_sources else 'without'} sources) in "
            f"{time.monotonic() - started:.1f} s"
        )


class GodotPythonEditorPlugin(EditorPlugin):
    """Adds the export plugin while the editor runs."""

    def _enter_tree(self) -> None:
        self._export_plugin = GodotPythonExportPlugin()
        self.add_export_plugin(self._export_plugin)

    def _exit_tree(self) -> None:
        plugin = getattr(self, "_export_plugin", None)
        if plugin is not None:
            self.remove_export_plugin(plugin)
            self._export_plugin = None
