import godot


class PyTypoBase(godot.Nodee):  # no engine class has that name (on purpose)
    pass
