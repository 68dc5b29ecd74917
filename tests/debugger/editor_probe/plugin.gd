## Test-only editor plugin: once the editor is up, calls PyDebuggee.compute (where the DAP test
## has its breakpoint), prints the result and quits.
@tool
extends EditorPlugin


func _enter_tree() -> void:
	_run.call_deferred()


func _run() -> void:
	await get_tree().create_timer(1.0).timeout
	var debuggee = ClassDB.instantiate("PyDebuggee")
	print("compute -> ", debuggee.compute(21))
	print("engine still running")
	get_tree().quit(0)
