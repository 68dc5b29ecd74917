# Who keeps whom alive: Godot objects and their Python instances die together, nothing leaks.
extends TestSuite

const CYCLES := 100000


func test_refcounted_dropped_by_gdscript_releases_python_object() -> void:
	var before: int = PyProbe.live_instances()
	var c := PyCounter.new()
	c.add(1)
	assert_eq(PyProbe.live_instances(), before + 1)
	c = null
	assert_eq(PyProbe.live_instances(), before)
	assert_eq(PyProbe.python_objects_of("PyCounter"), 0)


func test_freed_node_releases_python_object() -> void:
	var before: int = PyProbe.live_instances()
	var t := PyTicker.new()
	assert_eq(PyProbe.live_instances(), before + 1)
	t.free()
	assert_eq(PyProbe.live_instances(), before)
	assert_eq(PyProbe.python_objects_of("PyTicker"), 0)


func test_many_create_free_cycles_leave_nothing_behind() -> void:
	var before: int = PyProbe.live_instances()
	var total := 0
	for i in CYCLES:
		var c := PyCounter.new()
		total += c.add(1)
	assert_eq(total, CYCLES)
	for i in CYCLES / 10:
		var n := PyTicker.new()
		n.free()
	assert_eq(PyProbe.live_instances(), before)
	assert_eq(PyProbe.python_objects_of("PyCounter"), 0)
	assert_eq(PyProbe.python_objects_of("PyTicker"), 0)


func test_python_holds_keep_godot_objects_alive() -> void:
	assert_eq(PyProbe.keep_in_python(50), 50)
	assert_eq(PyProbe.kept_alive(), 50)
	assert_eq(PyProbe.live_instances(), 50)
	PyProbe.drop_kept()
	assert_eq(PyProbe.live_instances(), 0)


func test_object_shared_by_python_and_gdscript() -> void:
	var c: PyCounter = PyProbe.held_by_python()
	assert_eq(c.get_total(), 41)
	c = null  # Python still holds it
	assert_eq(PyProbe.live_instances(), 1)
	PyProbe.drop_kept()
	assert_eq(PyProbe.live_instances(), 1, "still held by PyProbe.held")
