from godot import Node


class PySyntaxMistake(Node):
    def broken(self)  # the colon is missing (on purpose)
        return 1
