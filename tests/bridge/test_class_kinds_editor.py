"""Class icons and runtime classes where they show: in the real (headless) editor and in a game.

One throwaway project holds a Python class with `icon=`, one whose icon file is missing, a
runtime class (`runtime=True`) and an ordinary (tool) class, all four as nodes of main.tscn.
A GDScript editor plugin (tests/bridge/kinds_probe/, enabled in the project) waits until the
editor has opened main.tscn, then prints what the editor shows: the icon of each node in the
Scene dock, and what calling the runtime node's method does there. The same scene then runs
as a game. One editor run and one game run serve every test here (module-scoped fixtures).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from harness.godot import GodotRun, run_godot

pytestmark = pytest.mark.godot

REPO = Path(__file__).resolve().parents[2]
PROBE_PLUGIN = Path(__file__).resolve().parent / "kinds_probe"
ICON = "res://kinds_icon.svg"
MISSING_ICON = "res://no_such_icon.svg"
PLACEHOLDER_CALL = "Cannot call GDExtension method bind 'ping' on placeholder instance."
ERROR_LINE = re.compile(r"^(?:USER )?(?:ERROR|SCRIPT ERROR):.*$", re.MULTILINE)

CLASSES = f'''
import godot
from godot import Node, Property, RefCounted, method


class KindsIcon(Node, icon="{ICON}"):
    """Shows its own icon in the editor."""


class KindsMissingIcon(Node, icon="{MISSING_ICON}"):
    """Names an icon file that does not exist."""


class KindsRuntime(Node, runtime=True):
    """A runtime class: a placeholder in the editor."""

    speed = Property(int, default=3)

    def _ready(self):
        godot.print("KINDS: runtime _ready ran")

    def _process(self, delta):
        godot.print("KINDS: runtime _process ran")
        self.set_process(False)

    @method
    def ping(self) -> str:
        godot.print("KINDS: runtime ping ran")
        return "pong"


class KindsTool(Node):
    """An ordinary extension class: runs in the editor too (the control)."""

    def _ready(self):
        godot.print("KINDS: tool _ready ran")


class KindsPoker(RefCounted):
    """Python code of the project handed a runtime-class node."""

    @method
    def poke(self, node: Node) -> str:
        return repr(node.ping())

    @method
    def made_in_python(self) -> str:
        probe = KindsRuntime()  # Python's own instance: real, as godot-cpp's memnew
        try:
            return probe.ping()
        finally:
            probe.free()
'''

SCENE = """[gd_scene load_steps=2 format=3]

[ext_resource type="Script" path="res://game.gd" id="1"]

[node name="Main" type="Node"]
script = ExtResource("1")

[node name="Icon" type="KindsIcon" parent="."]

[node name="MissingIcon" type="KindsMissingIcon" parent="."]

[node name="Runtime" type="KindsRuntime" parent="."]
speed = 7

[node name="Tool" type="KindsTool" parent="."]
"""

# Not a tool script: only a game run executes it.
GAME = """extends Node

func _ready() -> void:
	print("KINDS: game ping -> ", $Runtime.ping(), ", speed ", $Runtime.speed)
	print("KINDS: game poke -> ", ClassDB.instantiate("KindsPoker").poke($Runtime))
"""

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16">'
    '<rect width="16" height="16" fill="#e04040"/></svg>\n'
)


@pytest.fixture(scope="module")
def kinds_project(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("kinds") / "project"
    (project / "python").mkdir(parents=True)
    (project / "project.godot").write_text(
        'config_version=5\n\n[application]\nconfig/name="class kinds probe"\n\n'
        '[editor_plugins]\nenabled=PackedStringArray("res://addons/kinds_probe/plugin.cfg")\n'
    )
    (project / "python" / "kinds_classes.py").write_text(CLASSES)
    (project / "main.tscn").write_text(SCENE)
    (project / "game.gd").write_text(GAME)
    (project / "kinds_icon.svg").write_text(SVG)
    shutil.copytree(PROBE_PLUGIN, project / "addons" / "kinds_probe")
    install = subprocess.run([str(REPO / "tools" / "install_addon"), str(project)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    return project


@pytest.fixture(scope="module")
def editor_run(kinds_project) -> GodotRun:
    """The editor opens main.tscn (first start: scan and import too); the plugin quits it."""
    run = run_godot(["--editor", "--headless", "--path", str(kinds_project), "res://main.tscn"], timeout=180)
    assert run.exit_code == 0, run.output[-4000:]
    assert "KINDS PROBE: done" in run.output, run.output[-4000:]
    return run


@pytest.fixture(scope="module")
def game_run(kinds_project, editor_run) -> GodotRun:
    run = run_godot(["--headless", "--path", str(kinds_project), "res://main.tscn", "--quit-after", "10"], timeout=60)
    assert run.exit_code == 0, run.output[-4000:]
    return run


def probe_lines(run: GodotRun) -> dict[str, str]:
    """`KINDS PROBE: key = value` lines of the editor plugin."""
    found = {}
    for line in run.stdout.splitlines():
        if line.startswith("KINDS PROBE: ") and " = " in line:
            key, value = line[len("KINDS PROBE: ") :].split(" = ", 1)
            found[key] = value
    return found


def unexpected_errors(run: GodotRun, expected: tuple[str, ...]) -> list[str]:
    return [line for line in ERROR_LINE.findall(run.output) if not any(text in line for text in expected)]


def test_the_editor_shows_a_python_class_icon_in_the_scene_dock(editor_run):
    probe = probe_lines(editor_run)
    assert probe.get("icon Icon") == f"texture {ICON}", editor_run.output[-4000:]
    # The control: a node of an engine class shows the theme's icon, which is no file.
    assert probe.get("icon Main") == "texture (no file)", editor_run.output[-4000:]


def test_a_missing_icon_file_is_a_clear_error_and_the_class_still_works(editor_run):
    errors = [line for line in ERROR_LINE.findall(editor_run.output) if MISSING_ICON in line]
    assert errors == [
        f"ERROR: Godot Python: class KindsMissingIcon (kinds_classes.KindsMissingIcon): its icon "
        f"'{MISSING_ICON}' (icon=) names no file; the editor shows the parent class's icon"
    ], editor_run.output[-4000:]
    probe = probe_lines(editor_run)
    assert probe.get("icon MissingIcon") == "texture (no file)", editor_run.output[-4000:]
    assert probe.get("class MissingIcon") == "KindsMissingIcon"
    assert "Traceback" not in editor_run.output
    assert unexpected_errors(editor_run, (MISSING_ICON, PLACEHOLDER_CALL)) == [], editor_run.output[-4000:]


def test_a_runtime_class_is_a_placeholder_in_the_editor_and_its_python_code_does_not_run(editor_run):
    probe = probe_lines(editor_run)
    out = editor_run.output
    assert "KINDS: tool _ready ran" in out, out[-4000:]  # the scene really ran its tool nodes
    assert probe.get("class Runtime") == "KindsRuntime", out[-4000:]
    assert probe.get("speed Runtime") == "7", "the placeholder keeps the scene's property value"
    assert probe.get("ping Runtime") == "<null>", out[-4000:]
    assert probe.get("instantiate KindsRuntime") == "KindsRuntime ping <null>", out[-4000:]
    assert probe.get("python poke Runtime") == "None", out[-4000:]
    # Each of the three calls (GDScript on the scene's node, GDScript on a new instance,
    # Python on the scene's node) is refused by the engine with its placeholder error.
    assert out.count(PLACEHOLDER_CALL) == 3, out[-4000:]
    assert "KINDS: runtime _ready ran" not in out and "KINDS: runtime _process ran" not in out, out[-4000:]
    # ping ran once: on the instance Python code made itself, never on a placeholder.
    assert probe.get("python made KindsRuntime") == "pong", out[-4000:]
    assert out.count("KINDS: runtime ping ran") == 1, out[-4000:]
    assert "KINDS: game" not in out  # nor the game's script


def test_a_runtime_class_runs_in_a_game(game_run):
    out = game_run.output
    assert "KINDS: runtime _ready ran" in out, out[-3000:]
    assert "KINDS: runtime _process ran" in out, out[-3000:]
    assert "KINDS: game ping -> pong, speed 7" in out, out[-3000:]
    assert "KINDS: game poke -> 'pong'" in out, out[-3000:]
    assert "KINDS: tool _ready ran" in out
    assert ERROR_LINE.findall(out) == [], out[-3000:]
