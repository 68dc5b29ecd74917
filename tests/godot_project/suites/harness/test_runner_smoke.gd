# The runner itself: assertions, coroutine tests, hooks and autofree work in headless Godot.
extends TestSuite

var _calls: PackedStringArray = []


func before_each() -> void:
	_calls.append("before_each")


func test_assertions_hold() -> void:
	assert_eq(1 + 1, 2)
	assert_eq(2, 2.0, "int and float compare as numbers")
	assert_eq(&"name", "name", "StringName and String compare as text")
	assert_ne("1", 1, "a String is not an int")
	assert_ne([1], [1, 2])
	assert_true([1, 2].has(2))
	assert_false({}.has("x"))


func test_coroutine_spans_frames() -> void:
	var start := Engine.get_process_frames()
	await next_frame(3)
	assert_true(Engine.get_process_frames() >= start + 3)


func test_hooks_run_before_each_test() -> void:
	assert_true(_calls.size() >= 1)


func test_autofree_frees_after_the_test() -> void:
	var node := add_child_autofree(Node.new()) as Node
	assert_true(node.is_inside_tree())
	autofree(Object.new())


func test_failed_assertion_is_recorded_with_its_line() -> void:
	var probe := TestSuite.new()
	probe._runner_begin_test()
	probe.assert_eq("a", "b", "probe")
	var line: int = get_stack()[0].line - 1
	var failure := probe._runner_end_test()
	assert_true(failure.begins_with('probe: assert_eq: expected String("b"), got String("a")'), failure)
	assert_true(failure.ends_with("test_runner_smoke.gd:%d)" % line), failure)


func test_values_of_different_types_are_not_equal() -> void:
	for pair in [[1, "1"], [null, 0], [PackedByteArray([1]), [1]], [true, 1]]:
		var probe := TestSuite.new()
		probe._runner_begin_test()
		assert_false(probe.assert_eq(pair[0], pair[1]), "%s vs %s" % pair)
		assert_true(probe._runner_end_test().begins_with("assert_eq: expected"))
