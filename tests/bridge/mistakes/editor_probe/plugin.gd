## Test-only editor plugin: once the editor is up, runs every runtime mistake of
## python/m_runtime.py inside the editor, then shows the editor still works and quits.
@tool
extends EditorPlugin


func _enter_tree() -> void:
	_run.call_deferred()


func _run() -> void:
	await get_tree().create_timer(1.0).timeout
	await preload("res://mistakes.gd").trigger_all(get_tree())
	print("editor main screen: ", EditorInterface.get_editor_main_screen() != null)
	get_tree().quit(0)
