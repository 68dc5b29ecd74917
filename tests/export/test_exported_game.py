"""An exported game runs where no Python is installed.

tests/export/game uses a class from res://python that imports numpy (installed with
tools/pip by tests/export/prepare, which tools/test runs on the host), and PyHTTPClient.
The test exports it with tools/export (Debian's export templates, the addon's export
plugin), then runs the exported binary headless in the player root: a Debian sid root with
the export templates' runtime needs and no Python at all (tools/_player_root.sh), with
/proc and /dev mounted and only a loopback resolver. The HTTP server runs here, on
127.0.0.1 (same network namespace). Once for a release export with bytecode only
(closed-source option) and once for a debug export with sources (the default preset that
tools/export writes).
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

pytestmark = [pytest.mark.godot, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
GAME = Path(__file__).resolve().parent / "game"
PLAYER_ROOT_NOTE = REPO / "build" / "player-root.path"
GAME_NAME = "export_probe"
RUN_TIMEOUT = 120
EXPORT_TIMEOUT = 600
PYTHON_NAMES = re.compile(r"^(python3(\.\d+)?|libpython3.*)$")
CLOSED_SOURCE_PRESET = """[preset.0]

name="Linux"
platform="Linux"
runnable=true
export_filter="all_resources"
include_filter=""
exclude_filter=""
export_path=""

[preset.0.options]

binary_format/embed_pck=false
binary_format/architecture="x86_64"
godot_python/include_sources=false
"""


def player_root() -> Path:
    if not PLAYER_ROOT_NOTE.is_file():
        pytest.fail("no player root: tools/test makes it (tests/export/prepare); run the tests through tools/test")
    root = Path(PLAYER_ROOT_NOTE.read_text().strip())
    if not (root / ".complete").is_file():
        pytest.fail(f"the player root {root} is not visible here; run the tests through tools/test")
    return root


class ProbeHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the stdlib's name
        body = b"probe-body" if self.path == "/probe" else b"not found"
        self.send_response(200 if self.path == "/probe" else 404)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def loopback_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ProbeHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def make_game(tmp_path: Path) -> Path:
    """A copy of tests/export/game with a copy of the addon, as a user's project is."""
    if not (GAME / "python_packages" / "numpy").is_dir():
        pytest.fail("tests/export/game/python_packages has no numpy: tools/test installs it (tests/export/prepare)")
    project = tmp_path / "game"
    # The packages keep the bytecode tools/pip compiled; the editor's folders stay behind.
    shutil.copytree(
        GAME,
        project,
        symlinks=False,
        ignore=lambda folder, names: {".godot", "addons"} & set(names) if Path(folder) == GAME else set(),
    )
    install = subprocess.run([str(REPO / "tools" / "install_addon"), str(project)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    return project


def export(project: Path, out: Path, debug: bool) -> subprocess.CompletedProcess:
    command = [str(REPO / "tools" / "export"), str(project), str(out), *(["--debug"] if debug else [])]
    return subprocess.run(command, capture_output=True, text=True, timeout=EXPORT_TIMEOUT)


def python_files_in(root: Path, skip: set[str]) -> list[str]:
    found = []
    for folder, dirs, files in os.walk(root):
        if folder == str(root):
            dirs[:] = [d for d in dirs if d not in skip]
        found += [os.path.join(folder, n) for n in files + dirs if PYTHON_NAMES.match(n)]
    return found


def run_in_player_root(root: Path, out: Path, port: int) -> subprocess.CompletedProcess:
    """The exported game, headless, chrooted into the player root with /proc, /dev and the
    game folder (at /game) mounted in a mount namespace of its own (the sysroot's mounts
    are private already, so nothing leaks out; its / is no mount point, hence
    --propagation unchanged)."""
    script = r"""
        root=$1; game=$2; shift 2
        mount -t proc proc "$root/proc"
        mount --rbind /dev "$root/dev"
        mount --bind "$game" "$root/game"
        exec chroot "$root" env -i HOME=/root PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"
    """
    (root / "game").mkdir(exist_ok=True)
    command = [
        "unshare",
        "--mount",
        "--propagation",
        "unchanged",
        "--fork",
        "--",
        "bash",
        "-c",
        script,
        "bash",
        str(root),
        str(out),
        f"/game/{GAME_NAME}.x86_64",
        "--headless",
        "--",
        str(port),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT)


def probe_lines(output: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in re.finditer(r"^PROBE (\w+) (.*)$", output, re.M)}


@pytest.mark.parametrize("debug", [False, True], ids=["release-bytecode-only", "debug-with-sources"])
def test_exported_game_runs_where_no_python_is_installed(tmp_path, loopback_server, debug):
    root = player_root()
    leaks = python_files_in(root, skip={"proc", "dev", "game"})
    assert leaks == [], f"the player root has Python: {leaks[:5]}"

    project = make_game(tmp_path)
    if not debug:
        (project / "export_presets.cfg").write_text(CLOSED_SOURCE_PRESET)
    out = tmp_path / "out"
    exported = export(project, out, debug)
    assert exported.returncode == 0, exported.stdout[-3000:] + exported.stderr[-3000:]
    if debug:
        assert "wrote a default Linux preset" in exported.stderr
    mode = "debug" if debug else "release"
    assert (out / f"libgodot_python.linux.template_{mode}.x86_64.so").is_file()
    assert not (out / f"libgodot_python.linux.template_{'release' if debug else 'debug'}.x86_64.so").exists()
    shipped = out / "godot_python"
    assert (shipped / "runtime").is_dir() and (shipped / "res" / "python_packages" / "numpy").is_dir()
    project_sources = list((shipped / "res" / "python").rglob("*.py"))
    if debug:
        assert project_sources == [shipped / "res" / "python" / "export_probe.py"]
    else:
        assert project_sources == [] and (shipped / "res" / "python" / "export_probe.pyc").is_file()

    run = run_in_player_root(root, out, loopback_server)
    output = run.stdout + run.stderr
    probes = probe_lines(run.stdout)
    assert run.returncode == 0, output[-4000:]
    assert "SCRIPT ERROR" not in output and "ERROR:" not in output, output[-4000:]
    assert probes.get("classes", "").startswith("ok python=3.11 prefix=/game/godot_python/runtime"), output[-4000:]
    assert probes.get("numpy", "").startswith("ok det=5.000000 sum=5050"), output[-4000:]
    assert probes.get("http") == "200 probe-body err=0", output[-4000:]
    assert probes.get("done") == "failures=0"
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file() and not p.is_symlink())
    print(f"\nexported {mode} game: {size / 1e6:.1f} MB; start-up (ms): {probes.get('startup_ms')}")


def test_the_same_game_runs_from_the_project_in_the_editor_binary(tmp_path, loopback_server, run_godot):
    """Before any export: the project's python_packages (numpy, native code) import in the
    editor binary's runs too, from the project's own folders."""
    project = make_game(tmp_path)
    run = run_godot(["--headless", "--path", str(project), "--", str(loopback_server)], timeout=RUN_TIMEOUT)
    output = run.output
    probes = probe_lines(run.stdout)
    assert run.exit_code == 0, output[-4000:]
    assert "SCRIPT ERROR" not in output and "ERROR:" not in output, output[-4000:]
    prefix = f"prefix={project / 'addons' / 'godot_python' / 'runtime'}"
    assert probes.get("classes", "").startswith(f"ok python=3.11 {prefix}"), output[-4000:]
    assert probes.get("numpy", "").startswith("ok det=5.000000 sum=5050"), output[-4000:]
    assert probes.get("http") == "200 probe-body err=0", output[-4000:]
