"""Inside Godot the addon's own interpreter runs, isolated: sys.prefix, sys.path and every
loaded module point only into the addon and the project, whatever Python the machine has
(the sysroot Godot runs in has Python 3.14) and whatever PYTHON* variables say."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from probe_project import inside, list_extension, parse_report, write_project

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.godot


@pytest.fixture
def poisoned_environment(tmp_path, monkeypatch):
    """A module named `poison` (and a fake `godot`) everywhere a non-isolated Python would look."""
    for folder in ("pythonpath", "userbase/lib/python3.11/site-packages", "cwd"):
        d = tmp_path / "poison" / folder
        d.mkdir(parents=True)
        (d / "poison.py").write_text("raise SystemExit('poison imported')\n")
        (d / "godot.py").write_text("raise SystemExit('the wrong godot package')\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "poison" / "pythonpath"))
    monkeypatch.setenv("PYTHONUSERBASE", str(tmp_path / "poison" / "userbase"))
    monkeypatch.setenv("PYTHONHOME", "/nonexistent-python-home")  # honoured, it stops the start
    monkeypatch.setenv("PYTHONSTARTUP", str(tmp_path / "poison" / "pythonpath" / "poison.py"))
    monkeypatch.setenv("PYTHONSAFEPATH", "0")
    return tmp_path / "poison" / "cwd"


def test_sys_prefix_and_path_point_only_into_the_addon_and_the_project(tmp_path, run_godot, poisoned_environment):
    project = write_project(tmp_path / "game")
    install = subprocess.run([str(REPO / "tools" / "install_addon"), str(project)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    list_extension(project)
    addon = project / "addons" / "godot_python"

    run = run_godot(["--headless", "--path", str(project), "--script", "res://main.gd"], cwd=poisoned_environment)
    assert run.exit_code == 0, run.output[-3000:]
    assert "ERROR" not in run.output, run.output[-3000:]
    report = parse_report(run.stdout)

    assert report["version"][:2] == [3, 11]
    for key in ("prefix", "exec_prefix", "base_prefix", "base_exec_prefix"):
        assert inside(report[key], addon / "runtime"), f"sys.{key} = {report[key]}"
    outside = [p for p in report["path"] if not inside(p, addon, project)]
    assert not outside, f"sys.path entries outside the addon and the project: {outside}"
    assert report["path"], "empty sys.path"
    foreign = [f for f in report["module_files"] if not inside(f, addon, project)]
    assert not foreign, f"modules loaded from outside the addon and the project: {foreign[:10]}"
    assert not report["poisoned"]
    assert report["isolated"] == 1 and report["ignore_environment"] == 1
    assert report["no_user_site"] == 1 and report["safe_path"] is True and report["utf8_mode"] == 1


def test_the_runtime_s_extension_modules_work_inside_godot(tmp_path, run_godot):
    project = write_project(tmp_path / "game")
    install = subprocess.run([str(REPO / "tools" / "install_addon"), str(project)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    list_extension(project)
    run = run_godot(["--headless", "--path", str(project), "--script", "res://main.gd"])
    assert run.exit_code == 0, run.output[-3000:]
    # sqlite, decimal, hashlib, zlib, bz2, lzma, ctypes, uuid, expat, ssl with certifi's CAs
    assert "STDLIB 42 3.3 2d711642 True True True 8 1 ok True True" in run.stdout, run.output[-3000:]
    assert "HTTPCLIENT true" in run.stdout, run.output[-3000:]
