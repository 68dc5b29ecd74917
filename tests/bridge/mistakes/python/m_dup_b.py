from godot import RefCounted


class PyTwice(RefCounted):  # the same Godot class name as m_dup_a's (on purpose)
    pass
