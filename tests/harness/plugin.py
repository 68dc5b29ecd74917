"""pytest side of the GDScript suites: collection, one item per test function, fixtures.

Every tests/godot_project/suites/**/test_*.gd file becomes a collector whose items are its
`func test_*()` functions. The first item of a file to run starts ONE headless Godot process
for the whole file (see suite_run); the others read the cached verdict. Fixtures for tests
that check engine output themselves:

    run_godot(args, timeout=60, cwd=None) -> GodotRun(exit_code, stdout, stderr)
    run_gdscript(source, timeout=60, args=()) -> GodotRun
        runs a throwaway script in the imported test project: a whole script (`extends ...`,
        with an optional `func run()` that may await and may return the exit code), or just
        the body of `run()`.
    godot_project -> Path of the imported test project
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from .godot import GodotRun
from .godot import run_godot as _run_godot
from .project import TEST_PROJECT, as_script, ensure_imported, res_path, write_scratch_script
from .suite_file import SuiteFile, is_suite_path, read_suite_file
from .suite_run import run_suite_file
from .verdict import SuiteVerdict

FIXTURE_TIMEOUT = 60.0


class GodotTestFailure(Exception):
    """A GDScript test failed; the message is all the report needs."""


class GdSuiteFile(pytest.File):
    """A test_*.gd suite: collects its test functions, runs them in one Godot process."""

    suite: SuiteFile
    _verdict: SuiteVerdict | None = None
    _output_shown = False

    def collect(self):
        self.suite = read_suite_file(self.path)
        for test in self.suite.tests:
            yield GdTestItem.from_parent(self, name=test.name, line=test.line)

    def verdict(self) -> SuiteVerdict:
        if self._verdict is None:
            self._verdict = run_suite_file(self.suite)
        return self._verdict

    def output_excerpt_once(self) -> str:
        """Godot's output for the first failing item of a failed file, a pointer for the rest."""
        excerpt = self.verdict().output_excerpt
        if not excerpt:
            return ""
        if self._output_shown:
            return "\n(Godot's output is shown under the first failed test of this file)"
        self._output_shown = True
        return "\n--- end of Godot's output ---\n" + excerpt


class GdTestItem(pytest.Item):
    """One `func test_*()` of a GDScript suite."""

    def __init__(self, *, line: int, **kwargs):
        super().__init__(**kwargs)
        self.line = line
        self.add_marker("godot")

    def runtest(self) -> None:
        outcome = self.parent.verdict().outcome_of(self.name)
        if not outcome.passed:
            raise GodotTestFailure(outcome.message + self.parent.output_excerpt_once())

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, GodotTestFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, self.line - 1, self.name


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "godot: runs headless Godot (GDScript suites, run_godot, run_gdscript)")


def pytest_collect_file(file_path: Path, parent):
    if is_suite_path(file_path):
        return GdSuiteFile.from_parent(parent, path=file_path)
    return None


@pytest.fixture(scope="session")
def godot_project() -> Path:
    problem = ensure_imported(TEST_PROJECT)
    if problem:
        pytest.fail(problem, pytrace=False)
    return TEST_PROJECT


@pytest.fixture
def run_godot():
    def run(args: Sequence[str], timeout: float = FIXTURE_TIMEOUT, cwd=None) -> GodotRun:
        return _run_godot(args, timeout=timeout, cwd=cwd)

    return run


@pytest.fixture
def run_gdscript(godot_project: Path):
    written: list[Path] = []

    def run(source: str, timeout: float = FIXTURE_TIMEOUT, args: Sequence[str] = ()) -> GodotRun:
        path = write_scratch_script(godot_project, as_script(source))
        written.append(path)
        return _run_godot(
            ["--headless", "--path", godot_project, *args, "--", f"--main={res_path(godot_project, path)}"],
            timeout=timeout,
        )

    yield run
    for path in written:
        path.unlink(missing_ok=True)
