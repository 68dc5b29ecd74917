"""A Python exception in any callback is printed through Godot's error output with its
traceback and the Python file and line, the caller gets a failed call, and the engine keeps
running. One test per kind of callback; each runs a throwaway script in headless Godot."""

from __future__ import annotations

import re
import shutil

FIXTURES = "python/bridge_fixtures.py"
STILL_RUNNING = "engine still running"


def failing_call_script(statement: str, frames: int = 0) -> str:
    """A script whose helper function runs `statement` (which fails) and whose run() goes on."""
    return f"""extends Node


func trigger():
	{statement}


func run():
	trigger()
	for i in {frames}:
		await get_tree().process_frame
	print("{STILL_RUNNING}")
"""


def assert_reported(run, exception: str, message: str) -> None:
    out = run.output
    # The runner exits 1 after a script error; what matters is that it got to the end.
    assert run.exit_code in (0, 1) and "@@END" in out, out[-3000:]
    assert f"{exception}: {message}" in out, out[-3000:]
    assert "Traceback (most recent call last):" in out, out[-3000:]
    # Godot's "at:" line points at the Python file and line that raised.
    assert re.search(r"at: .*\(.*bridge_fixtures\.py:\d+\)", out), out[-3000:]
    assert STILL_RUNNING in out, out[-3000:]


def test_exception_in_method_reports_traceback_and_fails_the_call(run_gdscript):
    # An untyped call goes through Variant call, which carries a call error back.
    run = run_gdscript(failing_call_script("var r = PyRaiser.new(); print(r.raise_in_method())"))
    assert_reported(run, "ValueError", "raised in a method")
    # GDScript is told why the call failed, and not that the method does not exist.
    assert "Invalid call function 'raise_in_method' in base 'PyRaiser': Python raised ValueError" in run.output
    assert "Nonexistent" not in run.output


def test_exception_in_typed_call_reports_traceback_and_returns_the_default(run_gdscript):
    # A statically typed call is a ptrcall: the engine gives it no error channel, so the
    # bridge prints the traceback and the caller gets the return type's default value.
    run = run_gdscript(failing_call_script("var r: PyRaiser = PyRaiser.new(); print('typed -> ', r.raise_in_method())"))
    assert_reported(run, "ValueError", "raised in a method")
    assert "typed -> 0" in run.output


def test_exception_in_getter(run_gdscript):
    run = run_gdscript(failing_call_script("var r = PyRaiser.new(); print(r.broken)"))
    assert_reported(run, "KeyError", "'raised in a getter'")


def test_exception_in_setter(run_gdscript):
    run = run_gdscript(failing_call_script("var r = PyRaiser.new(); r.broken = 3"))
    assert_reported(run, "RuntimeError", "raised in a setter")


def test_exception_in_engine_virtual(run_gdscript):
    run = run_gdscript(failing_call_script("add_child(PyRaisingNode.new())", frames=3))
    assert_reported(run, "ArithmeticError", "raised in _process")


def test_exception_in_to_string_virtual(run_gdscript):
    run = run_gdscript(failing_call_script("print(str(PyRaiser.new()))"))
    assert_reported(run, "ZeroDivisionError", "raised in _to_string")


def test_exception_in_constructor(run_gdscript):
    run = run_gdscript(failing_call_script("print(PyRaisingInit.new() != null)"))
    assert_reported(run, "LookupError", "raised in __init__")


def test_exception_in_destructor(run_gdscript):
    run = run_gdscript(failing_call_script("var x = PyRaisingDel.new(); x = null"))
    assert_reported(run, "MemoryError", "raised in __del__")


def test_wrong_return_type_is_reported(run_gdscript):
    run = run_gdscript(failing_call_script("var r = PyRaiser.new(); print(r.wrong_return())"))
    out = run.output
    assert "@@END" in out and STILL_RUNNING in out, out[-3000:]
    assert "PyRaiser.wrong_return() returned a value of the wrong type" in out, out[-3000:]
    assert "expected int" in out, out[-3000:]


def test_wrong_argument_type_is_a_parse_error_in_typed_gdscript(run_gdscript):
    run = run_gdscript(failing_call_script('var c := PyCounter.new(); c.add("three")'))
    assert 'Invalid argument for "add()" function: argument 1 should be "int" but is "String"' in run.output, (
        run.output[-3000:]
    )


def test_wrong_argument_type_gets_a_clear_script_error(run_gdscript):
    run = run_gdscript(failing_call_script('var c: Variant = PyCounter.new(); c.add("three")'))
    assert "@@END" in run.output and STILL_RUNNING in run.output, run.output[-3000:]
    assert "Cannot convert argument 1 from String to int" in run.output, run.output[-3000:]


def test_exception_while_importing_a_class_module(run_godot, godot_project, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "project.godot").write_text('config_version=5\n\n[application]\nconfig/name="broken"\n')
    (project / "addons").mkdir()
    (project / "addons" / "godot_python").symlink_to((godot_project / "addons" / "godot_python").resolve())
    (project / ".godot").mkdir()  # listed up front: see docs/decisions/0003-extension-list.md
    (project / ".godot" / "extension_list.cfg").write_text("res://addons/godot_python/godot_python.gdextension\n")
    (project / "python").mkdir()
    (project / "python" / "a_broken.py").write_text('raise ImportError("raised while importing (on purpose)")\n')
    shutil.copy(godot_project / FIXTURES, project / "python" / "b_fine.py")
    (project / "main.gd").write_text(
        f"extends SceneTree\n\nfunc _initialize():\n\tprint(PyCounter.new().add(2))\n"
        f'\tprint("{STILL_RUNNING}")\n\tquit()\n'
    )
    imported = run_godot(["--headless", "--import", "--path", str(project)], timeout=120)
    assert imported.exit_code == 0, imported.output[-2000:]
    run = run_godot(["--headless", "--path", str(project), "--script", "res://main.gd"])
    out = run.output
    assert "ImportError: raised while importing (on purpose)" in out, out[-3000:]
    assert re.search(r"at: .*\(.*a_broken\.py:1\)", out), out[-3000:]
    assert "2\n" in run.stdout and STILL_RUNNING in out, out[-3000:]  # the other module loaded
