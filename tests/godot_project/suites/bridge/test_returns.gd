# Return values are converted to the declared type as the engine converts a Variant.
# expect-error: PyReturns.not_convertible() returned a value of the wrong type
extends TestSuite

var r: PyReturns


func before_each() -> void:
	r = PyReturns.new()


func _check_both_paths(method: String, expected: Variant) -> void:
	var typed_result: Variant = r.call(method)  # Object.call: the Variant call path
	assert_eq(typeof(typed_result), typeof(expected), method + " (call) type")
	assert_eq(typed_result, expected, method + " (call)")


func test_scalars_and_vectors_convert() -> void:
	# Typed calls on a typed variable go through ptrcall.
	assert_eq(r.vector2i_from_vector2(), Vector2i(1, -2))
	assert_eq(r.int_from_float(), 2)
	assert_eq(r.float_from_int(), 3.0)
	assert_eq(typeof(r.float_from_int()), TYPE_FLOAT)
	assert_eq(r.bool_from_int(), true)
	assert_eq(r.string_from_string_name(), "sn")
	assert_eq(typeof(r.string_from_string_name()), TYPE_STRING)
	_check_both_paths("vector2i_from_vector2", Vector2i(1, -2))
	_check_both_paths("int_from_float", 2)
	_check_both_paths("float_from_int", 3.0)
	_check_both_paths("bool_from_int", true)
	_check_both_paths("string_from_string_name", "sn")


func test_lists_become_packed_arrays() -> void:
	assert_eq(r.packed_from_list(), PackedInt32Array([1, 2, 3]))
	assert_eq(r.packed_floats_from_ints(), PackedFloat64Array([1.0, 2.0]))
	_check_both_paths("packed_from_list", PackedInt32Array([1, 2, 3]))


func test_typed_arrays_and_dictionaries() -> void:
	var ints: Array[int] = r.typed_ints()
	assert_eq(ints, [1, 2, 1])
	assert_eq(ints.get_typed_builtin(), TYPE_INT)
	var through_call: Array = r.call("typed_ints")
	assert_true(through_call.is_typed(), "typed through call() too")
	var nodes: Array[Node] = r.typed_nodes()
	assert_eq(nodes.get_typed_class_name(), &"Node")
	var d: Dictionary[String, int] = r.typed_dict()
	assert_eq(d, {"a": 1, "b": 2})
	assert_eq(d.get_typed_key_builtin(), TYPE_STRING)
	assert_eq(d.get_typed_value_builtin(), TYPE_INT)


func test_unconvertible_return_is_an_error_not_a_crash() -> void:
	# A typed call has no error channel: the traceback is printed, the default comes back.
	assert_eq(r.not_convertible(), Vector2())
