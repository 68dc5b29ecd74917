"""Parse the marker lines the GDScript runner prints (res://runner/test_runner.gd).

    @@SUITE <suite> <count>
    @@RUN <suite> <test>
    @@TEST <suite> <test> PASS
    @@TEST <suite> <test> FAIL <message with \\n escaped>
    @@SUITE_ERROR <suite> <message>
    @@END ...

Lines that are not markers are Godot's own output and are left to the verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MARK = "@@"


@dataclass(frozen=True)
class TestOutcome:
    passed: bool
    message: str = ""


@dataclass
class RunnerReport:
    outcomes: dict[str, TestOutcome] = field(default_factory=dict)
    suite_errors: list[str] = field(default_factory=list)
    ended: bool = False
    # For each output line, the test running when it was printed (None outside tests).
    running_at_line: list[str | None] = field(default_factory=list)

    @property
    def last_started(self) -> str | None:
        """The test that was running when the output stopped, if any."""
        return self.running_at_line[-1] if self.running_at_line else None

    @property
    def any_failed(self) -> bool:
        return bool(self.suite_errors) or any(not o.passed for o in self.outcomes.values())


def parse_runner_output(output: str) -> RunnerReport:
    report = RunnerReport()
    running: str | None = None
    for line in output.splitlines():
        report.running_at_line.append(running)
        if not line.startswith(MARK):
            continue
        kind, _, rest = line[len(MARK) :].partition(" ")
        if kind == "RUN":
            running = rest.split(" ", 1)[-1]
            report.running_at_line[-1] = running
        elif kind == "TEST":
            _suite, test, verdict_and_message = (rest.split(" ", 2) + ["", ""])[:3]
            verdict, _, message = verdict_and_message.partition(" ")
            report.outcomes[test] = TestOutcome(verdict == "PASS", message.replace("\\n", "\n"))
            running = None
        elif kind == "SUITE_ERROR":
            report.suite_errors.append(rest.split(" ", 1)[-1])
        elif kind == "END":
            report.ended = True
            running = None
    return report
