# Values cross the boundary both ways with their Godot types.
extends TestSuite

var c: PyCounter


func before_each() -> void:
	c = PyCounter.new()


func _round_trip(value: Variant) -> void:
	var back: Variant = c.echo(value)
	assert_eq(typeof(back), typeof(value), "type of %s" % type_string(typeof(value)))
	assert_eq(back, value)


func test_scalars() -> void:
	for v in [null, true, false, 0, -7, 9223372036854775807, 1.5, -0.25, "", "héllo ✓"]:
		_round_trip(v)


func test_names_and_paths() -> void:
	_round_trip(&"a_name")
	_round_trip(NodePath("a/b:c"))


func test_vectors_rects_colors() -> void:
	for v in [
		Vector2(1.5, -2),
		Vector2i(3, 4),
		Vector3(1, 2, 3),
		Vector3i(-1, 0, 1),
		Vector4(1, 2, 3, 4),
		Vector4i(5, 6, 7, 8),
		Rect2(1, 2, 3, 4),
		Rect2i(1, 2, 3, 4),
		Color(0.5, 0.25, 1, 1),
		Plane(0, 1, 0, 2),
		Quaternion(0, 0, 0, 1)
	]:
		_round_trip(v)


func test_containers() -> void:
	_round_trip([1, "two", [3.0, null], {"k": Vector2(1, 2)}])
	_round_trip({"a": 1, 2: "b", "nested": {"x": [1, 2]}})
	_round_trip([])
	_round_trip({})


func test_packed_arrays() -> void:
	_round_trip(PackedByteArray([0, 1, 254, 255]))
	_round_trip(PackedInt32Array([1, -2, 3]))
	_round_trip(PackedInt64Array([1 << 40, -5]))
	_round_trip(PackedFloat32Array([0.5, 1.25]))
	_round_trip(PackedFloat64Array([0.1, 2.5]))
	_round_trip(PackedStringArray(["a", "b c", ""]))
	_round_trip(PackedVector2Array([Vector2(1, 2)]))
	_round_trip(PackedVector3Array([Vector3(1, 2, 3)]))
	_round_trip(PackedColorArray([Color(1, 0, 0, 1)]))
	_round_trip(PackedVector4Array([Vector4(1, 2, 3, 4)]))


func test_opaque_values_round_trip() -> void:
	_round_trip(Transform2D(0.5, Vector2(1, 2)))
	_round_trip(AABB(Vector3(1, 2, 3), Vector3(4, 5, 6)))
	_round_trip(Basis())


func test_objects_and_callables() -> void:
	var node := Node.new()
	assert_eq(c.echo(node), node)
	node.free()
	assert_eq(c.echo(c), c)
	var f := func(x): return x * 2
	var back: Callable = c.echo(f)
	assert_eq(back.call(21), 42)


func test_python_types_seen() -> void:
	assert_eq(c.python_type_of(PackedByteArray([1])), "bytes")
	assert_eq(c.python_type_of([1]), "list")
	assert_eq(c.python_type_of({}), "Dictionary")
	assert_eq(c.python_type_of(Vector2()), "Vector2")
	assert_eq(c.python_type_of(&"x"), "StringName")
	assert_eq(c.python_type_of(PackedStringArray()), "PackedStringArray")
	assert_eq(c.python_type_of(null), "NoneType")


func test_bytes_of_64_kib() -> void:
	var data := PackedByteArray()
	data.resize(65536)
	data[65535] = 7
	var back: PackedByteArray = c.echo_bytes(data)
	assert_eq(back.size(), 65536)
	assert_eq(back[65535], 7)
	assert_eq(c.make_bytes(1000).size(), 1000)
