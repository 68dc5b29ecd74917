"""The failure rules: from one Godot run of a suite file, decide every test's outcome.

The whole suite file fails (every test, with the reasons) when any of these holds:
  - the run timed out, or ended without the `@@END` marker (a crash or a hang);
  - a `SCRIPT ERROR` line was printed (never allowed);
  - `Error loading extension` or `Can't open dynamic library` was printed;
  - `ObjectDB instances leaked at exit` or `Leaked instance` was printed;
  - an engine `ERROR:` line was printed and the suite header does not allow it
    (`# expect-errors`, or `# expect-error: <text>`);
  - the runner reported a suite error (script does not load, before_all/after_all failed);
  - Godot exited non-zero although no test failed;
  - a test function of the file was not reported by the runner.
Otherwise each test passes or fails with the runner's message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .godot import GodotRun, describe_exit
from .markers import MARK, RunnerReport, TestOutcome
from .project import tail
from .suite_file import SuiteFile

# (reason, pattern) for lines that fail a run whatever the suite header says.
FATAL_LINES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("script error", re.compile(r"SCRIPT ERROR")),
    ("extension failed to load", re.compile(r"Error loading extension|Can't open dynamic library")),
    ("objects leaked", re.compile(r"ObjectDB instances leaked at exit|Leaked instance")),
)
ENGINE_ERROR_LINE = re.compile(r"^(USER )?ERROR:")
MAX_LISTED_PROBLEMS = 5


@dataclass(frozen=True)
class ProblemLine:
    reason: str
    text: str  # the line and its "at:" line
    during: str | None  # the test running when it was printed

    def __str__(self) -> str:
        where = f" (during {self.during})" if self.during else ""
        return f"{self.reason}{where}: {self.text}"


@dataclass
class SuiteVerdict:
    suite_error: str | None = None  # why the whole file failed, one reason a line
    outcomes: dict[str, TestOutcome] = field(default_factory=dict)
    output_excerpt: str = ""  # the end of Godot's output, when the whole file failed

    def outcome_of(self, test: str) -> TestOutcome:
        own = self.outcomes.get(test)
        if self.suite_error:
            prefix = f"{own.message}\n" if own and not own.passed else ""
            return TestOutcome(False, f"{prefix}suite file failed: {self.suite_error}")
        return own or TestOutcome(False, f"{test} was not reported by the runner")


def find_problem_lines(
    output: str, allows_error_line=lambda line: False, running_at_line: list[str | None] | None = None
) -> list[ProblemLine]:
    """Lines of Godot output that fail a run, with the test running at the time."""
    lines = output.splitlines()
    problems = []
    for index, line in enumerate(lines):
        if line.startswith(MARK):  # the runner's own reports, judged from the markers
            continue
        reason = next((why for why, pattern in FATAL_LINES if pattern.search(line)), None)
        if reason is None and ENGINE_ERROR_LINE.match(line) and not allows_error_line(line):
            reason = "engine error (add '# expect-errors' to the suite header if expected)"
        if reason is None:
            continue
        text = line.strip()
        if index + 1 < len(lines) and lines[index + 1].strip().startswith("at:"):
            text += "  " + lines[index + 1].strip()
        during = running_at_line[index] if running_at_line and index < len(running_at_line) else None
        problems.append(ProblemLine(reason, text, during))
    return problems


def judge(run: GodotRun, suite: SuiteFile, report: RunnerReport) -> SuiteVerdict:
    reasons: list[str] = []
    if not report.ended:
        during = f" while running {report.last_started}" if report.last_started else ""
        if run.timed_out:
            reasons.append(f"timed out after {suite.timeout:g} s{during} (no end-of-run marker)")
        else:
            reasons.append(
                f"Godot stopped without the end-of-run marker{during}: {describe_exit(run.exit_code)} (crash?)"
            )

    problems = find_problem_lines(run.output, suite.allows_error_line, report.running_at_line)
    reasons += [str(p) for p in problems[:MAX_LISTED_PROBLEMS]]
    if len(problems) > MAX_LISTED_PROBLEMS:
        reasons.append(f"... and {len(problems) - MAX_LISTED_PROBLEMS} more such lines")

    reasons += [f"suite error: {message}" for message in report.suite_errors]

    if report.ended and run.exit_code != 0 and not report.any_failed:
        reasons.append(
            f"Godot ended with {describe_exit(run.exit_code)} after the end-of-run marker "
            "although no test failed (a crash or error at shutdown?)"
        )

    missing = [t.name for t in suite.tests if t.name not in report.outcomes]
    if missing and report.ended and not report.suite_errors:
        reasons.append("not reported by the runner: " + ", ".join(missing))

    if reasons:
        return SuiteVerdict("\n".join(reasons), dict(report.outcomes), tail(run.output))
    return SuiteVerdict(None, dict(report.outcomes))
