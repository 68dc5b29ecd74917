"""Shared by the demo's tests: paths, window flags, running Godot on an X display."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path
from typing import Sequence

from harness.godot import GodotRun, godot_binary

REPO = Path(__file__).resolve().parents[2]
DEMO_PROJECT = REPO / "demo_project"
SCREENSHOTS = REPO / "build" / "screenshots"
WINDOW_FLAGS = ["--rendering-driver", "opengl3", "--rendering-method", "gl_compatibility",
                "--audio-driver", "Dummy"]
WINDOW_SIZE = (1280, 800)


def run_window(args: Sequence[str | os.PathLike], display: str | None, timeout: float = 60) -> GodotRun:
    """Godot with `args`, stdout and stderr merged, on `display` (None: no DISPLAY)."""
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    if display:
        env["DISPLAY"] = display
    process = subprocess.Popen([godot_binary(), *map(str, args)], stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                               start_new_session=True)
    try:
        out, _ = process.communicate(timeout=timeout)
        code = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, _ = process.communicate()
        code = None
    return GodotRun(code, out.decode("utf-8", errors="replace"), "")
