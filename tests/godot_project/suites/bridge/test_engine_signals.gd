# Engine signals reached as Python attributes (node.ready.connect(...)) fire their callables.
extends TestSuite


func test_engine_signals_connected_from_python_fire() -> void:
	var user := PyEngineSignalUser.new()
	add_child_autofree(user)
	user.name = "Renamed"
	assert_eq(user.seen_signals(), "ready,renamed")
