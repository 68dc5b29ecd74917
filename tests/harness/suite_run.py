"""Run one suite file in one headless Godot process and judge the run."""

from __future__ import annotations

from pathlib import Path

from .godot import run_godot
from .markers import parse_runner_output
from .project import ensure_imported, find_project, res_path
from .suite_file import SuiteFile, read_suite_file
from .verdict import SuiteVerdict, judge


def run_suite_file(suite: SuiteFile | Path, import_first: bool = True) -> SuiteVerdict:
    """Run the suite; import its project first unless the caller has (import_first=False)."""
    if isinstance(suite, Path):
        suite = read_suite_file(suite)
    project = find_project(suite.path.parent)
    if project is None:
        return SuiteVerdict(f"{suite.path} is not inside a Godot project (no project.godot above it)")
    import_problem = ensure_imported(project) if import_first else None
    if import_problem:
        return SuiteVerdict(import_problem)
    run = run_godot(
        ["--headless", "--path", project, "--", f"--suite={res_path(project, suite.path)}"],
        timeout=suite.timeout,
        merge_stderr=True,
    )
    return judge(run, suite, parse_runner_output(run.stdout))
