from godot import method


class PyNotAGodotClass:  # declares a Godot method but derives from no Godot class
    @method
    def hello(self) -> int:
        return 1
