"""A mistake in Python code never takes the game or the editor down.

A throwaway project holds one class module per kind of mistake (tests/bridge/mistakes/python):
a syntax error, an import error, a base that is no Godot class (a typo, and a plain Python
class declaring Godot methods), the same class name in two modules, and classes that raise in
`__init__`, `_ready`, `_process` (every frame) and recurse without end (in Python, and through
the engine). Each must print a clear error with the Python traceback pointing at the user's
file and line, the other classes must keep working, and the repeated `_process` error must be
counted instead of printed on every frame. The same project runs as a game and in the editor
(`--editor --headless`, through a test-only plugin that runs the mistakes inside the editor).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from harness.godot import GodotRun
from harness.project import addon_project

pytestmark = pytest.mark.godot

MISTAKES = Path(__file__).parent / "mistakes"
FRAMES = 90  # mistakes.gd's FRAMES


def make_project(tmp_path: Path, godot_project: Path, editor_probe: bool = False) -> Path:
    project = tmp_path / "mistakes_project"
    shutil.copytree(MISTAKES, project, ignore=shutil.ignore_patterns("editor_probe", "__pycache__"))
    probe = MISTAKES / "editor_probe" if editor_probe else None
    return addon_project(project, "mistakes", godot_project / "addons" / "godot_python", editor_probe=probe)


def error_blocks(output: str) -> list[str]:
    """Godot's ERROR entries: the ERROR line and the indented/traceback lines after it."""
    return re.findall(
        r"^(?:ERROR|SCRIPT ERROR): .*?(?=^\S*ERROR: |^[A-Za-z][^\n]* -> |\Z)", output, re.MULTILINE | re.DOTALL
    )


def block_with(output: str, text: str) -> str:
    found = [b for b in error_blocks(output) if text in b]
    assert found, f"no error mentions {text!r}:\n{output[-6000:]}"
    return found[0]


def assert_points_at(block: str, module: str, line: int | None = None) -> None:
    at = re.search(r"at: .*\((\S+):(\d+)\)", block)
    assert at, block
    assert at.group(1).endswith(f"python/{module}"), block
    if line is not None:
        assert int(at.group(2)) == line, block


def check_mistakes_reported(run: GodotRun) -> None:
    out = run.output
    assert run.exit_code == 0, f"exit code {run.exit_code}:\n{out[-6000:]}"
    assert f"still running after {FRAMES} frames" in out, out[-6000:]
    assert "PyFine.add -> 5" in out, out[-6000:]  # a class of a module that loaded

    # Import-time mistakes: each names the module, has a traceback and points at the mistake.
    syntax = block_with(out, "SyntaxError: expected ':'")
    assert "importing the class module 'm_syntax'" in syntax and "def broken(self)" in syntax
    assert_points_at(syntax, "m_syntax.py", 5)
    missing = block_with(out, "ModuleNotFoundError: No module named 'no_such_module_here'")
    assert "Traceback (most recent call last):" in missing
    assert_points_at(missing, "m_import.py", 1)
    typo = block_with(out, "AttributeError: Godot has no class named 'Nodee'")
    assert "importing the class module 'm_base_typo'" in typo and "class PyTypoBase(godot.Nodee)" in typo
    plain = block_with(out, "class m_base_plain.PyNotAGodotClass(object) declares Godot methods")
    assert "does not derive from a Godot class" in plain and "m_base_plain.py:4" in plain
    twice = block_with(out, "the Godot class name 'PyTwice' is already used by m_dup_a.PyTwice")
    assert "importing the class module 'm_dup_b'" in twice and "Traceback" in twice
    assert "PyTwice registered: true" in out  # the first definition stays

    # Run-time mistakes: the traceback points at the user's line, the caller goes on.
    init = block_with(out, "LookupError: raised in __init__")
    assert "Traceback" in init
    assert_points_at(init, "m_runtime.py", 9)
    ready = block_with(out, "KeyError: 'raised in _ready'")
    assert_points_at(ready, "m_runtime.py", 14)
    recursion = block_with(out, "RecursionError: maximum recursion depth exceeded")
    assert "[Previous line repeated" in recursion and "return self.recurse(n + 1)" in recursion
    through = [b for b in error_blocks(out) if "recurse_through_engine" in b and "Traceback" in b]
    assert any("RecursionError: maximum recursion depth exceeded" in b for b in through), out[-6000:]
    assert "could not be formatted" not in out
    assert "no such method" not in out  # a failed nested call names its cause
    # Nested failures collapse: a few full tracebacks and a count, not one per level.
    assert len(through) <= 4, f"{len(through)} tracebacks for one recursion:\n{out[-6000:]}"

    # _process raises on every frame: one traceback, then counts that add up to every call.
    tracebacks = sum("Traceback" in b for b in error_blocks(out) if "ArithmeticError: raised in _process" in b)
    calls = int(re.search(r"PyBadProcess._process calls: (\d+)", out).group(1))
    counted = sum(
        int(n)
        for n in re.findall(
            r"the same error repeated (\d+) more times? in the last [\d.]+ s \(traceback printed once above\): "
            r"Python exception in PyBadProcess._process\(\): ArithmeticError: raised in _process",
            out,
        )
    )
    assert calls >= FRAMES - 5, out[-3000:]
    assert tracebacks == 1, f"{tracebacks} tracebacks for {calls} calls:\n{out[-6000:]}"
    assert tracebacks + counted >= calls, f"{tracebacks} printed + {counted} counted < {calls} calls"
    assert "Traceback" in block_with(out, "ArithmeticError: raised in _process")


def test_mistakes_in_a_game_are_reported_and_the_game_goes_on(run_godot, godot_project, tmp_path):
    project = make_project(tmp_path, godot_project)
    imported = run_godot(["--headless", "--import", "--path", project], timeout=120)
    assert imported.exit_code == 0, imported.output[-3000:]
    run = run_godot(["--headless", "--path", project, "--script", "res://main.gd"], timeout=120)
    check_mistakes_reported(run)


def test_mistakes_in_the_editor_are_reported_and_the_editor_goes_on(run_godot, godot_project, tmp_path):
    project = make_project(tmp_path, godot_project, editor_probe=True)
    run = run_godot(["--editor", "--headless", "--path", project], timeout=180)
    check_mistakes_reported(run)
    assert "editor main screen: true" in run.output, run.output[-3000:]
