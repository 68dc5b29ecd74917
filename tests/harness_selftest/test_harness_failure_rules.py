"""The harness fails when it must: each broken suite runs in a throwaway project copy and
the verdict must fail with the right reason (and a good suite must pass)."""

import textwrap

import pytest
from harness.suite_run import run_suite_file

pytestmark = pytest.mark.godot


def suite_source(body: str, header: str = "") -> str:
    return header + "extends TestSuite\n\n\n" + textwrap.dedent(body).strip("\n") + "\n"


def run(write_suite, body: str, header: str = ""):
    return run_suite_file(write_suite(suite_source(body, header)), import_first=False)


def test_a_clean_suite_passes_every_test(write_suite):
    verdict = run(
        write_suite,
        """
        func test_one() -> void:
        \tassert_eq(1, 1)

        func test_two() -> void:
        \tawait next_frame()
        \tassert_true(true)
        """,
    )
    assert verdict.suite_error is None
    assert verdict.outcome_of("test_one").passed and verdict.outcome_of("test_two").passed


def test_a_failed_assertion_fails_that_test_with_message_and_line(write_suite):
    verdict = run(
        write_suite,
        """
        func test_good() -> void:
        \tassert_true(true)

        func test_bad() -> void:
        \tassert_eq(2 + 2, 5, "arithmetic")
        """,
    )
    assert verdict.suite_error is None
    assert verdict.outcome_of("test_good").passed
    bad = verdict.outcome_of("test_bad")
    assert not bad.passed
    assert bad.message == ("arithmetic: assert_eq: expected int(5), got int(4) (at res://suites/test_probe.gd:8)")


def test_a_script_error_fails_the_whole_suite_naming_the_test(write_suite):
    verdict = run(
        write_suite,
        """
        func test_fine() -> void:
        \tassert_true(true)

        func test_breaks() -> void:
        \tvar d := {}
        \tprint(d.missing.deeper)
        """,
    )
    assert verdict.suite_error and "script error (during test_breaks)" in verdict.suite_error
    assert verdict.suite_error.count("script error") == 1  # the runner's FAIL marker is not counted
    assert not verdict.outcome_of("test_fine").passed
    assert "Invalid access" in verdict.outcomes["test_breaks"].message  # the runner's own report


def test_a_script_error_after_an_await_fails_that_test_and_the_run_goes_on(write_suite):
    verdict = run(
        write_suite,
        """
        func test_breaks_later() -> void:
        \tawait next_frame()
        \tvar d := {}
        \tprint(d.missing)

        func test_after() -> void:
        \tassert_true(true)
        """,
    )
    assert verdict.suite_error.startswith("script error (during test_breaks_later)")
    assert "Invalid access" in verdict.outcomes["test_breaks_later"].message
    assert verdict.outcomes["test_after"].passed  # reported, though the file still fails


def test_a_parse_error_fails_the_whole_suite(write_suite):
    verdict = run(
        write_suite,
        """
        func test_unparsable() -> void:
        \tvar = = 1
        """,
    )
    assert verdict.suite_error and "script error" in verdict.suite_error
    assert "suite error: cannot load res://suites/test_probe.gd" in verdict.suite_error


def test_a_crash_fails_the_whole_suite_naming_the_test(write_suite):
    verdict = run(
        write_suite,
        """
        func test_before() -> void:
        \tassert_true(true)

        func test_crashes() -> void:
        \tOS.crash("deliberate crash")
        """,
    )
    assert verdict.suite_error.startswith("Godot stopped without the end-of-run marker while running test_crashes")
    assert not verdict.outcome_of("test_before").passed


def test_a_hang_fails_at_the_header_timeout_naming_the_test(write_suite):
    verdict = run(
        write_suite,
        """
        func test_hangs() -> void:
        \tawait tree.create_timer(3600).timeout
        """,
        header="# timeout: 2\n",
    )
    assert verdict.suite_error.startswith("timed out after 2 s while running test_hangs (no end-of-run marker)")


def test_a_leaked_object_fails_the_whole_suite(write_suite):
    verdict = run(
        write_suite,
        """
        func test_leaks() -> void:
        \tvar leaked := Object.new()
        \tassert_true(leaked != null)
        """,
    )
    assert verdict.suite_error and "objects leaked" in verdict.suite_error
    assert "ObjectDB instances leaked at exit" in verdict.suite_error


def test_a_nonzero_exit_without_a_failed_test_fails_the_suite(write_suite):
    verdict = run(
        write_suite,
        """
        func test_sets_exit_code_at_shutdown() -> void:
        \ttree.root.tree_exiting.connect(tree.quit.bind(3))
        """,
    )
    assert verdict.suite_error and "Godot ended with exit code 3 after the end-of-run marker" in verdict.suite_error


def test_a_test_function_the_runner_did_not_report_fails_the_suite(write_suite):
    verdict = run(
        write_suite,
        """
        func test_runs() -> void:
        \tassert_true(true)

        func test_needs_an_argument(value: int) -> void:
        \tassert_true(value > 0)
        """,
    )
    assert verdict.suite_error and "not reported by the runner: test_needs_an_argument" in verdict.suite_error


ENGINE_ERROR_BODY = """
    func test_engine_error() -> void:
    \tpush_error("deliberate engine error")
    """


def test_an_engine_error_line_fails_the_suite_unless_expected(write_suite):
    verdict = run(write_suite, ENGINE_ERROR_BODY)
    assert verdict.suite_error and "engine error" in verdict.suite_error
    assert "ERROR: deliberate engine error" in verdict.suite_error


@pytest.mark.parametrize("header", ["# expect-errors\n", "# expect-error: deliberate engine\n"])
def test_an_expected_engine_error_line_is_allowed(write_suite, header):
    verdict = run(write_suite, ENGINE_ERROR_BODY, header=header)
    assert verdict.suite_error is None


def test_expect_errors_never_allows_a_script_error(write_suite):
    verdict = run(
        write_suite,
        """
        func test_breaks() -> void:
        \tvar missing = null
        \tmissing.call("x")
        """,
        header="# expect-errors\n",
    )
    assert verdict.suite_error and "script error" in verdict.suite_error


def test_an_extension_that_fails_to_load_fails_the_suite(project, write_suite):
    addon = project / "addons" / "broken"
    addon.mkdir(parents=True)
    (addon / "broken.gdextension").write_text(
        '[configuration]\nentry_symbol = "broken_init"\ncompatibility_minimum = "4.3"\n\n'
        '[libraries]\nlinux.debug.x86_64 = "res://addons/broken/missing.so"\n'
        'linux.release.x86_64 = "res://addons/broken/missing.so"\n'
    )
    (project / ".godot" / "extension_list.cfg").write_text("res://addons/broken/broken.gdextension\n")
    verdict = run(
        write_suite,
        """
        func test_anything() -> void:
        \tassert_true(true)
        """,
        header="# expect-errors\n",
    )
    assert verdict.suite_error and "extension failed to load" in verdict.suite_error
