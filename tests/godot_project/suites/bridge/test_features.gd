# Registration features a godot-cpp class has: varargs, property hooks, groups, typed
# dictionaries, virtuals scripts override, class kinds, notifications, singletons, library path.
extends TestSuite


func _property(obj: Object, name: String) -> Dictionary:
	for p in obj.get_property_list():
		if p.name == name:
			return p
	return {}


func _method_info(cls: StringName, name: String) -> Dictionary:
	for m in ClassDB.class_get_method_list(cls, true):
		if m.name == name:
			return m
	return {}


func test_vararg_methods() -> void:
	var v := PyVarargs.new()
	assert_eq(v.total(1), 1)
	assert_eq(v.total(1, 2, 3, 4), 10)
	assert_eq(v.kinds(), "")
	assert_eq(v.kinds(1, "a", [2], null), "int,str,list,NoneType")
	var info := _method_info(&"PyVarargs", "total")
	assert_true(info.flags & METHOD_FLAG_VARARG, "ClassDB marks it vararg")
	assert_eq(info.args.size(), 1, "the fixed arguments only")


func test_get_set_and_dynamic_property_list() -> void:
	var h := PyHooks.new()
	assert_eq(h.get("dyn_count"), 1)
	assert_eq(h.get(&"dyn_label"), "x")
	h.set("dyn_count", 7)
	assert_eq(h.get("dyn_count"), 7)
	assert_eq(h.get("no_such"), null)
	assert_eq(_property(h, "dyn_count").type, TYPE_INT)
	assert_eq(_property(h, "dyn_label").hint, PROPERTY_HINT_MULTILINE_TEXT)
	h.free()


func test_validate_property_and_revert() -> void:
	var h := PyHooks.new()
	assert_eq(_property(h, "hidden").usage, PROPERTY_USAGE_STORAGE, "hidden from the editor")
	assert_eq(_property(h, "shown").hint, PROPERTY_HINT_RANGE)
	assert_eq(_property(h, "shown").hint_string, "0,10")
	assert_true(h.property_can_revert("dyn_count"))
	assert_false(h.property_can_revert("dyn_label"))
	assert_eq(h.property_get_revert("dyn_count"), 1)
	h.free()


func test_groups_and_subgroups() -> void:
	var g := PyGrouped.new()
	var seen: Array[String] = []
	var started := false
	for p in g.get_property_list():
		if p.name == "PyGrouped":
			started = true
			continue
		if not started:
			continue
		if p.usage & PROPERTY_USAGE_GROUP:
			seen.append("group:" + p.name)
		elif p.usage & PROPERTY_USAGE_SUBGROUP:
			seen.append("subgroup:" + p.name)
		elif p.usage & PROPERTY_USAGE_CATEGORY:
			break
		else:
			seen.append(p.name)
	assert_eq(
		seen, ["group:Movement", "speed", "subgroup:Air", "jump", "glide", "group:Looks", "color", "group:", "plain"]
	)
	g.free()


func test_typed_dictionaries() -> void:
	var t := PyTypedDicts.new()
	var prop := _property(t, "scores")
	assert_eq(prop.hint, PROPERTY_HINT_DICTIONARY_TYPE)
	assert_eq(prop.hint_string, "String;int")
	var arg: Dictionary = _method_info(&"PyTypedDicts", "double").args[0]
	assert_eq(arg.hint_string, "String;int")
	var doubled: Dictionary[String, int] = t.double({"a": 2})
	assert_eq(doubled, {"a": 4})
	assert_eq(doubled.get_typed_value_builtin(), TYPE_INT)


func test_virtual_overridden_by_gdscript() -> void:
	assert_eq(PyShape.new().area(2.0), -1.0, "no override: the Python default")
	var square: PyShape = load("res://suites/bridge/py_square.gd").new()
	assert_eq(square.area(2.0), 8.0, "Python calling the virtual runs the script's override")
	var info := _method_info(&"PyShape", "_area")
	assert_true(info.flags & METHOD_FLAG_VIRTUAL, "ClassDB lists it as a virtual")
	assert_eq(info.args[0].type, TYPE_FLOAT)
	assert_eq(info.return.type, TYPE_FLOAT)


func test_class_kinds() -> void:
	var r := PyRuntimeOnly.new()
	assert_eq(r.ping(), "runtime pong", "a runtime class runs outside the editor")
	r.free()
	assert_true(ClassDB.class_exists(&"PyInternalHelper"))
	assert_false(ClassDB.can_instantiate(&"PyInternalHelper"), "an internal class is not exposed")
	assert_true(ClassDB.can_instantiate(&"PyVarargs"), "as a normal class is")
	assert_eq(PyRegistry.make_internal(), "PyInternalHelper made in Python", "its own extension still uses it")
	var child: PyVirtualBase = load("res://suites/bridge/py_virtual_child.gd").new()
	assert_eq(child.kind(), "virtual base", "a script extends a virtual class")
	assert_true(ClassDB.can_instantiate(&"PyToolClass"))


func test_postinitialize_and_reversed_notifications() -> void:
	var n := PyNotifiedChild.new()
	assert_eq(n.get_log(), "base:0 child:0", "NOTIFICATION_POSTINITIALIZE, base class first")
	n.notification(4242)
	n.notification(4242, true)
	assert_eq(n.get_log(), "base:0 child:0 base:4242 child:4242 child:4242 base:4242")


func test_singleton_registered_from_python() -> void:
	assert_true(PyRegistry.register_as_singleton())
	assert_true(Engine.has_singleton("PyRegistry"))
	assert_eq(Engine.get_singleton("PyRegistry").ping(), "registry pong")


func test_library_path() -> void:
	var path: String = PyRegistry.library_path()
	assert_true(path.get_file().begins_with("libgodot_python."), path)
	assert_true(FileAccess.file_exists(path), path)
