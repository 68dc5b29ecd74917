"""Python classes the engine-call suite (res://suites/bridge/test_engine_descriptors.gd) drives:
engine methods and properties through their native descriptors (src/methods.c), defaults,
wrong arguments, Ref returns, singletons, constants, and callbacks into Python during an
engine call (with the GIL held, and released around blocking calls)."""

import _godot
import godot
from godot import Node, Node2D, RefCounted, method


class PyEnterProbe(Node):
    """Records its _enter_tree, which the engine calls during add_child()."""

    def __init__(self):
        self.entered = 0

    def _enter_tree(self):
        self.entered += 1


class PyEngineDescriptors(RefCounted):
    """Each method returns what it saw; the suite compares it with GDScript's view."""

    @method
    def descriptor_kinds(self) -> str:
        kinds = [
            type(vars(godot.Node)["get_child_count"]).__name__,
            type(vars(godot.Node2D)["position"]).__name__,
            type(vars(godot.Image)["create_empty"]).__name__,
        ]
        return ",".join(kinds)

    @method
    def child_counts(self, node: Node) -> str:
        # include_internal=False is a default the bridge fills in; True is passed.
        return f"{node.get_child_count()},{node.get_child_count(True)},{Node.get_child_count(node)}"

    @method
    def wrong_arguments(self, node: Node) -> str:
        seen = []
        for bad in (
            lambda: node.add_child(5),
            lambda: node.add_child(godot.RefCounted()),
            lambda: node.get_child_count("yes"),
            lambda: node.set_name(1.5),
            lambda: Node.get_child_count(godot.RefCounted()),
        ):
            try:
                bad()
                seen.append("no error")
            except TypeError:
                seen.append("TypeError")
        return ",".join(seen)

    @method
    def ref_return(self) -> str:
        image = godot.Image.create_empty(4, 3, False, godot.Image.FORMAT_RGBA8)
        from_instance = image.create_empty(2, 2, False, godot.Image.FORMAT_RGBA8)
        return f"{image.get_width()}x{image.get_height()},{image.get_reference_count()},{from_instance.get_width()}"

    @method
    def position_round_trip(self, node: Node2D) -> godot.Vector2:
        node.position = (3.0, 4.0)
        node.position = godot.Vector2(node.position.x + 1, node.position.y)
        node.set_position(godot.Vector2(node.get_position().x, 6.0))
        return node.position

    @method
    def indexed_property(self, control: godot.Control) -> str:
        control.anchor_right = 0.5  # Control._set_anchor is not exposed: set by name
        return f"{control.anchor_right},{control.get_anchor(2)}"

    @method
    def singleton_members(self) -> str:
        fps = godot.Engine.max_fps
        godot.Engine.max_fps = 37
        seen = godot.Engine.get_max_fps()
        godot.Engine.max_fps = fps
        return f"{godot.OS.get_name()},{seen},{godot.Engine.max_fps == fps}"

    @method
    def constants(self) -> str:
        return f"{Node.NOTIFICATION_READY},{godot.HTTPClient.STATUS_BODY},{godot.Image.FORMAT_RGBA8}"

    @method
    def engine_side_default(self) -> str:
        found = godot.RegEx.create_from_string("(a)b").search("xab")
        return f"{found.get_string()},{found.get_string(1)}"

    @method
    def variant_return(self) -> str:
        holder = godot.Node()
        holder.set_meta("k", [1, "two"])
        value = holder.get_meta("k")
        holder.free()
        return repr(value)

    @method
    def callback_during_add_child(self, parent: Node) -> int:
        probe = PyEnterProbe()
        parent.add_child(probe)  # _enter_tree runs inside the engine call, GIL held
        entered = probe.entered
        probe.queue_free()
        return entered

    @method
    def callback_during_emit_signal(self) -> int:
        emitter = godot.RefCounted()
        emitter.add_user_signal("ping")
        seen = []
        emitter.connect("ping", lambda value: seen.append(value * 2))
        emitter.emit_signal("ping", 21)
        return seen[-1] if seen else -1

    @method
    def python_thread_joined_from_python(self) -> int:
        # The thread runs Python (it needs the GIL) while this thread waits in the engine:
        # Thread.wait_to_finish() releases the GIL or this call would never return.
        thread = godot.Thread()
        thread.start(lambda: sum(range(100000)))
        return thread.wait_to_finish()

    @method
    def missing_method_still_reaches_engine(self, node: Node) -> str:
        # Not in extension_api.json: a script's method, found by name.
        return node.script_method(2)

    @method
    def descriptor_count_on_node(self) -> int:
        return sum(
            1 for value in vars(godot.Node).values() if isinstance(value, (_godot.EngineMethod, _godot.EngineProperty))
        )
