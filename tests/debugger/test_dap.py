"""A DAP client attaches to the Python embedded in a running Godot and stops at a breakpoint.

Godot runs a throwaway project with GODOT_PYTHON_DEBUG (listen address) and
GODOT_PYTHON_DEBUG_WAIT (wait for the client before the class modules load). The test attaches
as VS Code does, sets a breakpoint in a Python method, and the GDScript main script calls that
method: the stop must arrive at the right file and line with the method's local variables;
after `continue` the method returns its value to GDScript and the engine goes on to quit.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
from pathlib import Path

import pytest
from dap_client import DapClient
from harness.godot import godot_binary
from harness.project import addon_project

pytestmark = pytest.mark.godot

DEBUGGEE = Path(__file__).parent / "debuggee"
REPO = Path(__file__).resolve().parents[2]
ADDON = REPO / "addons" / "godot_python"
TIMEOUT = 120.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_project(tmp_path: Path, settings: str = "", editor_probe: Path | None = None) -> Path:
    project = tmp_path / "debuggee"
    shutil.copytree(DEBUGGEE, project, ignore=shutil.ignore_patterns("__pycache__"))
    return addon_project(project, "debuggee", ADDON, settings, editor_probe)


def breakpoint_line(source: Path) -> int:
    return next(n for n, line in enumerate(source.read_text().splitlines(), 1) if "# BREAKPOINT" in line)


@pytest.fixture(params=["environment", "project_setting", "editor"])
def godot_waiting_for_debugger(request, tmp_path):
    """Godot waiting for a DAP client, asked for by the environment or by the project settings
    (a game run), or by the editor's own setting (the editor, through a test-only plugin)."""
    if not (ADDON / "debug" / "debugpy" / "__init__.py").is_file():
        pytest.fail("debugpy is not in the addon: run tools/install_debugger (tools/test does)", pytrace=False)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GODOT_PYTHON_DEBUG")}
    if request.param == "environment":
        project = make_project(tmp_path)
        env.update(GODOT_PYTHON_DEBUG=f"127.0.0.1:{port}", GODOT_PYTHON_DEBUG_WAIT="1")
    elif request.param == "project_setting":
        project = make_project(tmp_path, f"\n[godot_python]\n\ndebugger/port={port}\ndebugger/wait_for_client=true\n")
    else:
        project = make_project(
            tmp_path,
            f"\n[godot_python]\n\ndebugger/editor_port={port}\ndebugger/wait_for_client=true\n",
            editor_probe=Path(__file__).parent / "editor_probe",
        )
    command = (
        ["--editor", "--headless", "--path", str(project)]
        if request.param == "editor"
        else ["--headless", "--path", str(project), "--script", "res://main.gd"]
    )
    log = open(tmp_path / "godot.log", "w+")
    process = subprocess.Popen(
        [godot_binary(), *command],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    try:
        yield project, port, process, log
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        log.close()


def godot_output(log) -> str:
    log.flush()
    log.seek(0)
    return log.read()


def test_breakpoint_in_a_python_method_called_by_gdscript(godot_waiting_for_debugger):
    project, port, process, log = godot_waiting_for_debugger
    source = project / "python" / "debuggee.py"
    line = breakpoint_line(source)
    client = DapClient.connect("127.0.0.1", port, timeout=TIMEOUT)
    try:
        client.request(
            "initialize",
            {
                "clientID": "test",
                "adapterID": "debugpy",
                "pathFormat": "path",
                "linesStartAt1": True,
                "columnsStartAt1": True,
            },
        )
        attach_seq = client.request("attach", {"justMyCode": False}, wait=False)
        client.wait_event("initialized")
        placed = client.request("setBreakpoints", {"source": {"path": str(source)}, "breakpoints": [{"line": line}]})
        assert placed["body"]["breakpoints"][0]["verified"], placed
        client.request("configurationDone")
        client.response(attach_seq)

        stopped = client.wait_event("stopped")
        assert stopped["body"]["reason"] == "breakpoint", stopped
        thread = stopped["body"]["threadId"]
        frames = client.request("stackTrace", {"threadId": thread})["body"]["stackFrames"]
        top = frames[0]
        assert top["name"] == "compute", frames
        assert Path(top["source"]["path"]).resolve() == source.resolve(), top
        assert top["line"] == line, top
        scopes = client.request("scopes", {"frameId": top["id"]})["body"]["scopes"]
        local_scope = next(s for s in scopes if s["name"].lower().startswith("locals"))
        variables = client.request("variables", {"variablesReference": local_scope["variablesReference"]})
        values = {v["name"]: v["value"] for v in variables["body"]["variables"]}
        assert values.get("a") == "21" and values.get("doubled") == "42", values
        assert values.get("label") == "'the answer'", values
        assert "self" in values, values
        assert process.poll() is None  # the engine waits at the breakpoint

        client.request("continue", {"threadId": thread})
        process.wait(timeout=TIMEOUT)
    finally:
        client.close()
    out = godot_output(log)
    assert "Godot Python: debugger (DAP) listening on 127.0.0.1:" in out, out[-3000:]
    assert "compute -> 42" in out and "engine still running" in out, out[-3000:]
    assert process.returncode == 0, out[-3000:]
    assert "SCRIPT ERROR" not in out and "Traceback" not in out, out[-3000:]
