"""Runs the GDScript test suites of tests/godot_project in headless Godot for pytest.

One job per module:
  godot       find the Godot binary, run it with a timeout (`run_godot`)
  project     locate a Godot project, import it once, write throwaway scripts
  suite_file  read a suite file: its test functions and header options
  markers     parse the runner's marker lines (see res://runner/test_runner.gd)
  verdict     the failure rules: decide each test's outcome from a run
  suite_run   run one suite file in one Godot process and judge it
  plugin      pytest collection, items and fixtures
"""
