# Dictionaries keep Godot's key identity in Python: 1, true and 1.0 stay three keys.
extends TestSuite

var u: PyDictUser


func before_each() -> void:
	u = PyDictUser.new()


func test_keys_python_would_fold_arrive_apart() -> void:
	var d := {1: "a", true: "b", 1.0: "c"}
	assert_eq(d.size(), 3, "GDScript keeps three keys")
	assert_eq(u.count(d), 3)
	assert_eq(u.key_reprs(d), PackedStringArray(["int:1", "bool:True", "float:1.0"]))
	assert_eq(u.lookup(d, 1), "a")
	assert_eq(u.lookup(d, true), "b")
	assert_eq(u.lookup(d, 1.0), "c")


func test_keys_written_in_python_stay_apart() -> void:
	var made: Dictionary = u.make_three_keys()
	assert_eq(made.size(), 3)
	assert_eq(made[1], "a")
	assert_eq(made[true], "b")
	assert_eq(made[1.0], "c")
	var mine := {}
	u.add_keys(mine)
	assert_eq(mine.size(), 3, "Python wrote into the caller's Dictionary")
	assert_eq(mine[true], "bool")


func test_python_dict_converts() -> void:
	assert_eq(u.from_python_dict(), {"x": 1, 2: [3, {"nested": true}]})


func test_round_trip_is_the_same_dictionary() -> void:
	var c := PyCounter.new()
	var d := {1: 1, true: 2}
	var back: Dictionary = c.echo(d)
	assert_true(is_same(back, d), "the engine Dictionary itself comes back")


func test_python_sees_a_mapping() -> void:
	var d := {"a": 1, "b": 2}
	assert_eq(u.python_view(d), "Dictionary | True | 'dflt' | 'a'=1,'b'=2 | True | False | KeyError 'nope'")
	assert_false(d.has("a"), "del in Python erased the key in the caller's Dictionary")


func test_query_string_from_dict_keeps_every_field_like_httpclient() -> void:
	var fields := {1: "int key", true: "bool key", 2.5: "float key", "s": [1, 2], "n": null}
	var builtin := HTTPClient.new().query_string_from_dict(fields)
	var python: String = PyHTTPClient.new().query_string_from_dict(fields)
	print("HTTPClient:   ", builtin)
	print("PyHTTPClient: ", python)
	assert_eq(python, builtin)
	assert_eq(python.split("&").size(), 6)
