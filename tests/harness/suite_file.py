"""Read a GDScript suite file: its test functions and its header options.

Test functions are the top-level `func test_*(` lines (not static, not in inner classes),
the same set the runner calls (it also runs inherited ones). Header options are comment
lines in the leading comment block of the file:

    # timeout: 600                  seconds for the whole suite file (default 300)
    # expect-errors                 engine `ERROR:` lines are allowed (never SCRIPT ERROR)
    # expect-error: some text       `ERROR:` lines containing this text are allowed (repeatable)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .godot import DEFAULT_TIMEOUT

_TEST_FUNC = re.compile(r"^func\s+(test_\w+)\s*\(")
_HEADER = re.compile(r"^#\s*(timeout|expect-errors|expect-error)\b\s*:?\s*(.*?)\s*$")


@dataclass(frozen=True)
class TestFunction:
    name: str
    line: int  # 1-based


@dataclass(frozen=True)
class SuiteFile:
    path: Path
    tests: tuple[TestFunction, ...]
    timeout: float = DEFAULT_TIMEOUT
    expect_errors: bool = False
    expected_error_texts: tuple[str, ...] = ()

    def allows_error_line(self, line: str) -> bool:
        return self.expect_errors or any(text in line for text in self.expected_error_texts)


def is_suite_path(path: Path) -> bool:
    """A test_*.gd file somewhere under a `suites` folder."""
    return path.suffix == ".gd" and path.name.startswith("test_") and "suites" in path.parts[:-1]


def read_suite_file(path: Path) -> SuiteFile:
    lines = path.read_text(encoding="utf-8").splitlines()
    tests = tuple(
        TestFunction(m.group(1), number) for number, line in enumerate(lines, 1) if (m := _TEST_FUNC.match(line))
    )
    timeout, expect_errors, texts = DEFAULT_TIMEOUT, False, []
    for line in lines:
        if not line.strip():
            continue
        if not line.startswith("#"):
            break
        header = _HEADER.match(line)
        if not header:
            continue
        key, value = header.groups()
        if key == "timeout":
            timeout = float(value)
        elif key == "expect-errors":
            expect_errors = True
        elif value:
            texts.append(value)
    return SuiteFile(path, tests, timeout, expect_errors, tuple(texts))
