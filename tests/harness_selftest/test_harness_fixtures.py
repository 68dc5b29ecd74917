"""The run_godot and run_gdscript fixtures: exit codes, both output streams, throwaway scripts."""

import pytest
from harness.verdict import find_problem_lines

pytestmark = pytest.mark.godot


def test_run_godot_returns_exit_code_and_both_streams(run_godot):
    exit_code, stdout, stderr = run_godot(["--version"])
    assert exit_code == 0
    assert stdout.startswith("4.")
    assert stderr == ""


def test_run_gdscript_runs_a_body_and_keeps_its_exit_code(run_gdscript):
    run = run_gdscript("""
        await get_tree().process_frame
        print("hello from ", get_class())
        push_error("an engine error line")
        return 7
        """)
    assert run.exit_code == 7
    assert "hello from Node" in run.stdout
    assert "ERROR: an engine error line" in run.stderr
    assert "@@END exit=7" in run.stdout


def test_run_gdscript_reports_a_script_error_and_the_engine_keeps_running(run_gdscript):
    run = run_gdscript("""
        extends RefCounted

        func run():
        \tvar missing = null
        \tmissing.call("x")
        \tprint("after the error")
        """)
    assert run.exit_code == 1
    assert [p.reason for p in find_problem_lines(run.output)] == ["script error"]
    assert "@@END exit=1" in run.stdout


def test_run_gdscript_times_out(run_gdscript):
    run = run_gdscript("await get_tree().create_timer(3600).timeout", timeout=2)
    assert run.timed_out and run.exit_code is None
