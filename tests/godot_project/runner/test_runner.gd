## Runs the GDScript test suites from the main scene and prints one marker line per test.
##
## Started by tests/harness (pytest) as
##   godot --headless --path tests/godot_project -- --suite=res://suites/x/test_y.gd
## with --suite repeatable; without it, every res://suites/**/test_*.gd runs. With
## --main=res://path.gd it runs one throwaway script instead (see run_main_script below).
##
## The suites start on the first frame, not in a --script _init(): by then the engine has
## finished its start-up work (CA store, extensions, autoloads). Marker lines, one per line:
##   @@SUITE <suite> <number of tests>
##   @@RUN <suite> <test>                  before each test (names a test that hangs or crashes)
##   @@TEST <suite> <test> PASS
##   @@TEST <suite> <test> FAIL <message>  (newlines in the message escaped as \n)
##   @@SUITE_ERROR <suite> <message>       the suite could not load or run at all
##   @@END passed=<n> failed=<m>           last line before quitting; exit code 1 if m > 0
## <suite> is the script path relative to res://suites/.
extends Node

const SUITES_DIR := "res://suites"
const MARK := "@@"

var _capture: Object = null
var _passed := 0
var _failed := 0


func _ready() -> void:
	_run.call_deferred()


func _run() -> void:
	await get_tree().process_frame
	_install_error_capture()
	var options := _parse_args(OS.get_cmdline_user_args())
	var exit_code := 0
	if not options.main.is_empty():
		exit_code = await _run_main_script(options.main)
		_remove_error_capture()
		print("%sEND exit=%d" % [MARK, exit_code])
	else:
		var suites: PackedStringArray = options.suites
		if suites.is_empty():
			suites = _find_suites(SUITES_DIR)
		for path in suites:
			await _run_suite(path)
		_remove_error_capture()
		exit_code = 1 if _failed > 0 else 0
		print("%sEND passed=%d failed=%d" % [MARK, _passed, _failed])
	get_tree().quit(exit_code)


# --- suites --------------------------------------------------------------------------------


func _run_suite(path: String) -> void:
	var suite_name := path.trim_prefix(SUITES_DIR + "/")
	var script := load(path) as GDScript
	if script == null or not script.can_instantiate():
		_suite_error(suite_name, "cannot load %s (parse error?)" % path)
		return
	var suite: Object = script.new()
	if not suite is TestSuite:
		_suite_error(suite_name, "%s does not extend TestSuite" % path)
		return
	var tests := _test_names(script)
	print("%sSUITE %s %d" % [MARK, suite_name, tests.size()])

	var holder := Node.new()
	holder.name = "Suite"
	add_child(holder)
	suite.tree = get_tree()
	suite.root = holder

	await suite.before_all()
	var setup_errors := _take_script_errors()
	if not setup_errors.is_empty():
		_suite_error(suite_name, "before_all: " + setup_errors[0])
	else:
		for test in tests:
			await _run_test(suite, suite_name, test)
	await suite.after_all()
	var teardown_errors := _take_script_errors()
	if not teardown_errors.is_empty():
		_suite_error(suite_name, "after_all: " + teardown_errors[0])

	suite = null
	holder.free()


func _run_test(suite: TestSuite, suite_name: String, test: String) -> void:
	print("%sRUN %s %s" % [MARK, suite_name, test])
	suite._runner_begin_test()
	await suite.before_each()
	await suite.call(test)
	await suite.after_each()
	var failure := suite._runner_end_test()
	var script_errors := _take_script_errors()
	if failure.is_empty() and not script_errors.is_empty():
		failure = script_errors[0]
		if script_errors.size() > 1:
			failure += " (and %d more script errors)" % (script_errors.size() - 1)
	if failure.is_empty():
		_passed += 1
		print("%sTEST %s %s PASS" % [MARK, suite_name, test])
	else:
		_failed += 1
		print("%sTEST %s %s FAIL %s" % [MARK, suite_name, test, _one_line(failure)])


func _suite_error(suite_name: String, message: String) -> void:
	_failed += 1
	print("%sSUITE_ERROR %s %s" % [MARK, suite_name, _one_line(message)])


## The script's own and inherited test_* methods that take no required argument, in
## declaration order.
static func _test_names(script: GDScript) -> PackedStringArray:
	var names := PackedStringArray()
	for method in script.get_script_method_list():
		var name: String = method.name
		var required: int = method.args.size() - method.default_args.size()
		if name.begins_with("test_") and required == 0 and not name in names:
			names.append(name)
	return names


static func _find_suites(dir_path: String) -> PackedStringArray:
	var found := PackedStringArray()
	for sub in DirAccess.get_directories_at(dir_path):
		found.append_array(_find_suites(dir_path.path_join(sub)))
	for file in DirAccess.get_files_at(dir_path):
		if file.begins_with("test_") and file.ends_with(".gd"):
			found.append(dir_path.path_join(file))
	found.sort()
	return found


# --- a throwaway script (tests/harness run_gdscript) ---------------------------------------


## Loads the script, adds it to the tree when it is a Node, awaits its run() when it has one,
## frees it. run() may return an int: the exit code. Script errors make the exit code 1.
func _run_main_script(path: String) -> int:
	var script := load(path) as GDScript
	if script == null or not script.can_instantiate():
		print("%sMAIN_ERROR cannot load %s (parse error?)" % [MARK, path])
		return 1
	var instance: Object = script.new()
	if instance is Node:
		add_child(instance)
	var exit_code := 0
	if instance.has_method("run"):
		var result: Variant = await instance.run()
		if typeof(result) == TYPE_INT:
			exit_code = result
	if is_instance_valid(instance) and not instance is RefCounted:
		instance.free()
	instance = null
	if exit_code == 0 and not _take_script_errors().is_empty():
		exit_code = 1
	return exit_code


# --- plumbing ------------------------------------------------------------------------------


static func _parse_args(args: PackedStringArray) -> Dictionary:
	var options := {"suites": PackedStringArray(), "main": ""}
	var i := 0
	while i < args.size():
		var arg := args[i]
		var value := ""
		if "=" in arg:
			value = arg.get_slice("=", 1)
			arg = arg.get_slice("=", 0)
		elif i + 1 < args.size():
			value = args[i + 1]
			i += 1
		match arg:
			"--suite":
				options.suites.append(value)
			"--main":
				options.main = value
			_:
				push_warning("test_runner: unknown argument " + arg)
		i += 1
	return options


func _install_error_capture() -> void:
	if ClassDB.class_exists(&"Logger"):
		_capture = load("res://runner/error_capture.gd").new()
		OS.call(&"add_logger", _capture)


func _remove_error_capture() -> void:
	if _capture != null:
		OS.call(&"remove_logger", _capture)
		_capture = null


func _take_script_errors() -> PackedStringArray:
	return _capture.take_script_errors() if _capture != null else PackedStringArray()


static func _one_line(text: String) -> String:
	return text.replace("\r", "").replace("\n", "\\n")
