"""Lowers tests/quality/mypy_baseline.json to the errors mypy finds now (never raises a count).

    tools/run env PYTHONPATH=$(tools/devtools) python3 tests/quality/lower_mypy_baseline.py

Run it after fixing type errors, so the gate holds the ground gained.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from test_gates import ADDON_CLASSES, BASELINE, ERROR_LINE, implementation_packages

REPO = Path(__file__).resolve().parents[2]


def counts() -> Counter[str]:
    found: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as cache:
        runs = [
            (["--config-file", "mypy.ini", *implementation_packages()], {}),
            (
                ["--config-file", "mypy.ini", "--follow-imports", "silent", ADDON_CLASSES],
                {"MYPYPATH": f"{REPO / 'addons' / 'godot_python' / 'lib'}:{REPO / ADDON_CLASSES}"},
            ),
        ]
        for args, env in runs:
            run = subprocess.run(
                [sys.executable, "-m", "mypy", "--cache-dir", cache, *args],
                cwd=REPO,
                capture_output=True,
                text=True,
                env={**__import__("os").environ, **env},
            )
            found.update(m.group("file") for m in ERROR_LINE.finditer(run.stdout))
    return found


def main() -> None:
    baseline: dict[str, int] = json.loads(BASELINE.read_text())
    now = counts()
    lowered = {f: min(n, now.get(f, 0)) for f, n in baseline.items()}
    lowered = {f: n for f, n in sorted(lowered.items()) if n > 0}
    BASELINE.write_text(json.dumps(lowered, indent=1) + "\n")
    print(f"{sum(lowered.values())} errors in {len(lowered)} files (was {sum(baseline.values())} in {len(baseline)})")


if __name__ == "__main__":
    main()
