# Python classes registered in ClassDB look and behave like built-in classes.
extends TestSuite


func _method(cls: StringName, name: String) -> Dictionary:
	for m in ClassDB.class_get_method_list(cls, true):
		if m.name == name:
			return m
	return {}


func test_classes_exist_in_classdb() -> void:
	for cls in ["PyCounter", "PyLoudCounter", "PyTicker", "PyMemoryPeer", "PyNote", "PyEngineUser"]:
		assert_true(ClassDB.class_exists(cls), cls)
	assert_eq(ClassDB.get_parent_class("PyCounter"), &"RefCounted")
	assert_eq(ClassDB.get_parent_class("PyLoudCounter"), &"PyCounter")
	assert_eq(ClassDB.get_parent_class("PyTicker"), &"Node")
	assert_eq(ClassDB.get_parent_class("PyMemoryPeer"), &"StreamPeerExtension")
	assert_eq(ClassDB.get_parent_class("PyNote"), &"Resource")


func test_new_and_classdb_instantiate() -> void:
	var a := PyCounter.new()
	assert_eq(a.add(2), 2)
	var b: Object = ClassDB.instantiate("PyCounter")
	assert_true(b is PyCounter)
	assert_true(b is RefCounted)
	assert_eq(b.get_class(), "PyCounter")
	assert_eq(b.add(3, 2), 6)


func test_method_signature_from_annotations() -> void:
	var m := _method("PyCounter", "add")
	assert_eq(m.args.size(), 2)
	assert_eq(m.args[0].name, "amount")
	assert_eq(m.args[0].type, TYPE_INT)
	assert_eq(m.args[1].name, "times")
	assert_eq(m.default_args, [1, 1])
	assert_eq(m.return.type, TYPE_INT)


func test_typed_call_with_defaults() -> void:
	var c: PyCounter = PyCounter.new()
	assert_eq(c.add(), 1)
	assert_eq(c.add(5), 6)
	assert_eq(c.add(2, 3), 12)
	var total: int = c.get_total()
	assert_eq(total, 12)


func test_static_and_const_methods() -> void:
	assert_eq(PyCounter.twice(2.5), 5.0)
	var m := _method("PyCounter", "twice")
	assert_true(m.flags & METHOD_FLAG_STATIC, "static flag")
	var g := _method("PyCounter", "get_total")
	assert_true(g.flags & METHOD_FLAG_CONST, "const flag")


func test_properties_with_setter_getter_and_hint() -> void:
	var c := PyCounter.new()
	assert_eq(c.step, 1)
	c.step = 7
	assert_eq(c.get_step(), 7)
	c.set_label("x")
	assert_eq(c.label, "x")
	var found := false
	for p in ClassDB.class_get_property_list("PyCounter", true):
		if p.name == "step":
			found = true
			assert_eq(p.type, TYPE_INT)
			assert_eq(p.hint, PROPERTY_HINT_RANGE)
			assert_eq(p.hint_string, "1,100")
	assert_true(found, "step is listed")


func test_enums_as_constants_and_types() -> void:
	assert_eq(PyCounter.ONE, 1)
	assert_eq(PyCounter.TEN, 10)
	assert_true(ClassDB.class_has_enum("PyCounter", "Step"))
	var c := PyCounter.new()
	assert_eq(c.add_step(PyCounter.TEN), 10)
	var m := _method("PyCounter", "add_step")
	assert_eq(m.args[0].class_name, &"PyCounter.Step")


func test_engine_enum_in_signature() -> void:
	var m := _method("PyCounter", "method_of")
	assert_eq(m.args[0].class_name, &"HTTPClient.Method")
	assert_eq(m.return.class_name, &"Error")
	var c := PyCounter.new()
	assert_eq(c.method_of(HTTPClient.METHOD_GET), OK)
	assert_eq(c.method_of(HTTPClient.METHOD_POST), ERR_INVALID_PARAMETER)


func test_engine_enum_classes_and_annotated_ints_give_the_same_signature() -> void:
	var expected := _method("PyCounter", "method_of")
	for name in ["method_typed", "method_annotated"]:
		var m := _method("PyCounter", name)
		assert_eq(JSON.stringify(m.args), JSON.stringify(expected.args), name)
		assert_eq(JSON.stringify(m.return), JSON.stringify(expected.return), name)
		assert_eq(m.default_args, [0], name)
		assert_eq(typeof(m.default_args[0]), TYPE_INT, name)
	var c := PyCounter.new()
	assert_eq(c.method_typed(HTTPClient.METHOD_GET), OK)
	assert_eq(c.method_typed(HTTPClient.METHOD_POST), ERR_INVALID_PARAMETER)
	assert_eq(c.method_annotated(HTTPClient.METHOD_POST), ERR_INVALID_PARAMETER)
	var bitfield := _method("PyCounter", "bitfield_annotated")
	assert_eq(bitfield.args[0].class_name, &"KeyModifierMask")
	assert_eq(bitfield.args[0].usage, PROPERTY_USAGE_CLASS_IS_BITFIELD | PROPERTY_USAGE_DEFAULT)
	assert_eq(c.bitfield_annotated(KEY_MASK_CTRL | KEY_MASK_SHIFT), KEY_MASK_CTRL | KEY_MASK_SHIFT)
	assert_eq(c.engine_enum_facts(), "METHOD_POST 31 Node.ProcessMode True True")


func test_signal_declared_emitted_and_connected_from_gdscript() -> void:
	var c := PyCounter.new()
	assert_true(ClassDB.class_has_signal("PyCounter", "counted"))
	var seen: Array = []
	c.counted.connect(func(total): seen.append(total))
	c.add(4)
	c.add(1)
	assert_eq(seen, [4, 5])


func test_signal_connected_from_python() -> void:
	var user := PyEngineUser.new()
	assert_eq(user.connect_python_callable(PyCounter.new()), 5)


func test_subclass_of_python_class() -> void:
	var loud := PyLoudCounter.new()
	assert_true(loud is PyCounter)
	assert_eq(loud.add(1), 100)
	loud.label = "hey"
	assert_eq(loud.shout(), "HEY")
	assert_eq(loud.get_total(), 100)


func test_to_string_virtual() -> void:
	var c := PyCounter.new()
	c.add(3)
	assert_eq(str(c), "<PyCounter total=3>")


func test_node_virtuals_ready_and_process() -> void:
	var t: PyTicker = add_child_autofree(PyTicker.new())
	t.add_child(Node.new())
	t.get_child(0).name = "kid"
	assert_eq(t.ready_calls, 1)
	await next_frame(5)
	assert_true(t.get_frames() >= 3, "_process ran")
	assert_eq(t.child_names(), PackedStringArray(["kid"]))


func test_node_signal_from_process() -> void:
	var t: PyTicker = add_child_autofree(PyTicker.new())
	var got := []
	t.ticked.connect(func(): got.append(true))
	await next_frame(6)
	assert_eq(got.size(), 1)


func test_stream_peer_extension_pointer_virtuals() -> void:
	var peer := PyMemoryPeer.new()
	assert_eq(peer.put_data(PackedByteArray([1, 2, 3, 4, 5])), OK)
	assert_eq(peer.get_available_bytes(), 5)
	var got: Array = peer.get_data(3)
	assert_eq(got[0], OK)
	assert_eq(got[1], PackedByteArray([1, 2, 3]))
	peer.put_u16(0x0102)
	assert_eq(peer.get_available_bytes(), 4)
	var partial: Array = peer.get_partial_data(10)
	assert_eq(partial[1].size(), 4)


func test_resource_subclass() -> void:
	var note := PyNote.new()
	note.text = "hello"
	assert_eq(note.text, "hello")
	assert_true(note is Resource)
