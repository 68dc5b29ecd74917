"""The README's class example works as written: its Python block registered from res://python/,
its GDScript block run against it."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README.read_text(), flags=re.S)


def test_readme_class_example_runs(run_godot, godot_project, tmp_path):
    python_source = code_blocks("python")[0]
    gdscript_body = code_blocks("gdscript")[0]
    project = tmp_path / "readme_project"
    (project / "python").mkdir(parents=True)
    (project / "project.godot").write_text('config_version=5\n\n[application]\nconfig/name="readme"\n')
    (project / "addons").mkdir()
    (project / "addons" / "godot_python").symlink_to((godot_project / "addons" / "godot_python").resolve())
    (project / ".godot").mkdir()
    (project / ".godot" / "extension_list.cfg").write_text("res://addons/godot_python/godot_python.gdextension\n")
    (project / "python" / "greeter.py").write_text(python_source)
    body = "".join("\t" + line + "\n" for line in gdscript_body.splitlines())
    (project / "main.gd").write_text(
        "extends SceneTree\n\nfunc _initialize():\n" + body + "\tprint(g.mood(), ' ', g)\n\tquit()\n"
    )
    run = run_godot(["--headless", "--path", str(project), "--script", "res://main.gd"])
    assert run.exit_code == 0, run.output[-3000:]
    assert "ERROR" not in run.output, run.output[-3000:]
    assert "greeted Ada" in run.stdout, run.output[-3000:]
    assert "Hello Ada! Hello Ada! 51" in run.stdout, run.output[-3000:]
    assert "0 <Greeter volume=5>" in run.stdout, run.output[-3000:]
