"""A correct class module: type checkers pointed at the addon must accept it as it is."""

from __future__ import annotations

from typing import Annotated

import godot
from godot import HTTPClient, IntEnum, Label, Node, Property, RefCounted, Signal, Vector2, method


class Greeter(RefCounted):
    """Greets people."""

    class Mood(IntEnum):
        HAPPY = 0
        GRUMPY = 1

    greeted = Signal(name=str)
    volume = Property(int, default=5, hint=godot.hint_range(0, 10))
    MAX_VOLUME = godot.Constant(10)

    @method
    def greet(self, name: str, times: int = 1) -> str:
        self.greeted.emit(name)
        return ("Hello " + name + "! ") * times

    @method(const=True)
    def mood(self) -> Greeter.Mood:
        return Greeter.Mood.HAPPY if self.volume < 8 else Greeter.Mood.GRUMPY

    @method
    @staticmethod
    def version() -> int:
        return 1


class Mover(Node):
    speed = Property(float, default=2.0)

    def _ready(self) -> None:
        label = Label()
        label.text = "hi"
        self.add_child(label)
        self.name = "Mover"  # a StringName property takes a str
        count: int = self.get_child_count()
        godot.print(count, godot.OS.get_name(), label.text.upper(), HTTPClient.STATUS_BODY)
        self.ready.connect(self._on_ready)

    def _on_ready(self) -> None:
        children: list[Node] = self.get_children()
        godot.print(len(children))

    def _process(self, delta: float) -> None:
        position = Vector2(1.0, 2.0)
        self.speed = self.speed * delta + position.x


class Fetcher(RefCounted):
    """Engine enums as types: `godot.HTTPClient.Method`, `godot.Error` (IntEnum classes)."""

    @method
    def fetch(self, how: godot.HTTPClient.Method = godot.HTTPClient.Method.METHOD_GET) -> godot.Error:
        return godot.Error.OK if how == godot.HTTPClient.Method.METHOD_GET else godot.Error.FAILED

    @method
    def status(self, client: HTTPClient) -> Annotated[int, godot.HTTPClient.Status]:
        client.request(HTTPClient.Method.METHOD_GET, "/", [])  # a member passes for its int
        return client.get_status()  # the engine returns a plain int

    def modifiers(self) -> godot.KeyModifierMask:
        return godot.KeyModifierMask.KEY_MASK_SHIFT | godot.KeyModifierMask.KEY_MASK_CTRL


def use(greeter: Greeter) -> str:
    greeter.volume = 3
    return greeter.greet("Ada", greeter.volume)
