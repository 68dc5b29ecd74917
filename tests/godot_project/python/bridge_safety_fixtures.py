"""Python classes the bridge's safety suite (res://suites/bridge/test_safety.gd) calls:
null and freed objects arriving through typed (ptrcall) and untyped (Variant) calls."""

from godot import Node, RefCounted, Resource, method


class PySafety(RefCounted):
    """Receives objects that may be null or freed."""

    @method
    def describe_node(self, node: Node) -> str:
        """A typed Node argument: GDScript calls it with ptrcall when the types are known."""
        return "null" if node is None else "node " + str(node.name)

    @method
    def describe_resource(self, res: Resource) -> str:
        """A typed Resource argument (a Ref<T> in the engine's terms)."""
        return "null" if res is None else "resource " + res.get_class()

    @method
    def describe_any(self, value) -> str:
        """An untyped argument: a freed object arrives as None, never as a stale proxy."""
        if value is None:
            return "None"
        return type(value).__name__ + (" alive" if value.is_alive() else " freed")

    @method
    def first_of(self, values: list) -> str:
        """A freed object inside an Array."""
        return self.describe_any(values[0])

    @method
    def held_node_name(self) -> str:
        """Uses a node Python kept after GDScript freed it."""
        try:
            return str(PySafety.kept.name)
        except ReferenceError as exc:
            return "ReferenceError: " + str(exc)

    @method
    def keep(self, node: Node) -> None:
        PySafety.kept = node

    @method
    def pass_back(self, node: Node) -> Node:
        return node

    @method
    def get_meta_object(self, holder: RefCounted) -> str:
        return self.describe_any(holder.get_meta("target"))
