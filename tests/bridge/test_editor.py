"""The editor loads the extension and the Python classes without a single error line."""

from __future__ import annotations

import re

ERROR_LINE = re.compile(r"^(USER )?(ERROR|WARNING|SCRIPT ERROR):", re.MULTILINE)


def test_editor_loads_extension_and_python_classes_cleanly(run_godot, godot_project):
    probe = godot_project / ".scratch" / "editor_probe.gd"
    probe.parent.mkdir(exist_ok=True)
    probe.write_text(
        "@tool\nextends SceneTree\n\nfunc _initialize():\n"
        "\tprint('classes: ', ClassDB.class_exists('PyCounter'), ' ', ClassDB.class_exists('PyHTTPClient'))\n"
        "\tprint('editor hint: ', Engine.is_editor_hint())\n\tquit()\n"
    )
    try:
        run = run_godot(["--editor", "--headless", "--path", str(godot_project), "--quit"], timeout=120)
        assert run.exit_code == 0, run.output[-3000:]
        assert not ERROR_LINE.search(run.output), run.output[-3000:]
        listed = run_godot(["--headless", "--path", str(godot_project), "--script", "res://.scratch/editor_probe.gd"])
        assert "classes: true true" in listed.output, listed.output[-2000:]
    finally:
        probe.unlink(missing_ok=True)
