# Null and freed objects crossing into Python: no crash, no read of freed memory.
extends TestSuite

var s: PySafety


func before_each() -> void:
	s = PySafety.new()


func test_null_object_in_a_typed_call() -> void:
	# `s` is typed, so GDScript calls through ptrcall: a null Object arrives as a NULL pointer.
	assert_eq(s.describe_node(null), "null")
	assert_eq(s.describe_resource(null), "null")
	var n: Node = null
	assert_eq(s.describe_node(n), "null")
	assert_true(s.pass_back(null) == null, "a null Node comes back null")


func test_null_object_in_an_untyped_call() -> void:
	var u: Variant = s
	assert_eq(u.describe_node(null), "null")
	assert_eq(u.describe_resource(null), "null")
	assert_eq(u.describe_any(null), "None")


func test_objects_in_a_typed_call() -> void:
	var n := Node.new()
	n.name = "kid"
	assert_eq(s.describe_node(n), "node kid")
	assert_eq(s.describe_resource(Resource.new()), "resource Resource")
	n.free()


func test_freed_object_reaches_python_as_none() -> void:
	var n := Node.new()
	var held: Array = [n]
	var u: Variant = s
	n.free()
	assert_eq(u.first_of(held), "None")
	var holder := RefCounted.new()
	var m := Node.new()
	holder.set_meta("target", m)
	m.free()
	assert_eq(s.get_meta_object(holder), "None")


func test_python_reference_to_freed_node_raises() -> void:
	var n := Node.new()
	n.name = "gone"
	s.keep(n)
	assert_eq(s.held_node_name(), "gone")
	n.free()
	var msg := s.held_node_name()
	assert_true(msg.begins_with("ReferenceError"), msg)
