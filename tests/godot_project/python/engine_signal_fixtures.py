"""Engine signals as attributes from Python: `self.ready.connect(...)`, as the type stubs
describe them (tests/godot_project/suites/bridge/test_engine_signals.gd)."""

from godot import Node, method


class PyEngineSignalUser(Node):
    """Connects its own engine signals through attribute access."""

    def __init__(self):
        super().__init__()
        self.seen: list[str] = []
        self.ready.connect(self._on_ready)
        self.renamed.connect(self._on_renamed)

    def _on_ready(self):
        self.seen.append("ready")

    def _on_renamed(self):
        self.seen.append("renamed")

    @method
    def seen_signals(self) -> str:
        return ",".join(self.seen)
