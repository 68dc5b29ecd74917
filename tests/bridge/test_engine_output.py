"""Python prints, warns and errs through the engine's own output functions."""

from __future__ import annotations


def test_print_and_push_warning_reach_godot_output(run_gdscript):
    run = run_gdscript("var user = PyEngineUser.new()\nuser.say('hello')\n")
    assert "py-says: hello" in run.stdout, run.output[-2000:]
    # push_warning carries the engine's WARNING prefix and the GDScript call site.
    assert "WARNING: py-warns: hello" in run.output, run.output[-2000:]


def test_push_error_from_python_is_an_engine_error_line(run_gdscript):
    run = run_gdscript("""extends Node


func run():
	var probe = PyProbe.new()
	probe.push_an_error("from python")
""")
    assert "ERROR: py-error: from python" in run.output, run.output[-2000:]
