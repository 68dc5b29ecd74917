## Base class of every GDScript test suite (res://suites/**/test_*.gd).
##
## A suite is a RefCounted with [code]func test_*()[/code] methods, run in declaration order by
## res://runner/test_runner.gd. Each test may be a coroutine (use [code]await[/code]).
## Optional hooks, each may be a coroutine: [method before_all], [method after_all],
## [method before_each], [method after_each].
##
## Assertions record the first failure of the current test (message plus file:line) and let
## the test continue; they return whether they held, so a test can stop early:
## [code]if not assert_eq(a, b): return[/code].
class_name TestSuite
extends RefCounted

## The running SceneTree, for awaiting frames and timers.
var tree: SceneTree
## A Node in the tree that this suite may add children to (see [method add_child_autofree]).
var root: Node

var _failure: String = ""
var _to_free: Array[Object] = []


func before_all() -> void:
	pass


func after_all() -> void:
	pass


func before_each() -> void:
	pass


func after_each() -> void:
	pass


## Waits [param count] process frames.
func next_frame(count: int = 1) -> void:
	for i in count:
		await tree.process_frame


## Waits [param seconds] of wall time.
func wait_seconds(seconds: float) -> void:
	await tree.create_timer(seconds, true, false, true).timeout


## Frees [param object] after the current test (Nodes and plain Objects; RefCounted are ignored).
func autofree(object: Object) -> Object:
	if object != null and not object is RefCounted:
		_to_free.append(object)
	return object


## Adds [param node] under [member root] and frees it after the current test.
func add_child_autofree(node: Node) -> Node:
	root.add_child(node)
	return autofree(node)


func fail(message: String = "failed") -> void:
	_record(message)


func assert_true(condition: bool, message: String = "") -> bool:
	if condition:
		return true
	_record(_join("assert_true: got false", message))
	return false


func assert_false(condition: bool, message: String = "") -> bool:
	if not condition:
		return true
	_record(_join("assert_false: got true", message))
	return false


func assert_eq(actual: Variant, expected: Variant, message: String = "") -> bool:
	if _equal(actual, expected):
		return true
	_record(_join("assert_eq: expected %s, got %s" % [_show(expected), _show(actual)], message))
	return false


func assert_ne(actual: Variant, unexpected: Variant, message: String = "") -> bool:
	if not _equal(actual, unexpected):
		return true
	_record(_join("assert_ne: both are %s" % _show(actual), message))
	return false


## True when the current test has failed so far.
func has_failed() -> bool:
	return not _failure.is_empty()


# --- used by the runner ------------------------------------------------------------------


func _runner_begin_test() -> void:
	_failure = ""


func _runner_end_test() -> String:
	for object in _to_free:
		if is_instance_valid(object):
			object.free()
	_to_free.clear()
	return _failure


func _record(message: String) -> void:
	if _failure.is_empty():
		_failure = message + _caller_location()


# --- helpers -------------------------------------------------------------------------------


## Same value: numbers compare across int/float, text across String/StringName, other values
## only within one Variant type.
static func _equal(a: Variant, b: Variant) -> bool:
	return _comparable_type(typeof(a)) == _comparable_type(typeof(b)) and a == b


static func _comparable_type(type: int) -> int:
	match type:
		TYPE_FLOAT:
			return TYPE_INT
		TYPE_STRING_NAME:
			return TYPE_STRING
	return type


static func _show(value: Variant) -> String:
	var text := var_to_str(value) if typeof(value) != TYPE_OBJECT else str(value)
	text = "%s(%s)" % [type_string(typeof(value)), text]
	return text if text.length() <= 300 else text.left(300) + "..."


static func _join(what: String, message: String) -> String:
	return what if message.is_empty() else "%s: %s" % [message, what]


## " (at res://suites/x.gd:12)" for the first stack frame outside this file, when known.
func _caller_location() -> String:
	for frame in get_stack():
		if frame.source != "res://runner/test_suite.gd":
			return " (at %s:%d)" % [frame.source, frame.line]
	return ""
