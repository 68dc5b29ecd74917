# The reference count GDScript reads on a Python RefCounted is the engine's own.
extends TestSuite


func test_new_python_refcounted_has_count_one_like_an_engine_class() -> void:
	assert_eq(RefCounted.new().get_reference_count(), 1, "an engine class")
	assert_eq(PyCounter.new().get_reference_count(), 1, "a Python class")
	var c := PyCounter.new()
	assert_eq(c.get_reference_count(), 1)
	var second := c
	assert_eq(c.get_reference_count(), 2)
	second = null
	assert_eq(c.get_reference_count(), 1)


func test_count_stays_one_after_python_used_it() -> void:
	var c := PyCounter.new()
	c.add(2)  # Python ran with `self`
	assert_eq(c.get_reference_count(), 1)
	var user := PyEngineUser.new()
	assert_eq(user.connect_python_callable(c), 7, "Python received c as an argument")
	assert_eq(c.get_reference_count(), 1, "and did not keep it")


func test_python_keeping_it_still_keeps_it_alive() -> void:
	var before: int = PyProbe.live_instances()
	var c := PyCounter.new()
	c.add(5)
	PyProbe.keep_this(c)
	assert_eq(c.get_reference_count(), 2, "Python's hold counts, as a C++ Ref<T> would")
	c = null
	assert_eq(PyProbe.live_instances(), before + 1, "alive while Python keeps it")
	assert_eq(PyProbe.kept_total(), 5)
	PyProbe.drop_kept()
	assert_eq(PyProbe.live_instances(), before)
