# PyHTTPClient shows exactly HTTPClient's ClassDB surface, plus the named additions.
extends TestSuite

## Members PyHTTPClient adds on purpose (docs/pyhttpclient.md); nothing else may differ.
const ADDED_METHODS := ["set_tls_public_key_pins", "get_tls_public_key_pins", "set_tls_crls", "get_tls_crls"]
## Enum-typed arguments and returns name the class's own enums: "HTTPClient.Method" there is
## "PyHTTPClient.Method" here (GDScript would refuse PyHTTPClient.METHOD_GET otherwise).
const RENAMED_ENUM_PREFIX := ["HTTPClient.", "PyHTTPClient."]


func _methods(cls: String) -> Dictionary:
	var out := {}
	for m in ClassDB.class_get_method_list(cls, true):
		m.erase("id")
		var text := _show(m)
		if cls == "PyHTTPClient":
			text = text.replace('"' + RENAMED_ENUM_PREFIX[1], '"' + RENAMED_ENUM_PREFIX[0])
		out[m.name] = text
	return out


## A stable text form: JSON for the structure, plus the Variant type of every default
## (a null Object default and a NIL default print alike).
static func _show(value: Variant) -> String:
	var text := JSON.stringify(value, "", true)
	if value is Dictionary and value.has("default_args"):
		var types := []
		for d in value.default_args:
			types.append(typeof(d))
		text += " default types %s" % [types]
	return text


func test_parent_class_and_instantiation() -> void:
	assert_true(ClassDB.class_exists("PyHTTPClient"))
	assert_eq(ClassDB.get_parent_class("PyHTTPClient"), ClassDB.get_parent_class("HTTPClient"))
	assert_eq(ClassDB.can_instantiate("PyHTTPClient"), ClassDB.can_instantiate("HTTPClient"))
	assert_eq(ClassDB.is_class_enabled("PyHTTPClient"), ClassDB.is_class_enabled("HTTPClient"))
	assert_true(ClassDB.instantiate("PyHTTPClient") is RefCounted)


func test_methods_are_identical_except_the_additions() -> void:
	var builtin := _methods("HTTPClient")
	var ours := _methods("PyHTTPClient")
	assert_eq(builtin.size(), 22, "HTTPClient has 22 methods in 4.6")
	for name in builtin:
		if assert_true(ours.has(name), "PyHTTPClient lacks " + name):
			assert_eq(ours[name], builtin[name], "method " + name)
	for name in ours:
		if not builtin.has(name):
			assert_true(name in ADDED_METHODS, "undocumented addition " + name)
	for name in ADDED_METHODS:
		assert_true(ours.has(name), "addition missing: " + name)


func test_properties_are_identical() -> void:
	var builtin := ClassDB.class_get_property_list("HTTPClient", true)
	var ours := ClassDB.class_get_property_list("PyHTTPClient", true)
	assert_eq(_show(ours), _show(builtin))
	for p in builtin:
		assert_eq(
			ClassDB.class_get_property_setter("PyHTTPClient", p.name),
			ClassDB.class_get_property_setter("HTTPClient", p.name),
			"setter of " + p.name
		)
		assert_eq(
			ClassDB.class_get_property_getter("PyHTTPClient", p.name),
			ClassDB.class_get_property_getter("HTTPClient", p.name),
			"getter of " + p.name
		)
		var a: Variant = ClassDB.class_get_property_default_value("HTTPClient", p.name)
		var b: Variant = ClassDB.class_get_property_default_value("PyHTTPClient", p.name)
		assert_eq([typeof(b), str(b)], [typeof(a), str(a)], "default of " + p.name)


func test_enums_and_constants_are_identical() -> void:
	assert_eq(ClassDB.class_get_enum_list("PyHTTPClient", true), ClassDB.class_get_enum_list("HTTPClient", true))
	for e in ClassDB.class_get_enum_list("HTTPClient", true):
		assert_eq(
			ClassDB.class_get_enum_constants("PyHTTPClient", e, true),
			ClassDB.class_get_enum_constants("HTTPClient", e, true),
			"enum " + e
		)
		assert_eq(
			ClassDB.is_class_enum_bitfield("PyHTTPClient", e, true),
			ClassDB.is_class_enum_bitfield("HTTPClient", e, true),
			"bitfield flag of " + e
		)
	var names := ClassDB.class_get_integer_constant_list("HTTPClient", true)
	assert_eq(ClassDB.class_get_integer_constant_list("PyHTTPClient", true), names)
	for name in names:
		assert_eq(
			ClassDB.class_get_integer_constant("PyHTTPClient", name),
			ClassDB.class_get_integer_constant("HTTPClient", name),
			name
		)
		assert_eq(
			ClassDB.class_get_integer_constant_enum("PyHTTPClient", name, true),
			ClassDB.class_get_integer_constant_enum("HTTPClient", name, true),
			"enum of " + name
		)


func test_signals_are_identical() -> void:
	assert_eq(
		_show(ClassDB.class_get_signal_list("PyHTTPClient", true)),
		_show(ClassDB.class_get_signal_list("HTTPClient", true))
	)


func test_a_fresh_instance_reads_like_the_builtin() -> void:
	var builtin := HTTPClient.new()
	var ours: Object = ClassDB.instantiate("PyHTTPClient")
	for getter in [
		"get_status",
		"get_response_code",
		"has_response",
		"is_response_chunked",
		"get_response_body_length",
		"is_blocking_mode_enabled",
		"get_read_chunk_size",
		"get_connection",
		"get_response_headers",
		"get_response_headers_as_dictionary",
		"poll"
	]:
		var a: Variant = builtin.call(getter)
		var b: Variant = ours.call(getter)
		assert_eq([typeof(b), str(b)], [typeof(a), str(a)], getter)
	for prop in ["blocking_mode_enabled", "read_chunk_size", "connection"]:
		assert_eq(str(ours.get(prop)), str(builtin.get(prop)), prop)
