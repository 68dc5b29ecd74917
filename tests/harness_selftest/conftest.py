"""Fixtures for the harness self-tests: throwaway copies of the test project.

The template copy (runner and project.godot, no suites, no addon) is imported once per
session; each test gets its own copy of it, .godot/ included, so it runs without importing
again and its deliberately broken suites never reach the real project.
"""

import shutil
from pathlib import Path

import pytest
from harness.project import TEST_PROJECT, ensure_imported

_NOT_COPIED = shutil.ignore_patterns(".godot", ".scratch", "addons", "suites")


@pytest.fixture(scope="session")
def imported_template(tmp_path_factory) -> Path:
    template = tmp_path_factory.mktemp("template") / "project"
    shutil.copytree(TEST_PROJECT, template, ignore=_NOT_COPIED)
    (template / "suites").mkdir()
    problem = ensure_imported(template)
    if problem:
        pytest.fail(problem, pytrace=False)
    return template


@pytest.fixture
def project(imported_template, tmp_path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(imported_template, copy, symlinks=True)
    return copy


@pytest.fixture
def write_suite(project):
    """write_suite(source, name="test_probe.gd") -> Path of a suite in the project copy."""

    def write(source: str, name: str = "test_probe.gd") -> Path:
        path = project / "suites" / name
        path.write_text(source)
        return path

    return write
