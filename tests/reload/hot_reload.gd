## Overwrites res://python/hot.py while Godot runs and prints what Godot and a live object
## see after each save (tests/reload/test_hot_reload.py reads the lines).
extends RefCounted

const MODULE := "res://python/hot.py"
const WAIT_SECONDS := 3.0


static func run(tree: SceneTree, loops: int) -> void:
	var old = ClassDB.instantiate("PyHot")
	old.count = 5
	old.bump()
	print("before: version ", old.version())

	_save("res://versions/v2.txt")
	var took := await _wait_for(tree, func(): return ClassDB.class_has_method("PyHot", "greet"))
	print("reloaded v2 after %.2f s" % took)
	print("old object: version ", old.version(), " count ", old.count, " hits ", old.hits())
	print("old object greets: ", old.greet("Ada"))
	var properties := ClassDB.class_get_property_list("PyHot", true).map(func(p): return p["name"])
	print(
		"ClassDB: greet ",
		ClassDB.class_has_method("PyHot", "greet"),
		", greeted ",
		ClassDB.class_has_signal("PyHot", "greeted"),
		", ANSWER ",
		ClassDB.class_get_integer_constant("PyHot", "ANSWER"),
		", mood ",
		"mood" in properties
	)
	var fresh = ClassDB.instantiate("PyHot")
	print("new object: version ", fresh.version(), " hits ", fresh.hits(), " mood ", fresh.mood)
	print("to_string: ", str(old))

	_save("res://versions/broken.txt")
	await tree.create_timer(1.0).timeout
	print("after the broken save: version ", old.version(), " greets ", old.greet("Bob"))

	for i in loops:
		_save("res://versions/loop%d.txt" % i)
		var expected := 1000 + i
		if await _wait_for(tree, func(): return old.version() == expected) < 0:
			print("reload ", i, " was not seen")
			return
	print("after ", loops, " reloads: version ", old.version(), " hits ", old.hits())
	print("alive: ", old.alive())
	print("hot reload checks done")


static func _save(source: String) -> void:
	var text := FileAccess.get_file_as_string(source)
	var file := FileAccess.open(MODULE, FileAccess.WRITE)
	file.store_string(text)
	file.close()


## Seconds until `done` returned true, checked once a frame; -1 after WAIT_SECONDS.
static func _wait_for(tree: SceneTree, done: Callable) -> float:
	var start := Time.get_ticks_msec()
	while Time.get_ticks_msec() - start < WAIT_SECONDS * 1000:
		if done.call():
			return (Time.get_ticks_msec() - start) / 1000.0
		await tree.process_frame
	return -1.0
