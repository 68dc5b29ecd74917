## Overwrites res://python/hot.py while Godot runs and prints what Godot and a live object
## see after each save (tests/reload/test_hot_reload.py reads the lines).
extends RefCounted

const MODULE := "res://python/hot.py"
const WAIT_SECONDS := 3.0
const FLIPS := 6


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
	await _stale_members(tree, old)
	print("hot reload checks done")


## v3 removes greet() and label, re-types mood and double(): what ClassDB cannot follow.
static func _stale_members(tree: SceneTree, old) -> void:
	var typed := GDScript.new()  # compiled against v2's signatures: typed calls are ptrcalls
	typed.source_code = (
		"extends RefCounted\n"
		+ "func double(h: PyHot) -> Variant:\n\treturn h.double(3)\n"
		+ 'func greet(h: PyHot) -> Variant:\n\treturn h.greet("Eve")\n'
	)
	typed.reload()
	var caller = typed.new()
	print("typed before v3: double ", caller.double(old))
	old.mood = "sunny"
	_save("res://versions/v3.txt")
	if await _wait_for(tree, func(): return old.version() == 3000) < 0:
		print("v3 was not seen")
		return
	print("v3: untyped double ", old.double(3))
	print("v3: typed double ", caller.double(old))
	print("v3: removed greet [", old.callv("greet", ["Ada"]), "], typed [", caller.greet(old), "]")
	print("v3: mood stored as a String reads [", old.mood, "]")
	old.mood = 7
	var listed := {}
	for p in old.get_property_list():
		listed[p["name"]] = p
	print(
		"v3: mood ",
		old.mood,
		" ",
		type_string(typeof(old.mood)),
		", listed as type ",
		listed["mood"]["type"],
		"; label hidden ",
		not listed.has("label") or listed["label"]["usage"] == PROPERTY_USAGE_NONE
	)
	var class_listed := ClassDB.class_get_property_list("PyHot", true).map(func(p): return p["name"])
	print("v3: ClassDB greet ", ClassDB.class_has_method("PyHot", "greet"), ", label listed ", "label" in class_listed)
	await _flip_signatures_under_calls(tree, old)


## double() flips between its bound signature (v4) and a new one (v3) while a thread calls it:
## each flip replaces the signature the calls read.
static func _flip_signatures_under_calls(tree: SceneTree, old) -> void:
	var state := {"running": true, "calls": 0, "odd": 0}
	var thread := Thread.new()
	thread.start(
		func():
			while state["running"]:
				var r = old.callv("double", [3])
				state["calls"] += 1
				if r != 6 and r != 7.5:
					state["odd"] += 1
	)
	for flip in FLIPS:
		var version := 4000 if flip % 2 == 0 else 3000
		_save("res://versions/v%d.txt" % (4 if flip % 2 == 0 else 3))
		if await _wait_for(tree, func(): return old.version() == version) < 0:
			print("flip ", flip, " was not seen")
			break
		await tree.create_timer(0.1).timeout
	state["running"] = false
	thread.wait_to_finish()
	print(
		"flips: ", FLIPS, " done with ", "calls" if state["calls"] > 0 else "no calls", ", odd results ", state["odd"]
	)


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
