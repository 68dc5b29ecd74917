# Python calls the engine: methods, properties, singletons, new objects, printing.
extends TestSuite

var user: PyEngineUser


func before_each() -> void:
	user = PyEngineUser.new()


func test_singletons() -> void:
	assert_eq(user.os_name(), OS.get_name())
	assert_eq(user.engine_major(), Engine.get_version_info().major)


func test_create_engine_object_and_set_property() -> void:
	var node: Node = user.make_node_named("made_in_python")
	assert_eq(node.name, &"made_in_python")
	node.add_child(Node.new())
	assert_eq(user.child_count(node), 1)
	node.free()


func test_class_constants_from_python() -> void:
	assert_eq(user.http_status_body(), HTTPClient.STATUS_BODY)


func test_freed_object_raises_in_python_not_crash() -> void:
	var msg: String = user.use_freed(Node.new())
	assert_true(msg.begins_with("ReferenceError"), msg)
