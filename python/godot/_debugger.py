"""Lets a Debug Adapter Protocol client (VS Code, any DAP client) attach to the embedded Python.

Off unless asked for, and never in a release export. Asked for by, in order:

1. the environment variable GODOT_PYTHON_DEBUG=[HOST:]PORT (any process: headless runs, CI, the
   editor started from a shell), with GODOT_PYTHON_DEBUG_WAIT=1 to wait for the client before
   the class modules load (so a breakpoint in module-level code or `_ready` is hit);
2. the project settings `godot_python/debugger/port` (runs of the game) and
   `godot_python/debugger/editor_port` (the editor itself; a second port, so both can be
   debugged at once), with `godot_python/debugger/wait_for_client`.

debugpy is an optional package: `tools/install_debugger` puts it into the addon's `debug/`
folder (next to `lib/`), which is added to sys.path only here. debugpy runs its adapter as a
separate Python process; the embedded interpreter has no `python` executable of its own, so
the adapter's interpreter is GODOT_PYTHON_DEBUG_PYTHON, else the runtime's own executable when
the addon carries one, else `python3` on PATH. The listening address is printed.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from typing import Any

ENV_ADDRESS = "GODOT_PYTHON_DEBUG"
ENV_WAIT = "GODOT_PYTHON_DEBUG_WAIT"
ENV_ADAPTER_PYTHON = "GODOT_PYTHON_DEBUG_PYTHON"
SETTING_PORT = "godot_python/debugger/port"
SETTING_EDITOR_PORT = "godot_python/debugger/editor_port"
SETTING_WAIT = "godot_python/debugger/wait_for_client"
DEFAULT_HOST = "127.0.0.1"  # loopback only unless an address says otherwise
DEBUG_FOLDER = "debug"  # in the addon folder, beside lib/
MAX_PORT = 65535


@dataclass(frozen=True)
class DebugRequest:
    host: str
    port: int
    wait: bool
    source: str  # where it was asked for, for the messages


def parse_address(text: str) -> tuple[str, int]:
    """ "5678" -> (DEFAULT_HOST, 5678); "0.0.0.0:5678" -> ("0.0.0.0", 5678). ValueError if bad."""
    host, _, port_text = text.strip().rpartition(":")
    port = int(port_text)
    if not 0 < port <= MAX_PORT:
        raise ValueError(f"port {port} is out of range")
    return host or DEFAULT_HOST, port


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def request_from(environ: dict[str, str], settings: dict[str, Any], in_editor: bool) -> DebugRequest | None:
    """What was asked for (pure: the environment and the project settings as plain values)."""
    address = environ.get(ENV_ADDRESS, "").strip()
    if address:
        host, port = parse_address(address)
        return DebugRequest(host, port, _truthy(environ.get(ENV_WAIT, "")), f"${ENV_ADDRESS}")
    setting = SETTING_EDITOR_PORT if in_editor else SETTING_PORT
    port = int(settings.get(setting) or 0)
    if port <= 0:
        return None
    if port > MAX_PORT:
        raise ValueError(f"project setting {setting} = {port} is out of range")
    return DebugRequest(DEFAULT_HOST, port, _truthy(settings.get(SETTING_WAIT, False)), f"project setting {setting}")


def adapter_python(addon_dir: str) -> str | None:
    """The interpreter debugpy runs its adapter with."""
    chosen = os.environ.get(ENV_ADAPTER_PYTHON)
    if chosen:
        return chosen
    version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    for candidate in (os.path.join(addon_dir, "runtime", "bin", version), os.path.join(addon_dir, "bin", version)):
        if os.access(candidate, os.X_OK):
            return candidate
    return shutil.which(version) or shutil.which("python3")


def _engine_state() -> tuple[dict[str, Any], bool, bool]:
    """(the debugger project settings, in the editor?, a debug build?) from the engine."""
    import _godot

    settings = _godot.singleton("ProjectSettings")
    names = (SETTING_PORT, SETTING_EDITOR_PORT, SETTING_WAIT)
    values = {name: settings.call("get_setting", name, None) for name in names}
    in_editor = bool(_godot.singleton("Engine").call("is_editor_hint"))
    debug_build = bool(_godot.singleton("OS").call("is_debug_build"))
    return values, in_editor, debug_build


def start_if_requested(addon_dir: str) -> DebugRequest | None:
    """Listen for a DAP client when asked to (called by the loader before any class module)."""
    import _godot

    settings, in_editor, debug_build = _engine_state()
    try:
        request = request_from(dict(os.environ), settings, in_editor)
    except ValueError as error:
        _godot.report_exception("Godot Python: the debugger address is not valid", error)
        return None
    if request is None:
        return None
    if not debug_build:
        _godot.push_warning(
            f"Godot Python: debugger requested by {request.source}, but this is a release build: not started"
        )
        return None
    folder = os.path.join(addon_dir, DEBUG_FOLDER)
    if os.path.isdir(folder) and folder not in sys.path:
        sys.path.append(folder)
    try:
        import debugpy  # type: ignore[import-not-found]  # optional, see tools/install_debugger

        python = adapter_python(addon_dir)
        if python:
            debugpy.configure(python=python)
        debugpy.listen((request.host, request.port))
    except Exception as error:  # ImportError, a port in use, no interpreter for the adapter
        _godot.report_exception(
            f"Godot Python: the debugger could not listen on {request.host}:{request.port} "
            f"(asked for by {request.source}; install debugpy with tools/install_debugger)",
            error,
        )
        return None
    _godot.print(
        f"Godot Python: debugger (DAP) listening on {request.host}:{request.port}"
        + (", waiting for a client" if request.wait else "")
    )
    if request.wait:
        debugpy.wait_for_client()
        _godot.print("Godot Python: debugger client attached")
    return request
