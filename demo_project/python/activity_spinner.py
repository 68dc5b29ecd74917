"""ActivitySpinner: a Label written in Python that animates while something is busy.

It has nothing to do with HTTP: it is the demo's example of writing your own Godot class
in Python (docs/writing-classes.md). The addon imports every module in res://python/ at
start-up, and the class statement below is all it takes to register it. The demo scene
(main.tscn) places one under the progress bar; main.gd calls start()/stop() and connects
to `lap_completed`. In the editor it appears in "Add Child Node" under Label, and its
properties in the inspector.
"""

import godot
from godot import Label, Property, Signal, method


class ActivitySpinner(Label):
    """A label that cycles through animation frames while [member spinning] is on.

    Written in Python (demo_project/python/activity_spinner.py) to show the parts of a
    class: exported properties with hints, a signal, methods GDScript can call, and the
    engine virtual [code]_process[/code] overridden by its Godot name. The label's text is
    the current frame followed by [member caption]."""

    lap_completed = Signal(laps=int, doc="Emitted each time the animation has shown every frame once.")

    spinning = Property(bool, default=False, doc="While on, [method _process] advances the frames.")
    frames_per_second = Property(
        float, default=12.0, hint=godot.hint_range(1, 60, 0.5, suffix="fps"), doc="How fast the frames change."
    )
    frames = Property(
        str,
        default="|/-\\",
        hint=godot.hint_placeholder("one character per frame"),
        doc="The animation: one character per frame.",
    )
    caption = Property(str, default="idle", doc="Text shown after the animation frame.")

    def __init__(self):
        super().__init__()
        self._elapsed = 0.0
        self._frame = 0
        self._laps = 0

    @method
    def start(self, caption: str = "working") -> None:
        """Starts spinning and shows [param caption] next to the animation."""
        self.caption = caption
        self._laps = 0
        self.spinning = True
        self._show()

    @method
    def stop(self, caption: str = "done") -> None:
        """Stops spinning; the label keeps [param caption] without an animation frame."""
        self.spinning = False
        self.caption = caption
        self.text = caption

    @method(const=True)
    def get_laps(self) -> int:
        """How many full laps the animation made since the last [method start]."""
        return self._laps

    def _ready(self):
        self._show()

    def _process(self, delta):
        if not self.spinning or not self.frames:
            return
        self._elapsed += delta
        step = 1.0 / max(self.frames_per_second, 1.0)
        if self._elapsed < step:
            return
        self._elapsed %= step
        self._frame = (self._frame + 1) % len(self.frames)
        if self._frame == 0:
            self._laps += 1
            self.lap_completed.emit(self._laps)
        self._show()

    def _show(self):
        glyph = self.frames[self._frame % len(self.frames)] if self.spinning and self.frames else ""
        self.text = f"{glyph} {self.caption}".strip()
