# Evidence for the TypeSpec defaults in python/godot/_typing.py: prints how ClassDB and
# GDScript describe methods, properties and signals of engine classes.
# Run: tools/godot --headless --script tests/python/registration/classdb_conventions.gd
extends SceneTree


func _init():
	for m in ClassDB.class_get_method_list("HTTPClient", true):
		if (
			m.name
			in [
				"request",
				"connect_to_host",
				"get_status",
				"poll",
				"set_blocking_mode",
				"is_blocking_mode_enabled",
				"get_response_headers",
				"read_response_body_chunk",
				"query_string_from_dict",
				"has_response",
				"set_read_chunk_size",
				"get_connection"
			]
		):
			print(m)
	for p in ClassDB.class_get_property_list("HTTPClient", true):
		print(p)
	print("SIGNALS")
	for s in ClassDB.class_get_signal_list("Node", true):
		if s.name in ["child_entered_tree", "ready", "renamed"]:
			print(s)
	for m in ClassDB.class_get_method_list("Node", true):
		if (
			m.name
			in [
				"_ready",
				"get_node",
				"get_tree",
				"add_child",
				"get_process_mode",
				"set_process_mode",
				"_process",
				"get_child",
				"print_orphan_nodes",
				"rpc",
				"get_path",
				"get_meta"
			]
		):
			print(m)
	for p in ClassDB.class_get_property_list("Node", true):
		if (
			p.name
			in [
				"process_mode",
				"name",
				"owner",
				"unique_name_in_owner",
				"editor_description",
				"process_priority",
				"scene_file_path",
				"multiplayer"
			]
		):
			print(p)
	for m in ClassDB.class_get_method_list("Object", true):
		if m.name in ["get", "emit_signal", "connect", "call", "get_class", "set_meta", "is_class", "has_method"]:
			print(m)
	for p in ClassDB.class_get_property_list("Resource", true):
		print(p)
	for p in ClassDB.class_get_property_list("Sprite2D", true):
		if p.name in ["texture", "hframes", "region_rect", "offset", "centered"]:
			print(p)
	for p in ClassDB.class_get_property_list("Label", true):
		if p.name in ["text", "horizontal_alignment", "label_settings", "autowrap_mode", "justification_flags"]:
			print(p)
	for p in ClassDB.class_get_property_list("AudioStreamPlayer", true):
		if p.name in ["volume_db", "pitch_scale", "mix_target", "playback_type"]:
			print(p)
	for m in ClassDB.class_get_method_list("Sprite2D", true):
		if m.name in ["set_texture", "get_texture", "get_rect"]:
			print(m)
	for m in ClassDB.class_get_method_list("OS", true):
		if m.name in ["get_name", "execute", "get_ticks_msec"]:
			print(m)
	for m in ClassDB.class_get_method_list("Engine", true):
		if m.name in ["get_version_info"]:
			print(m)
	for m in ClassDB.class_get_method_list("Label", true):
		if m.name in ["set_justification_flags", "get_horizontal_alignment"]:
			print(m)
	for m in ClassDB.class_get_method_list("Time", true):
		if m.name in ["get_datetime_dict_from_unix_time"]:
			print(m)
	for m in ClassDB.class_get_method_list("Vector2", true):
		print(m)
	print(ClassDB.class_get_integer_constant_enum("HTTPClient", "METHOD_GET"))
	print("EXTRA")
	print(
		"HINT_NODE_TYPE=",
		PROPERTY_HINT_NODE_TYPE,
		" HINT_ARRAY_TYPE=",
		PROPERTY_HINT_ARRAY_TYPE,
		" USAGE_NO_EDITOR=",
		PROPERTY_USAGE_NO_EDITOR,
		" HINT_TYPE_STRING=",
		PROPERTY_HINT_TYPE_STRING
	)
	for m in ClassDB.class_get_method_list("Node", true):
		if m.name in ["get_children", "get_groups"]:
			print(m)
	for m in ClassDB.class_get_method_list("Array", true):
		pass
	var inst = Exported.new()
	for p in inst.get_property_list():
		if p.name in ["mood", "flags", "target", "res", "arr", "n"]:
			print(p)
	for m in inst.get_method_list():
		if m.name in ["takes_mood", "takes_node"]:
			print(m)
	inst.free()
	quit()


class Exported:
	extends Node
	enum Mood { HAPPY, SAD }
	@export var mood: Mood = Mood.SAD
	@export_flags("A", "B") var flags: int = 0
	@export var target: Node
	@export var res: Texture2D
	@export var arr: Array[int] = []
	@export_range(0, 10) var n: int = 5

	func takes_mood(m: Mood) -> Mood:
		return m

	func takes_node(_n: Node, _t: Texture2D) -> void:
		pass
