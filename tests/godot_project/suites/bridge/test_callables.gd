# Python callables as Godot Callables: argument count, object, equality/hash, bind/unbind.
extends TestSuite

var p: PyCallables


func before_each() -> void:
	p = PyCallables.new()


func test_bound_method_names_its_object_and_argument_count() -> void:
	var c: Callable = p.bound_method()
	assert_eq(c.get_object(), p)
	assert_eq(c.get_argument_count(), 1)
	assert_true(c.is_valid())
	var lam: Callable = p.two_argument_lambda()
	assert_eq(lam.get_argument_count(), 2)
	assert_eq(lam.call(2, 3), 5)


func test_same_bound_method_is_equal_and_hashes_alike() -> void:
	var a: Callable = p.bound_method()
	var b: Callable = p.bound_method()
	assert_true(a == b, "two accesses of p.on_counted are one Callable")
	assert_eq(a.hash(), b.hash())
	assert_false(a == p.two_argument_lambda())


func test_connect_is_connected_disconnect_with_a_bound_method() -> void:
	var counter := PyCounter.new()
	assert_eq(p.connect_bound(counter), OK)
	assert_true(p.is_connected_bound(counter))
	assert_true(counter.is_connected("counted", p.bound_method()), "GDScript sees the same connection")
	counter.add(2)
	p.disconnect_bound(counter)
	assert_false(p.is_connected_bound(counter))
	counter.add(3)
	assert_eq(p.seen_totals(), [2], "nothing arrives after disconnect")


func test_callable_class_keeps_its_own_equality() -> void:
	assert_eq(p.custom_equality(PyCounter.new()), "True False False")


func test_bind_unbind_and_engine_callables_in_python() -> void:
	var add := func(a, b): return a + b
	assert_eq(p.bind_and_unbind(add), "Callable 2 3 15 1 3 False True 12")


func test_freed_object_invalidates_its_bound_callable() -> void:
	var node := PyTicker.new()
	var c: Callable = node.get_frames_callable()
	assert_true(c.is_valid())
	node.free()
	assert_false(c.is_valid(), "the Callable names the freed object")
