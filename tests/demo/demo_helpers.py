"""Shared by the demo's tests: paths, window flags, running Godot on an X display."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Sequence
from pathlib import Path

from harness.godot import GodotRun, godot_binary

REPO = Path(__file__).resolve().parents[2]
DEMO_PROJECT = REPO / "demo_project"
SCREENSHOTS = REPO / "build" / "screenshots"
WINDOW_FLAGS = ["--rendering-driver", "opengl3", "--rendering-method", "gl_compatibility", "--audio-driver", "Dummy"]
WINDOW_SIZE = (1280, 800)
EXTENSION = "res://addons/godot_python/godot_python.gdextension"


def run_window(args: Sequence[str | os.PathLike], display: str | None, timeout: float = 60) -> GodotRun:
    """Godot with `args`, stdout and stderr merged, on `display` (None: no DISPLAY)."""
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    if display:
        env["DISPLAY"] = display
    process = subprocess.Popen(
        [godot_binary(), *map(str, args)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    try:
        out, _ = process.communicate(timeout=timeout)
        code = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, _ = process.communicate()
        code = None
    return GodotRun(code, out.decode("utf-8", errors="replace"), "")


def project_copy(tmp_path: Path, plugin: Path | None = None) -> Path:
    """A fresh copy of demo_project as a clone has it (no .godot/ but the extension list that
    the build writes, see docs/decisions/0003), the addon linked in, and optionally one
    editor plugin copied into addons/ and enabled."""
    project = tmp_path / "demo_copy"
    shutil.copytree(DEMO_PROJECT, project, ignore=shutil.ignore_patterns(".godot", "addons", ".scratch"))
    (project / "addons").mkdir()
    os.symlink(REPO / "addons" / "godot_python", project / "addons" / "godot_python")
    (project / ".godot").mkdir()
    (project / ".godot" / "extension_list.cfg").write_text(EXTENSION + "\n")
    if plugin is not None:
        shutil.copytree(plugin, project / "addons" / plugin.name)
        settings = project / "project.godot"
        settings.write_text(
            settings.read_text() + "\n[editor_plugins]\n\n"
            f'enabled=PackedStringArray("res://addons/{plugin.name}/plugin.cfg")\n'
        )
    return project
