"""Fixtures for the demo's tests: the imported demo project, its local server, an X display.

The window tests render with Godot's OpenGL compatibility renderer on Xvfb (llvmpipe) as
a person would see it, and write their screenshots to build/screenshots/ (not committed).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from demo_helpers import DEMO_PROJECT, REPO, SCREENSHOTS
from harness.project import ensure_imported

sys.path.insert(0, str(REPO / "tools"))
import demo_server  # noqa: E402


@pytest.fixture(scope="session")
def demo_project() -> Path:
    if not (DEMO_PROJECT / "addons" / "godot_python").exists():
        pytest.fail("demo_project/addons/godot_python is missing: build first (tools/build -Q -j2)", pytrace=False)
    problem = ensure_imported(DEMO_PROJECT)
    if problem:
        pytest.fail(problem, pytrace=False)
    return DEMO_PROJECT


@pytest.fixture(scope="session")
def demo_servers(tmp_path_factory) -> demo_server.DemoServers:
    servers = demo_server.start_servers(tmp_path_factory.mktemp("demo-server"))
    yield servers
    servers.stop()


@pytest.fixture(scope="session")
def xvfb_display() -> str:
    """An Xvfb display (":N") for the session; skipped where Xvfb is not installed."""
    if not shutil.which("Xvfb"):
        pytest.skip("Xvfb is not installed (it is in the sysroot: run through tools/test)")
    read_fd, write_fd = os.pipe()
    width, height = 1600, 1000
    process = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
        pass_fds=[write_fd],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        process.kill()
        pytest.fail("Xvfb did not start", pytrace=False)
    yield f":{number}"
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
