"""Quality gates on the project's own code: mypy (strict), ruff (lint and format), gdtoolkit.

mypy runs twice: on the implementation (python/, against its own sources) and on the addon's
classes as a user's class modules are checked (against the generated stub, see
docs/editor-setup.md). Files listed in tests/quality/mypy_baseline.json are still being
typed: each may have at most its listed number of errors (it may only go down); every other
file must have none. The settings are mypy.ini, ruff.toml and gdlintrc at the repository root.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from devtools import ADDON_LIB, REPO, run_tool

BASELINE = Path(__file__).parent / "mypy_baseline.json"
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


def mypy_error_counts(run: subprocess.CompletedProcess[str]) -> Counter[str]:
    if run.returncode not in (0, 1):
        pytest.fail(f"mypy did not run:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    return Counter(m.group("file") for m in ERROR_LINE.finditer(run.stdout))


def check_against_baseline(counts: Counter[str], output: str) -> None:
    baseline: dict[str, int] = json.loads(BASELINE.read_text())
    worse = {f: f"{n} errors (baseline {baseline.get(f, 0)})" for f, n in counts.items() if n > baseline.get(f, 0)}
    if worse:
        lines = [line for line in output.splitlines() if line.split(":", 1)[0] in worse and ": error:" in line]
        pytest.fail("mypy --strict found new errors in " + json.dumps(worse, indent=1) + "\n" + "\n".join(lines[:60]))


def test_mypy_strict_on_the_implementation(tmp_path):
    run = run_tool("mypy", "--config-file", "mypy.ini", "--cache-dir", tmp_path / "cache", *implementation_packages())
    check_against_baseline(mypy_error_counts(run), run.stdout)


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
    check_against_baseline(mypy_error_counts(run), run.stdout)


def test_mypy_baseline_lists_only_files_that_exist():
    baseline: dict[str, int] = json.loads(BASELINE.read_text())
    assert all(isinstance(n, int) and n > 0 for n in baseline.values())
    missing = [f for f in baseline if not (REPO / f).is_file()]
    assert not missing, f"remove from {BASELINE.name}: {missing}"


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
