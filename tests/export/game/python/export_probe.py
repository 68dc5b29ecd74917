"""A class of the test game (tests/export): numpy inside an exported game, and where its
Python comes from. Everything here must run on the addon's Python 3.11."""

from __future__ import annotations

import os
import sys
import time

_IMPORT_STARTED_AT = time.clock_gettime(time.CLOCK_BOOTTIME)

import numpy  # noqa: E402 - timed on purpose
from godot import RefCounted, _loader, method  # noqa: E402

_IMPORTED_AT = time.clock_gettime(time.CLOCK_BOOTTIME)


def _process_started_at() -> float:
    """When this process started (seconds since boot), from /proc/self/stat."""
    with open("/proc/self/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22: starttime


class ExportProbe(RefCounted):
    """Answers the exported test game's questions."""

    @method
    def python_info(self) -> str:
        return f"python={sys.version_info.major}.{sys.version_info.minor} prefix={sys.prefix} numpy={numpy.__version__}"

    @method
    def startup_ms(self) -> str:
        """Milliseconds from the process's start to the first Python class registered (the
        addon's PyHTTPClient), and to this module's import (numpy included) just before its
        class registered; and numpy's import alone."""
        started = _process_started_at()
        first = round((_loader.first_registered_at - started) * 1000)
        this = round((_IMPORTED_AT - started) * 1000)
        return (
            f"first_class={first} probe_class={this} numpy_import={round((_IMPORTED_AT - _IMPORT_STARTED_AT) * 1000)}"
        )

    @method
    def numpy_check(self) -> str:
        matrix = numpy.array([[2.0, 1.0], [1.0, 3.0]])
        determinant = float(numpy.linalg.det(matrix))
        total = int(numpy.arange(1, 101).sum())
        ok = abs(determinant - 5.0) < 1e-9 and total == 5050
        return f"{'ok' if ok else 'FAIL'} det={determinant:.6f} sum={total}"
