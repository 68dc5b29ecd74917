# Test-only editor plugin (tests/bridge/test_class_kinds_editor.py): once the editor has
# opened main.tscn, prints "KINDS PROBE: key = value" lines about what it shows, then quits.
@tool
extends EditorPlugin

const WAIT_FRAMES := 1200


func _enter_tree() -> void:
	_probe.call_deferred()


func _say(key: String, value: Variant) -> void:
	print("KINDS PROBE: %s = %s" % [key, value])


func _item_named(item: TreeItem, text: String) -> TreeItem:
	if item == null or item.get_text(0) == text:
		return item
	for child in item.get_children():
		var found := _item_named(child, text)
		if found != null:
			return found
	return null


func _scene_dock_tree() -> Tree:
	for dock in EditorInterface.get_base_control().find_children("*", "SceneTreeDock", true, false):
		for editor in dock.find_children("*", "SceneTreeEditor", true, false):
			for tree in editor.find_children("*", "Tree", true, false):
				return tree
	return null


func _texture(texture: Texture2D) -> String:
	if texture == null:
		return "none"
	return "texture " + (texture.resource_path if texture.resource_path != "" else "(no file)")


func _probe() -> void:
	var tree: Tree = null
	for frame in WAIT_FRAMES:
		await get_tree().process_frame
		tree = _scene_dock_tree()
		if (
			EditorInterface.get_edited_scene_root() != null
			and tree != null
			and _item_named(tree.get_root(), "Tool") != null
		):
			break
	var root := EditorInterface.get_edited_scene_root()
	if root == null or tree == null:
		push_error("kinds probe: the editor did not open main.tscn")
		get_tree().quit(1)
		return
	for node_name in ["Main", "Icon", "MissingIcon", "Runtime", "Tool"]:
		var item := _item_named(tree.get_root(), node_name)
		_say("icon " + node_name, _texture(item.get_icon(0)) if item != null else "no item")
	for node in root.get_children():
		_say("class " + node.name, node.get_class())
	var runtime := root.get_node("Runtime")
	_say("speed Runtime", runtime.get("speed"))
	_say("ping Runtime", runtime.call("ping"))
	var made: Node = ClassDB.instantiate("KindsRuntime")
	_say("instantiate KindsRuntime", "%s ping %s" % [made.get_class(), made.call("ping")])
	made.free()
	var poker: RefCounted = ClassDB.instantiate("KindsPoker")
	_say("python poke Runtime", poker.poke(runtime))
	_say("python made KindsRuntime", poker.made_in_python())
	print("KINDS PROBE: done")
	get_tree().quit()
