"""Through pytest itself: a deliberately failing GDScript test makes the whole run fail,
reports that test as failed with its message, and the other test of the file passes."""

import os
import subprocess
import sys
import textwrap

import pytest
from harness.godot import REPO_ROOT

pytestmark = pytest.mark.godot

FAILING_SUITE = textwrap.dedent("""\
    extends TestSuite


    func test_passes() -> void:
    \tassert_eq("a" + "b", "ab")


    func test_fails_on_purpose() -> void:
    \tassert_eq(1, 2, "deliberate failure")
    """)


def test_a_failing_gdscript_test_fails_the_pytest_run(project, tmp_path):
    (project / "suites" / "test_deliberate.gd").write_text(FAILING_SUITE)
    (tmp_path / "conftest.py").write_text("from harness.plugin import pytest_collect_file  # noqa: F401\n")
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT / "tests"))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            "-rfE",
            "--rootdir",
            tmp_path,
            "-c",
            os.devnull,
            str(tmp_path),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "1 failed, 1 passed" in output, output
    assert "FAILED project/suites/test_deliberate.gd::test_fails_on_purpose" in output, output
    assert "deliberate failure: assert_eq: expected int(2), got int(1)" in output, output
