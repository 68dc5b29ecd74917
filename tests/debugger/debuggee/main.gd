extends SceneTree


func _initialize() -> void:
	var debuggee = PyDebuggee.new()
	print("compute -> ", debuggee.compute(21))
	print("engine still running")
	quit()
