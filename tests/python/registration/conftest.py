"""Make python/ importable for the registration API tests (which run without Godot)."""

import sys
from pathlib import Path

PYTHON_DIR = Path(__file__).resolve().parents[3] / "python"
if str(PYTHON_DIR) not in sys.path:
    sys.path.insert(0, str(PYTHON_DIR))

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def isolated_registry():
    """Each test starts with the registry as it was and leaves it that way, so tests may
    define classes with the same names."""
    from godot import _register

    saved_registry, saved_pending = dict(_register._registry), list(_register._pending)
    yield
    _register._registry.clear()
    _register._registry.update(saved_registry)
    _register._pending[:] = saved_pending
