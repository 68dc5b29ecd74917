"""The harness's parsers, without Godot: suite files, runner markers, problem lines."""

from pathlib import Path

from harness.markers import parse_runner_output
from harness.suite_file import is_suite_path, read_suite_file
from harness.verdict import find_problem_lines

SUITE = """\
# What this suite covers.
# timeout: 42
# expect-error: harmless engine complaint
extends TestSuite


func test_first() -> void:
\tpass


static func test_static_is_not_a_test() -> void:
\tpass


func helper() -> void:
\tpass


class Inner:
\tfunc test_inner_is_not_a_test() -> void:
\t\tpass


func test_second_is_a_coroutine() -> void:
\tawait next_frame()
"""


def test_suite_file_lists_top_level_test_functions_with_lines(tmp_path):
    path = tmp_path / "suites" / "test_x.gd"
    path.parent.mkdir()
    path.write_text(SUITE)
    suite = read_suite_file(path)
    assert [(t.name, t.line) for t in suite.tests] == [("test_first", 7), ("test_second_is_a_coroutine", 24)]
    assert suite.timeout == 42
    assert not suite.expect_errors
    assert suite.allows_error_line("ERROR: harmless engine complaint here")
    assert not suite.allows_error_line("ERROR: something else")


def test_suite_header_stops_at_the_first_code_line(tmp_path):
    path = tmp_path / "test_y.gd"
    path.write_text("extends TestSuite\n# expect-errors\n# timeout: 1\n")
    suite = read_suite_file(path)
    assert not suite.expect_errors and suite.timeout == 300


def test_only_test_files_under_a_suites_folder_are_suites():
    assert is_suite_path(Path("tests/godot_project/suites/http/test_client.gd"))
    assert not is_suite_path(Path("tests/godot_project/runner/test_runner.gd"))
    assert not is_suite_path(Path("tests/godot_project/suites/helper.gd"))
    assert not is_suite_path(Path("tests/godot_project/suites/test_data.py"))


def test_markers_give_outcomes_messages_and_the_running_test():
    report = parse_runner_output(
        "Godot Engine v4\n"
        "@@SUITE a/test_x.gd 3\n"
        "@@RUN a/test_x.gd test_ok\n"
        "@@TEST a/test_x.gd test_ok PASS\n"
        "@@RUN a/test_x.gd test_bad\n"
        "@@TEST a/test_x.gd test_bad FAIL first line\\nsecond line\n"
        "@@RUN a/test_x.gd test_crashes\n"
        "SCRIPT ERROR: boom\n"
    )
    assert report.outcomes["test_ok"].passed
    assert report.outcomes["test_bad"].message == "first line\nsecond line"
    assert not report.ended
    assert report.last_started == "test_crashes"
    problems = find_problem_lines(
        "Godot Engine v4\n@@SUITE\n@@RUN\n@@TEST\n@@RUN\n@@TEST\n@@RUN\nSCRIPT ERROR: boom\n",
        running_at_line=report.running_at_line,
    )
    assert [str(p) for p in problems] == ["script error (during test_crashes): SCRIPT ERROR: boom"]


def test_problem_lines_include_their_location_and_respect_allowances():
    output = (
        "ERROR: expected complaint\n   at: somewhere (x.cpp:1)\n"
        "WARNING: ObjectDB instances leaked at exit (run with --verbose for details).\n"
        "USER ERROR: other\n"
    )
    problems = find_problem_lines(output, allows_error_line=lambda line: "expected" in line)
    assert [p.reason for p in problems] == [
        "objects leaked",
        "engine error (add '# expect-errors' to the suite header if expected)",
    ]
    assert str(find_problem_lines(output)[0]).endswith("ERROR: expected complaint  at: somewhere (x.cpp:1)")
