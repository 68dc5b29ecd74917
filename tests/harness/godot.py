"""Find the Godot binary and run it with a timeout.

The binary is $GODOT when set, else `godot` on PATH (the sysroot has it), else the
repository's tools/godot wrapper. A run that outlives its timeout is killed with its whole
process group and reported with exit_code None.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_TIMEOUT = 300.0


class GodotRun(NamedTuple):
    """What one Godot process did. exit_code is None when it was killed at its timeout."""

    exit_code: int | None
    stdout: str
    stderr: str

    @property
    def timed_out(self) -> bool:
        return self.exit_code is None

    @property
    def output(self) -> str:
        """stdout then stderr (they are one interleaved stream when run with merge_stderr)."""
        return self.stdout + self.stderr


def godot_binary() -> str:
    """The Godot command: $GODOT, `godot` on PATH, or tools/godot."""
    return os.environ.get("GODOT") or shutil.which("godot") or str(REPO_ROOT / "tools" / "godot")


def describe_exit(exit_code: int | None, timeout: float | None = None) -> str:
    """'exit code 3', 'killed by SIGSEGV', 'timed out after 300 s'."""
    if exit_code is None:
        return f"timed out after {timeout:g} s" if timeout else "timed out"
    if exit_code < 0:
        try:
            return f"killed by {signal.Signals(-exit_code).name}"
        except ValueError:
            return f"killed by signal {-exit_code}"
    if exit_code > 128 and exit_code - 128 in signal.Signals._value2member_map_:
        return f"exit code {exit_code} ({signal.Signals(exit_code - 128).name}?)"
    return f"exit code {exit_code}"


def run_godot(
    args: Sequence[str | os.PathLike],
    timeout: float = DEFAULT_TIMEOUT,
    cwd: str | os.PathLike | None = None,
    merge_stderr: bool = False,
) -> GodotRun:
    """Run Godot with `args`; with merge_stderr, stderr is interleaved into stdout."""
    command = [godot_binary(), *map(str, args)]
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if merge_stderr else subprocess.PIPE,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
        exit_code: int | None = process.returncode
    except subprocess.TimeoutExpired:
        _kill_group(process)
        stdout, stderr = process.communicate()
        exit_code = None
    return GodotRun(exit_code, _text(stdout), _text(stderr))


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _text(data: bytes | None) -> str:
    return (data or b"").decode("utf-8", errors="replace")
