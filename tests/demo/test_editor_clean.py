"""Opening demo_project in the editor prints no error or warning from the project or addon.

The editor opens a fresh copy of the project (as a new clone has it: first scan and
import included) with main.tscn open, so the Python classes load, the ActivitySpinner
node is created in the editor and every script is parsed; once headless, once in a real
window under Xvfb. Any `ERROR:`, `WARNING:`, `SCRIPT ERROR`, Python traceback or Unicode
parsing error fails the test, except the few lines the machine itself causes (named in
ENVIRONMENT_LINES with the reason), which come from the engine's platform and driver code.
"""

from __future__ import annotations

import re

import pytest
from demo_helpers import WINDOW_FLAGS, project_copy, run_window

pytestmark = [pytest.mark.godot, pytest.mark.slow]

PROBLEM = re.compile(
    r"^(USER )?(ERROR|WARNING|SCRIPT ERROR)|Traceback \(most recent call last\)|"
    r"Unicode parsing error|Leaked instance|ObjectDB instances leaked"
)
# (where the line comes from: its `at:` location, why it is the machine's and not ours)
ENVIRONMENT_LINES = (
    ("platform/linuxbsd/x11/gl_manager_x11.cpp", "llvmpipe under Xvfb cannot change V-Sync"),
    (
        "drivers/vulkan/rendering_context_driver_vulkan.cpp",
        "no Vulkan under Xvfb; the editor probes it once and keeps OpenGL (see the shared godot-env notes)",
    ),
    ("platform/linuxbsd/freedesktop_portal_desktop.cpp", "no D-Bus machine id in the sysroot"),
)
QUIT_AFTER_FRAMES = "300"


def problem_lines(output: str) -> list[str]:
    lines = output.splitlines()
    problems = []
    for index, line in enumerate(lines):
        if not PROBLEM.search(line):
            continue
        at = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if at.startswith("at:") and any(where in at for where, _ in ENVIRONMENT_LINES):
            continue
        problems.append(f"{line.strip()}  {at}" if at.startswith("at:") else line.strip())
    return problems


def test_problem_lines_catch_project_errors_and_spare_the_machine():
    output = (
        "WARNING: Could not set V-Sync mode\n     at: set_use_vsync (platform/linuxbsd/x11/gl_manager_x11.cpp:364)\n"
        "ERROR: Required extension VK_KHR_surface not found.\n   at: _initialize_instance_extensions "
        "(drivers/vulkan/rendering_context_driver_vulkan.cpp:487)\n"
        "SCRIPT ERROR: Parse Error: x\n   at: GDScript::reload (res://main.gd:3)\n"
        "ERROR: Godot Python: importing the class module 'activity_spinner'\n   at: import (godot/_loader.py:60)\n"
        "WARNING: res://main.gd:10 - unused variable\n"
    )
    found = problem_lines(output)
    assert len(found) == 3, found
    assert found[0].startswith("SCRIPT ERROR") and "activity_spinner" in found[1]


def _open_in_editor(tmp_path, display, *extra):
    project = project_copy(tmp_path)
    run = run_window(
        ["--editor", "--path", project, *extra, "--quit-after", QUIT_AFTER_FRAMES, "res://main.tscn"],
        display,
        timeout=90,
    )
    assert run.exit_code == 0, f"the editor ended with {run.exit_code}:\n{run.output[-3000:]}"
    return run


def test_editor_opens_demo_project_headless_without_errors_or_warnings(demo_project, tmp_path):
    run = _open_in_editor(tmp_path, None, "--headless")
    assert problem_lines(run.output) == [], run.output[-4000:]


def test_editor_opens_demo_project_in_a_window_without_errors_or_warnings(demo_project, xvfb_display, tmp_path):
    run = _open_in_editor(tmp_path, xvfb_display, *WINDOW_FLAGS)
    assert "OpenGL API" in run.output  # it really rendered
    assert problem_lines(run.output) == [], run.output[-4000:]
