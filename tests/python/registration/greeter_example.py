"""The Greeter example of docs/writing-classes.md, as a module (tests import it). `fetch` keeps the
EngineEnum spelling: the engine enum classes (`godot.HTTPClient.Method`) need the build's
godot/_generated.py, which these tests run without."""

import godot
from godot import EngineEnum, IntEnum, Property, RefCounted, Signal, method


class Greeter(RefCounted):
    """Greets people.

    Longer description: becomes the class page in the editor help."""

    class Mood(IntEnum):
        HAPPY = 0
        SAD = 1

    greeted = Signal(name=str, times=int, doc="Emitted after each greeting.")
    finished = Signal()
    volume = Property(int, default=5, hint=godot.hint_range(0, 10), doc="How loud.")
    speed = Property(float, setter="set_speed", getter="get_speed")
    MAX_VOLUME = godot.Constant(10, doc="The loudest volume.")

    @method
    def greet(self, name: str, times: int = 1) -> str:
        """Returns a greeting."""
        self.greeted.emit(name, times)
        return name * times

    @method(const=True)
    def mood(self) -> "Greeter.Mood":
        return Greeter.Mood.HAPPY

    @method
    @staticmethod
    def version() -> int:
        return 1

    @method
    def fetch(self, how: EngineEnum("HTTPClient.Method") = 0) -> EngineEnum("Error"):
        return 0

    @method
    def set_speed(self, value: float) -> None:
        self._speed = max(0.0, value)

    @method(const=True)
    def get_speed(self) -> float:
        return getattr(self, "_speed", 1.0)

    def _ready(self):
        pass
