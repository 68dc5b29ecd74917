## Test-only editor plugin: once the editor is up, runs the hot reload checks, then quits.
@tool
extends EditorPlugin


func _enter_tree() -> void:
	_run.call_deferred()


func _run() -> void:
	await get_tree().create_timer(1.0).timeout
	await preload("res://hot_reload.gd").run(get_tree(), 10)
	get_tree().quit(0)
