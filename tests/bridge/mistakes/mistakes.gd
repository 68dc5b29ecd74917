## Runs every runtime mistake of python/m_runtime.py, then checks that the engine and the
## Python classes still work. Used as a game (--script) and by the editor probe plugin.
extends RefCounted

const FRAMES := 90


static func trigger_all(tree: SceneTree) -> void:
	_init_mistake()
	_recursion_mistake()
	_recursion_through_engine_mistake()
	tree.root.add_child(ClassDB.instantiate("PyBadReady"))
	tree.root.add_child(ClassDB.instantiate("PyBadProcess"))
	for i in FRAMES:
		await tree.process_frame
	var fine = ClassDB.instantiate("PyFine")
	print("PyFine.add -> ", fine.add(2, 3))
	print("PyTwice registered: ", ClassDB.class_exists("PyTwice"))
	print("PyBadProcess._process calls: ", ClassDB.class_call_static("PyBadProcess", "process_calls"))
	print("still running after ", FRAMES, " frames")


static func _init_mistake() -> void:
	var x = ClassDB.instantiate("PyBadInit")
	print("PyBadInit.new() -> ", x != null)


static func _recursion_mistake() -> void:
	var r = ClassDB.instantiate("PyRecursion")
	print("recurse -> ", r.recurse(0))


static func _recursion_through_engine_mistake() -> void:
	var r = ClassDB.instantiate("PyRecursion")
	print("recurse through engine -> ", r.recurse_through_engine(0))
