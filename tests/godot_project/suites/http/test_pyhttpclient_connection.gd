# The connection property: get_connection() shows the live socket as a StreamPeer and
# set_connection() makes the client talk through a StreamPeer GDScript connected itself.
# expect-error: Connection is not a reference to a valid StreamPeer
extends TestSuite

const Tutorial := preload("res://suites/http/tutorial_client.gd")

var port := 0


func before_all() -> void:
	port = Tutorial.env_port("PYHTTP_PORT")


func _connected(http: Object) -> bool:
	http.connect_to_host("127.0.0.1", port)
	var deadline := Time.get_ticks_msec() + 5000
	while (
		http.get_status() in [HTTPClient.STATUS_CONNECTING, HTTPClient.STATUS_RESOLVING]
		and Time.get_ticks_msec() < deadline
	):
		http.poll()
		OS.delay_msec(1)
	return assert_eq(http.get_status(), HTTPClient.STATUS_CONNECTED, "connected")


func _until_headers(http: Object) -> void:
	var deadline := Time.get_ticks_msec() + 5000
	while http.get_status() == HTTPClient.STATUS_REQUESTING and Time.get_ticks_msec() < deadline:
		http.poll()
		OS.delay_msec(1)


## GET /text?n=size on a new connection, up to the headers, and until the whole body is in
## the socket; the client's connection, or null when it could not connect.
func _body_waiting(http: Object, size: int) -> StreamPeer:
	if not _connected(http):
		return null
	http.request(HTTPClient.METHOD_GET, "/text?n=%d" % size, [])
	_until_headers(http)
	var conn: StreamPeer = http.get_connection()
	var deadline := Time.get_ticks_msec() + 5000
	while conn.get_available_bytes() < size and Time.get_ticks_msec() < deadline:
		OS.delay_msec(1)
	return conn


## After the headers, the body is still in the socket: GDScript reads it from the connection.
func _body_through_get_connection(http: Object) -> Array:
	var conn := _body_waiting(http, 1000)
	if conn == null:
		return []
	var available := conn.get_available_bytes()
	var got: Array = conn.get_partial_data(400)
	var rest: Array = conn.get_data(600)
	var after := conn.get_available_bytes()
	var same: bool = http.get_connection() == conn
	return [http.get_status(), available, got[0], got[1], rest[0], rest[1], after, same, conn is StreamPeer]


func test_get_connection_reads_the_body_like_the_builtin() -> void:
	if not assert_true(port > 0, "PYHTTP_PORT is not set: run this suite through pytest"):
		return
	var builtin := _body_through_get_connection(HTTPClient.new())
	var ours := _body_through_get_connection(ClassDB.instantiate("PyHTTPClient"))
	assert_eq(ours, builtin)
	assert_eq(builtin[1], 1000, "available bytes")
	assert_eq(builtin[3].size(), 400)


## A body read while the read size and the blocking mode change between reads (PyHTTPClient
## hands a plain body to its C receiver and takes it back for blocking reads).
func _reads_with_settings_changed_mid_body(http: Object) -> Array:
	if _body_waiting(http, 20000) == null:
		return []
	var trace := []
	var body := PackedByteArray()
	for step in [[4096, false], [1000, false], [1000, true], [300, true], [65536, false]]:
		http.read_chunk_size = step[0]
		http.blocking_mode_enabled = step[1]
		var polled: int = http.poll()
		var chunk: PackedByteArray = http.read_response_body_chunk()
		body.append_array(chunk)
		trace.append([step, polled, chunk.size(), http.get_status()])
	var expected := PackedByteArray()
	for i in 20000:
		expected.append(i % 251)
	trace.append(body == expected)
	return trace


func test_read_size_and_blocking_mode_changed_mid_body_read_like_the_builtin() -> void:
	var builtin := _reads_with_settings_changed_mid_body(HTTPClient.new())
	var ours := _reads_with_settings_changed_mid_body(ClassDB.instantiate("PyHTTPClient"))
	assert_eq(ours, builtin)
	assert_eq(builtin.size(), 6)
	assert_eq(builtin[0][2], 4096)
	assert_eq(builtin[4][2], 20000 - 4096 - 1000 - 1000 - 300, "the rest, non-blocking again")
	assert_eq(builtin[4][3], HTTPClient.STATUS_CONNECTED)
	assert_true(builtin[5], "the body's bytes")


## GET path and read the body in the tightest loop there is (poll(), read, nothing else):
## [body, status after, response code, reads that returned nothing].
func _spin_read(http: Object, path: String) -> Array:
	if not _connected(http):
		return []
	http.request(HTTPClient.METHOD_GET, path, [])
	_until_headers(http)
	var body := PackedByteArray()
	var empty := 0
	var deadline := Time.get_ticks_msec() + 5000
	while http.get_status() == HTTPClient.STATUS_BODY and Time.get_ticks_msec() < deadline:
		http.poll()
		var chunk: PackedByteArray = http.read_response_body_chunk()
		body.append_array(chunk)
		if chunk.is_empty():
			empty += 1
	return [body, http.get_status(), http.get_response_code(), empty]


func test_a_loop_that_spins_on_a_slow_body_gets_it_like_the_builtin() -> void:
	# The body comes in three pieces 100 ms apart (/slow), or ends with the server's close
	# (/close). PyHTTPClient's reads wait for bytes while the loop only spins (decision 0018).
	for path in ["/slow?n=30000", "/close?n=30000"]:
		var builtin := _spin_read(HTTPClient.new(), path)
		var ours := _spin_read(ClassDB.instantiate("PyHTTPClient"), path)
		if not assert_eq(ours.size(), 4, path + ": connected") or not assert_eq(builtin.size(), 4):
			return
		assert_eq(ours[0].size(), 30000, path + ": every byte")
		assert_eq(ours[0], builtin[0], path + ": the same bytes")
		assert_eq(ours.slice(1, 3), builtin.slice(1, 3), path + ": the same status and code after")
		if path.begins_with("/slow"):
			# 200 ms of waiting: the built-in's loop spins through it, ours mostly sleeps.
			assert_true(
				ours[3] * 5 < builtin[3],
				(
					"%s: PyHTTPClient's empty reads (%d) are far fewer than the built-in's (%d)"
					% [path, ours[3], builtin[3]]
				)
			)


func test_get_connection_put_data_sends_raw_bytes() -> void:
	var http: Object = ClassDB.instantiate("PyHTTPClient")
	if not _connected(http):
		return
	var conn: StreamPeer = http.get_connection()
	var raw := "GET /text?n=5 HTTP/1.1\r\nHost: x\r\n\r\n".to_utf8_buffer()
	assert_eq(conn.put_data(raw), OK)
	var deadline := Time.get_ticks_msec() + 5000
	var received := PackedByteArray()
	while Time.get_ticks_msec() < deadline and received.get_string_from_ascii().find("\r\n\r\n") < 0:
		var got: Array = conn.get_partial_data(4096)
		received.append_array(got[1])
		OS.delay_msec(1)
	assert_true(received.get_string_from_ascii().begins_with("HTTP/1.1 200 OK"), received.get_string_from_ascii())


func test_set_connection_of_its_own_connection_changes_nothing() -> void:
	for http in [HTTPClient.new(), ClassDB.instantiate("PyHTTPClient")]:
		if not _connected(http):
			return
		http.request(HTTPClient.METHOD_GET, "/text?n=10", [])
		_until_headers(http)
		http.set_connection(http.get_connection())
		assert_eq(
			[http.get_status(), http.get_response_code(), http.get_response_body_length()],
			[HTTPClient.STATUS_BODY, 200, 10],
			"%s after set_connection(get_connection())" % http.get_class()
		)


## Over plain HTTP get_connection() is the engine's StreamPeerTCP the client connected with
## (issue 13: it used to be an adapter object), for both classes alike.
func _engine_connection(http: Object) -> Array:
	if not _connected(http):
		return []
	var conn = http.get_connection()
	var out := [
		conn is StreamPeerTCP,
		conn.get_class(),
		conn.get_status(),
		conn.get_connected_host(),
		conn.get_connected_port() == port,
		http.get_connection() == conn
	]
	http.close()
	out.append(conn.get_status())  # close() disconnects the object the caller still holds
	return out


func test_get_connection_is_the_engines_stream_peer_tcp() -> void:
	if not assert_true(port > 0, "PYHTTP_PORT is not set: run this suite through pytest"):
		return
	var builtin := _engine_connection(HTTPClient.new())
	var ours := _engine_connection(ClassDB.instantiate("PyHTTPClient"))
	assert_eq(ours, builtin)
	assert_eq(
		builtin,
		[true, "StreamPeerTCP", StreamPeerTCP.STATUS_CONNECTED, "127.0.0.1", true, true, StreamPeerTCP.STATUS_NONE]
	)


func test_close_drops_the_connection() -> void:
	for http in [HTTPClient.new(), ClassDB.instantiate("PyHTTPClient")]:
		if not _connected(http):
			return
		assert_true(http.get_connection() != null)
		http.close()
		assert_true(http.get_connection() == null, http.get_class())


func _request_through_tcp(http: Object) -> Array:
	var tcp := StreamPeerTCP.new()
	tcp.connect_to_host("127.0.0.1", port)
	var deadline := Time.get_ticks_msec() + 5000
	while tcp.get_status() == StreamPeerTCP.STATUS_CONNECTING and Time.get_ticks_msec() < deadline:
		tcp.poll()
		OS.delay_msec(1)
	http.set_connection(tcp)
	var out := [http.get_status(), http.get_connection() == tcp]
	out.append(http.request(HTTPClient.METHOD_GET, "/echo", ["X-Test: through-tcp"]))
	_until_headers(http)
	out.append_array([http.get_status(), http.get_response_code(), http.get_response_body_length()])
	# Read without polling: the built-in's liveness check ignores the injected stream.
	var body := PackedByteArray()
	while http.get_status() == HTTPClient.STATUS_BODY and Time.get_ticks_msec() < deadline:
		body.append_array(http.read_response_body_chunk())
		OS.delay_msec(1)
	out.append_array([http.get_status(), body.get_string_from_utf8()])
	return out


func test_set_connection_with_a_gdscript_stream_peer_tcp() -> void:
	if not assert_true(port > 0, "PYHTTP_PORT is not set: run this suite through pytest"):
		return
	var builtin := _request_through_tcp(HTTPClient.new())
	var ours := _request_through_tcp(ClassDB.instantiate("PyHTTPClient"))
	assert_eq(ours, builtin)
	assert_eq(builtin[0], HTTPClient.STATUS_CONNECTED)
	assert_true(builtin[1], "get_connection() returns the injected stream")
	assert_true(
		str(builtin[-1]).begins_with("GET /echo HTTP/1.1\r\nX-Test: through-tcp\r\nHost: :-1\r\n"), str(builtin[-1])
	)


func test_set_connection_polling_stays_alive_in_pyhttpclient() -> void:
	# Deliberate difference (docs/http-differences.md): the built-in reports CONNECTION_ERROR
	# when polled on an injected stream; PyHTTPClient asks the stream itself.
	var http: Object = ClassDB.instantiate("PyHTTPClient")
	var tcp := StreamPeerTCP.new()
	tcp.connect_to_host("127.0.0.1", port)
	while tcp.get_status() == StreamPeerTCP.STATUS_CONNECTING:
		tcp.poll()
		OS.delay_msec(1)
	http.set_connection(tcp)
	assert_eq(http.poll(), OK)
	http.request(HTTPClient.METHOD_GET, "/chunked?n=3000", [])
	_until_headers(http)
	var body := PackedByteArray()
	var deadline := Time.get_ticks_msec() + 5000
	while http.get_status() == HTTPClient.STATUS_BODY and Time.get_ticks_msec() < deadline:
		assert_eq(http.poll(), OK)
		body.append_array(http.read_response_body_chunk())
	assert_eq([http.get_status(), body.size()], [HTTPClient.STATUS_CONNECTED, 3000])
	tcp.disconnect_from_host()
	assert_eq(http.poll(), ERR_CONNECTION_ERROR, "a closed injected stream is noticed")


func test_set_connection_null_is_refused_like_the_builtin() -> void:
	for http in [HTTPClient.new(), ClassDB.instantiate("PyHTTPClient")]:
		http.set_connection(null)
		assert_eq(http.get_status(), HTTPClient.STATUS_DISCONNECTED, http.get_class())
		assert_true(http.get_connection() == null, http.get_class())


func test_the_engine_socket_is_found_when_every_guess_is_wrong() -> void:
	var probe = ClassDB.instantiate("PyAdoptProbe")
	assert_eq(
		probe.cases(),
		"status 2|scan True 1|port True|nonblocking 0.0 False|reads b'ping'|guess True scans 0|missing None 0"
	)
	assert_true(probe.lowest_free_fd_is_next(), "the lowest free descriptor is where the next socket lands")
