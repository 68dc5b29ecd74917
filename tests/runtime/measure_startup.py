"""Measures, for the closing figures of issue 9, the time from starting Godot to the Python
classes being registered: the project's class module (tests/runtime/probe_project.py) prints
the wall-clock time when it is imported, which is after the addon's own classes (PyHTTPClient,
PyHTTPRequest) registered, so the figure is an upper bound for the first class.

    tools/run python3 tests/runtime/measure_startup.py [ROUNDS]

Uses tools/package's zip, unzipped into a fresh project; prints each round and the medians
for the editor (--editor --headless --quit) and a headless game run."""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]
from harness.godot import godot_binary  # noqa: E402
from probe_project import list_extension, write_project  # noqa: E402
from shipped_elf import package_zip  # noqa: E402
from test_package import unzip  # noqa: E402

LOADED = re.compile(r"RUNTIME-PROBE-LOADED editor=\w+ at=([\d.]+)")


def one_run(args: list[str]) -> tuple[float, float]:
    """(seconds to the class module's import, seconds to exit) for one Godot process."""
    start = time.time()
    run = subprocess.run([godot_binary(), *args], capture_output=True, text=True, timeout=300)
    end = time.time()
    match = LOADED.search(run.stdout)
    if run.returncode != 0 or not match:
        sys.exit(f"measure: the run failed ({run.returncode}):\n{run.stdout[-2000:]}{run.stderr[-2000:]}")
    return float(match.group(1)) - start, end - start


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    zip_path = package_zip()
    print(f"zip: {zip_path.name}, {zip_path.stat().st_size / 1e6:.1f} MB")
    with tempfile.TemporaryDirectory() as tmp:
        project = write_project(Path(tmp) / "fresh")
        with zipfile.ZipFile(zip_path) as archive:
            unzip(archive, project)
        list_extension(project)
        one_run(["--editor", "--headless", "--quit", "--path", str(project)])  # first import, not measured
        for label, args in (
            ("editor", ["--editor", "--headless", "--quit", "--path", str(project)]),
            ("game", ["--headless", "--path", str(project), "--script", "res://main.gd"]),
        ):
            loaded, total = zip(*(one_run(args) for _ in range(rounds)))
            print(
                f"{label}: Godot start -> Python classes registered: "
                + " ".join(f"{x * 1000:.0f}" for x in loaded)
                + f" ms; median {statistics.median(loaded) * 1000:.0f} ms "
                f"(whole run median {statistics.median(total) * 1000:.0f} ms)"
            )


if __name__ == "__main__":
    main()
