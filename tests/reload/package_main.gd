## Saves submodules of the package res://python/shop while Godot runs and prints what a live
## object sees (tests/reload/test_hot_reload.py reads the lines).
extends SceneTree

const WAIT_SECONDS := 3.0


func _initialize() -> void:
	_run.call_deferred()


func _run() -> void:
	var item = ClassDB.instantiate("PyItem")
	print("before: price ", item.price(), " label ", item.label())
	# rates.py is imported by items.py (from .rates import RATE): both run again, rates first.
	_copy("res://versions/rates_v2.txt", "res://python/shop/rates.py")
	if await _wait_for(func(): return item.price() != 20) < 0:
		print("the saved submodule was not reloaded: price ", item.price())
	print("after rates.py: price ", item.price(), " label ", item.label())
	# labels.py is imported by the package's __init__ only: the class module keeps its code.
	_copy("res://versions/labels_v2.txt", "res://python/shop/labels.py")
	if await _wait_for(func(): return item.label() != "plain") < 0:
		print("the saved submodule was not reloaded: label ", item.label())
	print("after labels.py: price ", item.price(), " label ", item.label())
	# a broken submodule: reported, nothing changes
	_copy("res://versions/rates_broken.txt", "res://python/shop/rates.py")
	await create_timer(1.0).timeout
	print("after the broken save: price ", item.price())
	print("package checks done")
	quit()


func _copy(source: String, target: String) -> void:
	var text := FileAccess.get_file_as_string(source)
	var file := FileAccess.open(target, FileAccess.WRITE)
	file.store_string(text)
	file.close()


func _wait_for(done: Callable) -> float:
	var start := Time.get_ticks_msec()
	while Time.get_ticks_msec() - start < WAIT_SECONDS * 1000:
		if done.call():
			return (Time.get_ticks_msec() - start) / 1000.0
		await process_frame
	return -1.0
