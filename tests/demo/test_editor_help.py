"""The editor with PyHTTPClient's help page open: docstrings rendered as Godot's class docs.

A throwaway copy of demo_project gets a test-only plugin (tests/demo/editor_help_shot/)
that opens the page, saves the editor window to build/screenshots/editor_help.png and
prints the page's text; the test checks the text for the class's docstrings and that the
picture is not blank. The copy keeps the demo project itself free of test code.
"""

from __future__ import annotations

import json

import pytest
from demo_helpers import REPO, WINDOW_FLAGS, project_copy, run_window
from demo_png import read_png

pytestmark = [pytest.mark.godot, pytest.mark.slow]

PLUGIN = REPO / "tests" / "demo" / "editor_help_shot"


def test_editor_shows_pyhttpclient_help_page(demo_project, xvfb_display, screenshots, tmp_path, monkeypatch):
    project = project_copy(tmp_path, plugin=PLUGIN)
    png = screenshots / "editor_help.png"
    png.unlink(missing_ok=True)
    monkeypatch.setenv("EDITOR_HELP_PNG", str(png))
    run = run_window(
        ["--editor", "--path", project, *WINDOW_FLAGS, "--resolution", "1600x1000"], xvfb_display, timeout=90
    )
    lines = [line for line in run.stdout.splitlines() if line.startswith("EDITOR_HELP_TEXT ")]
    assert run.exit_code == 0 and lines, f"the editor did not finish ({run.exit_code}):\n{run.output[-3000:]}"
    text = json.loads(lines[-1][len("EDITOR_HELP_TEXT ") :])
    # The class docstring and member docstrings of addons/godot_python/classes/py_http_client.py.
    assert "PyHTTPClient" in text
    assert "set_tls_public_key_pins" in text and "poll" in text and "STATUS_BODY" in text
    assert "Python" in text  # the brief description comes from the docstring
    picture = read_png(png.read_bytes())
    mean, deviation, colours = picture.luminance_stats(step=3)
    assert deviation > 10 and colours > 50, f"{png} looks blank: sd {deviation:.1f}, {colours} colours"
