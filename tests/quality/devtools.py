"""Runs the quality tools that tools/devtools installed (ruff, mypy, pyright, gdtoolkit).

tools/test exports GODOT_PY_DEVTOOLS, the folder holding them; the tools run as modules of the
test Python with that folder on PYTHONPATH. Without it the gate tests fail with a pointer to
tools/devtools: they never pass without having run a tool.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ADDON_LIB = REPO / "addons" / "godot_python" / "lib"
TOOL_TIMEOUT = 600


def devtools_dir() -> Path:
    folder = os.environ.get("GODOT_PY_DEVTOOLS", "")
    if not folder or not (Path(folder) / ".complete").is_file():
        pytest.fail(
            "the quality tools are not installed: run the tests through tools/test, or set "
            "GODOT_PY_DEVTOOLS to the folder that `tools/devtools` prints",
            pytrace=False,
        )
    return Path(folder)


def run_tool(
    module: str, *args: str | os.PathLike[str], cwd: Path = REPO, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python3 -m MODULE ARGS...` with the quality tools importable; output as text."""
    environment = {
        **os.environ,
        "PYTHONPATH": str(devtools_dir()),
        "PYRIGHT_PYTHON_IGNORE_WARNINGS": "1",
        "NO_COLOR": "1",
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", module, *map(str, args)],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=TOOL_TIMEOUT,
    )
