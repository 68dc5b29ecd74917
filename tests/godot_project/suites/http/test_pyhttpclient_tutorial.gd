# The tutorial client (tutorial_client.gd) gives the same transcript with HTTPClient and
# PyHTTPClient against the same loopback server (conftest.py), non-blocking and blocking.
# timeout: 180
extends TestSuite

const Tutorial := preload("res://suites/http/tutorial_client.gd")

## Content-Length, chunked, a slow body, 404 and the raw request echoed back (the bytes each
## client sends: request line, Host, User-Agent, Accept), all on one keep-alive connection.
const PATHS := ["/text?n=100000", "/chunked?n=5000", "/slow?n=30", "/nothing", "/echo", "/text?n=0", "/text?n=70000"]

var port := 0


func before_all() -> void:
	port = Tutorial.env_port("PYHTTP_PORT")


func _compare(host: String, paths: Array, blocking: bool, headers := PackedStringArray()) -> void:
	if not assert_true(port > 0, "PYHTTP_PORT is not set: run this suite through pytest"):
		return
	var builtin := Tutorial.fetch(HTTPClient.new(), host, port, null, paths, blocking, headers)
	var ours := Tutorial.fetch(ClassDB.instantiate("PyHTTPClient"), host, port, null, paths, blocking, headers)
	# The transcript ends with the connection object, whose class differs by design.
	builtin[-1] = builtin[-1].get_slice("connection=", 0)
	ours[-1] = ours[-1].get_slice("connection=", 0)
	assert_eq(Tutorial.first_difference(builtin, ours), "", "\n".join(builtin))
	assert_true(builtin.size() > 10, "transcript too short: " + "\n".join(builtin))


func test_non_blocking_ip_host() -> void:
	_compare("127.0.0.1", PATHS, false)


func test_blocking_ip_host() -> void:
	_compare("127.0.0.1", PATHS, true)


func test_non_blocking_hostname_resolves() -> void:
	_compare("localhost", ["/text?n=1000", "/echo"], false)


func test_blocking_with_http_prefix_and_tutorial_headers() -> void:
	_compare(
		"http://127.0.0.1",
		["/echo", "/chunked?n=2500"],
		true,
		PackedStringArray(["User-Agent: Pirulo/1.0 (Godot)", "Accept: */*"])
	)


func test_blocking_close_delimited_body_ends_disconnected() -> void:
	# Blocking: one read takes the whole close-delimited body and sees the end (no race).
	_compare("127.0.0.1", ["/text?n=10", "/close?n=3000"], true)


func test_refused_connection() -> void:
	# Port 1 on loopback refuses: CONNECTING -> CANT_CONNECT on both.
	var builtin := Tutorial.fetch(HTTPClient.new(), "127.0.0.1", 1, null, [], false)
	var ours := Tutorial.fetch(ClassDB.instantiate("PyHTTPClient"), "127.0.0.1", 1, null, [], false)
	assert_eq(Tutorial.first_difference(builtin, ours), "", "\n".join(builtin))
