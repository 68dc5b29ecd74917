# Python calls engine methods and properties through native descriptors (src/methods.c):
# defaults, wrong arguments, Ref returns, singletons, constants, and callbacks into Python
# during an engine call.
extends TestSuite

var user


func before_each() -> void:
	user = ClassDB.instantiate("PyEngineDescriptors")


func test_methods_and_properties_are_native_descriptors() -> void:
	assert_eq(user.descriptor_kinds(), "EngineMethod,EngineProperty,EngineStaticMethod")
	assert_true(user.descriptor_count_on_node() > 100, "Node's own methods and properties")


func test_defaults_filled_by_the_bridge() -> void:
	var node := Node.new()
	node.add_child(Node.new())
	node.add_child(Node.new(), false, Node.INTERNAL_MODE_FRONT)
	assert_eq(user.child_counts(node), "1,2,1")
	node.free()


func test_default_only_the_engine_knows() -> void:
	assert_eq(user.engine_side_default(), "ab,a")


func test_wrong_arguments_raise_type_error() -> void:
	var node := Node.new()
	assert_eq(user.wrong_arguments(node), "TypeError,TypeError,TypeError,TypeError,TypeError")
	assert_eq(node.get_child_count(), 0)
	node.free()


func test_ref_return_holds_one_reference() -> void:
	assert_eq(user.ref_return(), "4x3,1,2")


func test_vector_property_and_methods() -> void:
	var node := Node2D.new()
	assert_eq(user.position_round_trip(node), Vector2(4, 6))
	assert_eq(node.position, Vector2(4, 6))
	node.free()


func test_indexed_property() -> void:
	var control := Control.new()
	assert_eq(user.indexed_property(control), "0.5,0.5")
	assert_eq(control.anchor_right, 0.5)
	control.free()


func test_singleton_methods_and_properties_from_the_class() -> void:
	var before := Engine.max_fps
	assert_eq(user.singleton_members(), "%s,37,True" % OS.get_name())
	assert_eq(Engine.max_fps, before)


func test_constants_are_class_attributes() -> void:
	assert_eq(user.constants(), "%d,%d,%d" % [Node.NOTIFICATION_READY, HTTPClient.STATUS_BODY, Image.FORMAT_RGBA8])


func test_variant_return() -> void:
	assert_eq(user.variant_return(), "[1, 'two']")


func test_callback_into_python_during_engine_call() -> void:
	assert_eq(user.callback_during_add_child(root), 1)


func test_callback_into_python_during_vararg_call() -> void:
	assert_eq(user.callback_during_emit_signal(), 42)


func test_blocking_call_releases_the_gil() -> void:
	assert_eq(user.python_thread_joined_from_python(), 4999950000)


func test_script_method_reached_by_name() -> void:
	var node := Node.new()
	var script := GDScript.new()
	script.source_code = 'extends Node\nfunc script_method(x):\n\treturn "script %d" % x\n'
	script.reload()
	node.set_script(script)
	assert_eq(user.missing_method_still_reaches_engine(node), "script 2")
	node.free()
