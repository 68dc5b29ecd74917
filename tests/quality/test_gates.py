"""Quality gates on the project's own code: mypy (strict), ruff (lint and format), gdtoolkit.

mypy runs twice, strict, and must report no error: on the implementation (python/, against its
own sources) and on the addon's classes as a user's class modules are checked (against the
generated stub, see docs/editor-setup.md). The settings are mypy.ini, ruff.toml and gdlintrc at
the repository root.
"""

from __future__ import annotations

import os
import re
import subprocess

import pytest
from devtools import ADDON_LIB, REPO, run_tool

IMPLEMENTATION = ["python/godot", "python/godot_http", "python/godot_export"]
ADDON_CLASSES = "addons/godot_python/classes"
GDSCRIPT_LINE_LENGTH = "120"
ERROR_LINE = re.compile(r"^(?P<file>[^:\s]+\.pyi?):(?P<line>\d+): error: (?P<message>.*)$", re.MULTILINE)


def implementation_packages() -> list[str]:
    return [p for p in IMPLEMENTATION if (REPO / p).is_dir()]


NOT_OURS = {".git", ".godot", ".scratch", "build", "addons", "__pycache__"}  # generated, copied or linked


def gdscript_files() -> list[str]:
    """The project's own GDScript files (git is not in the sysroot, so the tree is walked)."""
    found = []
    for root, dirs, names in os.walk(REPO):
        dirs[:] = [d for d in dirs if d not in NOT_OURS]
        found += [os.path.relpath(os.path.join(root, n), REPO) for n in names if n.endswith(".gd")]
    return sorted(found)


def check_no_errors(run: subprocess.CompletedProcess[str], checked: str) -> None:
    """mypy ran (exit 0 or 1), checked files, and reported no error."""
    if run.returncode not in (0, 1):
        pytest.fail(f"mypy did not run:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    errors = [m.group(0) for m in ERROR_LINE.finditer(run.stdout)]
    assert not errors and run.returncode == 0, f"mypy --strict on {checked}:\n" + "\n".join(errors[:60] or [run.stdout])
    assert re.search(r"^Success: no issues found in [1-9]\d* source files?$", run.stdout, re.MULTILINE), run.stdout


def test_mypy_strict_on_the_implementation(tmp_path):
    packages = implementation_packages()
    assert "python/godot_http" in packages
    run = run_tool("mypy", "--config-file", "mypy.ini", "--cache-dir", tmp_path / "cache", *packages)
    check_no_errors(run, ", ".join(packages))


def test_mypy_strict_on_the_addon_classes_as_users_see_godot(tmp_path):
    # Against the generated stub (build first); the godot_http they import is checked above.
    assert (ADDON_LIB / "godot" / "__init__.pyi").is_file(), "build first: tools/build"
    run = run_tool(
        "mypy",
        "--config-file",
        "mypy.ini",
        "--follow-imports",
        "silent",
        "--cache-dir",
        tmp_path / "cache",
        ADDON_CLASSES,
        # The loader imports class modules with their folder on sys.path: `import py_http_client`.
        env={"MYPYPATH": os.pathsep.join([str(ADDON_LIB), str(REPO / ADDON_CLASSES)])},
    )
    check_no_errors(run, ADDON_CLASSES)


def test_gdlint():
    assert len(gdscript_files()) > 10
    run = run_tool("gdtoolkit.linter", *gdscript_files())
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]


def test_gdformat_check():
    run = run_tool("gdtoolkit.formatter", "--check", f"--line-length={GDSCRIPT_LINE_LENGTH}", *gdscript_files())
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]


def test_ruff_lint():
    run = run_tool("ruff", "check", "--no-cache", ".")
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]


def test_ruff_format_check():
    run = run_tool("ruff", "format", "--no-cache", "--check", ".")
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
