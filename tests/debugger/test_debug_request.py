"""Who asks for the debugger and where it listens (godot._debugger.request_from, pure)."""

from __future__ import annotations

import pytest
from godot._debugger import DEFAULT_HOST, SETTING_EDITOR_PORT, SETTING_PORT, SETTING_WAIT, request_from


def test_off_unless_asked():
    assert request_from({}, {}, in_editor=False) is None
    assert request_from({}, {SETTING_PORT: 0}, in_editor=False) is None


def test_environment_port_and_address():
    request = request_from({"GODOT_PYTHON_DEBUG": "5678"}, {}, in_editor=False)
    assert (request.host, request.port, request.wait) == (DEFAULT_HOST, 5678, False)
    request = request_from({"GODOT_PYTHON_DEBUG": "0.0.0.0:6000", "GODOT_PYTHON_DEBUG_WAIT": "1"}, {}, in_editor=True)
    assert (request.host, request.port, request.wait) == ("0.0.0.0", 6000, True)


def test_environment_wins_over_project_settings():
    request = request_from({"GODOT_PYTHON_DEBUG": "7000"}, {SETTING_PORT: 5678}, in_editor=False)
    assert request.port == 7000 and request.source == "$GODOT_PYTHON_DEBUG"


def test_project_settings_separate_game_and_editor():
    settings = {SETTING_PORT: 5678, SETTING_EDITOR_PORT: 5679, SETTING_WAIT: True}
    assert request_from({}, settings, in_editor=False).port == 5678
    editor = request_from({}, settings, in_editor=True)
    assert (editor.port, editor.wait) == (5679, True)
    assert request_from({}, {SETTING_PORT: 5678}, in_editor=True) is None  # the editor is not the game


@pytest.mark.parametrize("address", ["x", "70000", "host:0", ":"])
def test_bad_addresses_are_errors(address):
    with pytest.raises(ValueError):
        request_from({"GODOT_PYTHON_DEBUG": address}, {}, in_editor=False)
