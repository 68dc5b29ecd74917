"""tools/install_addon puts a working copy of the addon into another project: the README's
'use it in your own project' steps."""

from __future__ import annotations

import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_installed_copy_registers_the_projects_python_classes(tmp_path, run_godot):
    project = tmp_path / "game"
    project.mkdir()
    (project / "project.godot").write_text('config_version=5\n\n[application]\nconfig/name="game"\n')
    install = subprocess.run([str(REPO / "tools" / "install_addon"), str(project)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    assert not (project / "addons" / "godot_python").is_symlink()  # a copy, as a user makes
    (project / "python" / "hello.py").write_text(
        "from godot import RefCounted, method\n\n\nclass Hello(RefCounted):\n"
        "    @method\n    def hi(self, who: str) -> str:\n        return 'hi ' + who\n"
    )
    (project / "main.gd").write_text(
        "extends SceneTree\n\nfunc _initialize():\n"
        "\tprint(Hello.new().hi('there'), ' ', PyHTTPClient.new() != null)\n\tquit()\n"
    )
    run = run_godot(["--headless", "--path", str(project), "--script", "res://main.gd"])
    assert run.exit_code == 0, run.output[-2000:]
    assert "hi there true" in run.stdout, run.output[-2000:]
    assert "ERROR" not in run.output, run.output[-2000:]
