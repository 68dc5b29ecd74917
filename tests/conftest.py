"""Root conftest of the test tree: plugs in the GDScript suite harness (tests/harness).

Python tests need nothing from here; GDScript suites under tests/godot_project/suites are
collected as pytest items, and the fixtures run_godot, run_gdscript and godot_project
become available everywhere.
"""

from harness.plugin import (  # noqa: F401  (pytest finds hooks and fixtures by name)
    godot_project,
    pytest_collect_file,
    pytest_configure,
    run_gdscript,
    run_godot,
)
