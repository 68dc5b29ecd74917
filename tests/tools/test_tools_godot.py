"""tools/godot passes its arguments through and keeps Godot's exit code; tools/run runs a
command where the project builds and tests, from the caller's folder."""

from __future__ import annotations

import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_tools_godot_keeps_the_exit_code_and_takes_repository_paths(godot_project):
    script = godot_project / ".scratch" / "exit_code.gd"
    script.parent.mkdir(exist_ok=True)
    script.write_text("extends SceneTree\n\nfunc _initialize():\n\tprint('args ok')\n\tquit(3)\n")
    try:
        run = subprocess.run(
            [
                str(REPO / "tools" / "godot"),
                "--headless",
                "--path",
                str(godot_project),
                "--script",
                "res://.scratch/exit_code.gd",
            ],
            cwd=REPO / "tests",
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        script.unlink(missing_ok=True)
    assert run.returncode == 3, run.stdout + run.stderr
    assert "args ok" in run.stdout


def test_tools_godot_version_is_4_3_or_newer():
    run = subprocess.run([str(REPO / "tools" / "godot"), "--version"], capture_output=True, text=True, timeout=60)
    major, minor = (int(part) for part in run.stdout.split(".")[:2])
    assert (major, minor) >= (4, 3), run.stdout


def test_tools_run_runs_in_the_callers_folder():
    run = subprocess.run(
        [str(REPO / "tools" / "run"), "pwd"], cwd=REPO / "src", capture_output=True, text=True, timeout=60
    )
    assert run.stdout.strip() == str(REPO / "src")
