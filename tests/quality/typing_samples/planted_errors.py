"""Planted mistakes: each line marked with an error comment must be reported by mypy and pyright."""

from __future__ import annotations

import godot
from godot import Label, Node, Property


class Panel(Node):
    volume = Property(int, default=5)

    def _ready(self) -> None:
        label = Label()
        label.text = 5  # error: property type
        self.add_child(label, False, 0, 7)  # error: argument count
        self.add_child("label")  # error: argument type

    def title(self) -> int:
        return Label().text  # error: return type


def configure(panel: Panel) -> None:
    panel.volume = "loud"  # error: python property type
    panel.get_child(0, True, 1)  # error: argument count
    panel.set_process("yes")  # error: argument type


def fetch(how: godot.HTTPClient.Method) -> godot.Error:
    return 5  # error: return type (an int is not an Error)


def call_fetch() -> None:
    fetch(godot.Error.OK)  # error: argument type (an Error is not a Method)
