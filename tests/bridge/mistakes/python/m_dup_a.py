from godot import RefCounted


class PyTwice(RefCounted):
    pass
