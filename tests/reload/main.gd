extends SceneTree


func _initialize() -> void:
	_run.call_deferred()


func _run() -> void:
	await preload("res://hot_reload.gd").run(self, 100)
	quit()
