"""Records what the client reports through its Environment (errors, warnings) in tests."""


class Recorder:
    def __init__(self):
        self.errors = []
        self.warnings = []

    def clear(self):
        self.errors.clear()
        self.warnings.clear()

    def text(self):
        return " | ".join(self.errors + self.warnings)
