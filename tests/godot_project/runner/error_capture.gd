## Collects script errors while a test runs, so the runner can fail that test by name.
##
## Installed with OS.add_logger (Godot 4.5+); the runner loads this file only where the
## Logger class exists. Loggers may be called from any thread, hence the mutex.
extends Logger

var _mutex := Mutex.new()
var _script_errors: PackedStringArray = []


func _log_error(
	function: String,
	file: String,
	line: int,
	code: String,
	rationale: String,
	_editor_notify: bool,
	error_type: int,
	_script_backtraces: Array[ScriptBacktrace]
) -> void:
	if error_type != ERROR_TYPE_SCRIPT:
		return
	var what := rationale if not rationale.is_empty() else code
	_mutex.lock()
	_script_errors.append("SCRIPT ERROR: %s (at %s:%d in %s)" % [what, file, line, function])
	_mutex.unlock()


## Returns the script errors seen since the last call and forgets them.
func take_script_errors() -> PackedStringArray:
	_mutex.lock()
	var errors := _script_errors
	_script_errors = PackedStringArray()
	_mutex.unlock()
	return errors
