"""Make python/ importable for the registration API tests (which run without Godot)."""

import sys
from pathlib import Path

PYTHON_DIR = Path(__file__).resolve().parents[3] / "python"
if str(PYTHON_DIR) not in sys.path:
    sys.path.insert(0, str(PYTHON_DIR))
