# Issue 6 through the bridge: hostile responses, caller misuse and blocking-mode threads give
# PyHTTPClient statuses and Error codes (never a crash or a hang), poll() stays fast, and the same
# object works again after close(). Servers: conftest.py in this folder (HOSTILE_PORT).
# timeout: 120
# expect-errors
extends TestSuite

const POLL_BUDGET_USEC := 25000
var port := 0


func before_all() -> void:
	port = int(OS.get_environment("HOSTILE_PORT")) if OS.has_environment("HOSTILE_PORT") else 0


## Connect, polling; returns the slowest poll in microseconds.
func _connect(http: Object, p: int = -1) -> int:
	var slowest := 0
	http.connect_to_host("127.0.0.1", port if p == -1 else p)
	var deadline := Time.get_ticks_msec() + 5000
	while (
		http.get_status() in [HTTPClient.STATUS_CONNECTING, HTTPClient.STATUS_RESOLVING]
		and Time.get_ticks_msec() < deadline
	):
		var t0 := Time.get_ticks_usec()
		http.poll()
		slowest = maxi(slowest, Time.get_ticks_usec() - t0)
		OS.delay_msec(1)
	return slowest


## Request `path`, poll to the head, read the body. Returns [status, last poll rc, code, body size, slowest usec].
func _exchange(http: Object, path: String) -> Array:
	var slowest := 0
	var rc: int = http.request(HTTPClient.METHOD_GET, path, [])
	if rc != OK:
		return [http.get_status(), rc, http.get_response_code(), 0, 0]
	var deadline := Time.get_ticks_msec() + 5000
	while http.get_status() == HTTPClient.STATUS_REQUESTING and Time.get_ticks_msec() < deadline:
		var t0 := Time.get_ticks_usec()
		rc = http.poll()
		slowest = maxi(slowest, Time.get_ticks_usec() - t0)
		OS.delay_msec(1)
	var size := 0
	while http.get_status() == HTTPClient.STATUS_BODY and Time.get_ticks_msec() < deadline:
		var t0 := Time.get_ticks_usec()
		var chunk: PackedByteArray = http.read_response_body_chunk()
		slowest = maxi(slowest, Time.get_ticks_usec() - t0)
		size += chunk.size()
		if chunk.is_empty():
			OS.delay_msec(1)
	return [http.get_status(), rc, http.get_response_code(), size, slowest]


func _works_again(http: Object) -> void:
	http.close()
	assert_eq(http.get_status(), HTTPClient.STATUS_DISCONNECTED, "closed")
	assert_true(http.get_connection() == null, "no connection after close")
	_connect(http)
	var r := _exchange(http, "/ok")
	assert_eq([r[0], r[2], r[3]], [HTTPClient.STATUS_CONNECTED, 200, 5], "works again after close()")
	http.close()


func test_hostile_responses_give_connection_error_quickly() -> void:
	for path in ["/bad-status", "/huge-header", "/many-headers", "/cl-plus", "/bad-chunk", "/trunc", "/reset"]:
		var http: Object = ClassDB.instantiate("PyHTTPClient")
		_connect(http)
		var r := _exchange(http, path)
		assert_eq(r[0], HTTPClient.STATUS_CONNECTION_ERROR, path + " status")
		assert_true(r[1] == OK or r[1] == ERR_CONNECTION_ERROR, path + " rc %d" % r[1])
		assert_true(r[4] < POLL_BUDGET_USEC, path + " slowest call %d usec" % r[4])
		assert_eq(http.poll(), ERR_CONNECTION_ERROR, path + " poll after the error")
		assert_eq(http.read_response_body_chunk(), PackedByteArray(), path + " no more body")
		_works_again(http)


func test_truncated_body_is_never_reported_complete() -> void:
	var http: Object = ClassDB.instantiate("PyHTTPClient")
	_connect(http)
	var r := _exchange(http, "/trunc")
	assert_eq([r[0], r[3]], [HTTPClient.STATUS_CONNECTION_ERROR, 5], "5 of 10 bytes, then an error")
	_works_again(http)


func test_smuggled_second_response_is_refused() -> void:
	var http: Object = ClassDB.instantiate("PyHTTPClient")
	_connect(http)
	var r := _exchange(http, "/smuggle")
	assert_eq([r[0], r[2], r[3]], [HTTPClient.STATUS_CONNECTED, 200, 5], "first response")
	OS.delay_msec(50)
	assert_eq(http.request(HTTPClient.METHOD_GET, "/ok", []), ERR_CONNECTION_ERROR, "the extra bytes refused")
	assert_eq(http.get_status(), HTTPClient.STATUS_CONNECTION_ERROR, "status")
	_works_again(http)


func test_stalled_server_keeps_poll_fast_and_close_recovers() -> void:
	var http: Object = ClassDB.instantiate("PyHTTPClient")
	_connect(http)
	http.request(HTTPClient.METHOD_GET, "/stall", [])
	var slowest := 0
	var until := Time.get_ticks_msec() + 300
	while Time.get_ticks_msec() < until:
		var t0 := Time.get_ticks_usec()
		assert_eq(http.poll(), OK, "poll while stalled")
		slowest = maxi(slowest, Time.get_ticks_usec() - t0)
		OS.delay_msec(2)
	assert_eq(http.get_status(), HTTPClient.STATUS_REQUESTING, "still waiting")
	assert_true(slowest < POLL_BUDGET_USEC, "slowest poll %d usec" % slowest)
	_works_again(http)


func test_invalid_methods_including_negative() -> void:
	var http: Object = ClassDB.instantiate("PyHTTPClient")
	_connect(http)
	for m in [-1, -9, 9, 1000]:
		assert_eq(http.request(m, "/ok", []), ERR_INVALID_PARAMETER, "method %d" % m)
		assert_eq(http.get_status(), HTTPClient.STATUS_CONNECTED, "nothing sent for method %d" % m)
	var r := _exchange(http, "/ok")
	assert_eq([r[2], r[3]], [200, 5], "the connection is still in step")
	http.close()


func test_ports_out_of_range_and_injection() -> void:
	var http: Object = ClassDB.instantiate("PyHTTPClient")
	for p in [0, 65536, 100000]:
		var err: int = http.connect_to_host("127.0.0.1", p)
		assert_eq([err, http.get_status()], [ERR_INVALID_PARAMETER, HTTPClient.STATUS_CANT_CONNECT], "port %d" % p)
		http.close()
	assert_eq(http.connect_to_host("127.0.0.1\r\nX: y", port), ERR_INVALID_PARAMETER, "CR/LF in host")
	_connect(http)
	assert_eq(http.request(HTTPClient.METHOD_GET, "/ok\r\nX: y", []), ERR_INVALID_PARAMETER, "CR/LF in URL")
	assert_eq(http.request(HTTPClient.METHOD_GET, "/ok", ["X: a\r\nY: b"]), ERR_INVALID_PARAMETER, "CR/LF in header")
	assert_eq(
		http.request(HTTPClient.METHOD_POST, "/ok", ["Content-Length: 2"], "abc"),
		ERR_INVALID_PARAMETER,
		"Content-Length disagreeing with the body"
	)
	assert_eq(
		http.request_raw(HTTPClient.METHOD_POST, "/ok", ["Content-Length: 9"], PackedByteArray([1])),
		ERR_INVALID_PARAMETER,
		"raw Content-Length disagreeing with the body"
	)
	_works_again(http)


func test_every_call_in_wrong_statuses() -> void:
	var http: Object = ClassDB.instantiate("PyHTTPClient")
	# DISCONNECTED
	assert_eq(http.request(HTTPClient.METHOD_GET, "/ok", []), ERR_INVALID_PARAMETER, "request when disconnected")
	assert_eq(http.read_response_body_chunk(), PackedByteArray(), "read when disconnected")
	assert_eq(http.poll(), ERR_UNCONFIGURED, "poll when disconnected")
	# CANT_CONNECT
	http.connect_to_host("127.0.0.1", 1)
	while http.get_status() == HTTPClient.STATUS_CONNECTING:
		http.poll()
		OS.delay_msec(1)
	assert_eq(http.get_status(), HTTPClient.STATUS_CANT_CONNECT, "refused")
	assert_eq(http.request(HTTPClient.METHOD_GET, "/ok", []), ERR_INVALID_PARAMETER, "request when CANT_CONNECT")
	assert_eq(http.read_response_body_chunk(), PackedByteArray(), "read when CANT_CONNECT")
	# REQUESTING
	http.close()
	_connect(http)
	http.request(HTTPClient.METHOD_GET, "/stall", [])
	assert_eq(http.request(HTTPClient.METHOD_GET, "/ok", []), ERR_INVALID_PARAMETER, "request when REQUESTING")
	assert_eq(http.read_response_body_chunk(), PackedByteArray(), "read when REQUESTING")
	assert_eq(http.get_response_headers(), PackedStringArray(), "headers when REQUESTING")
	_works_again(http)


func test_eight_threads_drive_blocking_clients() -> void:
	var threads: Array[Thread] = []
	for i in 8:
		var th := Thread.new()
		th.start(_blocking_worker.bind(20))
		threads.append(th)
	var results := []
	for th in threads:
		results.append(th.wait_to_finish())
	assert_eq(results, [20, 20, 20, 20, 20, 20, 20, 20], "every thread got every body")


func _blocking_worker(requests: int) -> int:
	var http: Object = ClassDB.instantiate("PyHTTPClient")
	http.set_blocking_mode(true)
	http.connect_to_host("127.0.0.1", port)
	while http.get_status() in [HTTPClient.STATUS_CONNECTING, HTTPClient.STATUS_RESOLVING]:
		http.poll()
	var good := 0
	for i in requests:
		if http.request(HTTPClient.METHOD_GET, "/ok", []) != OK:
			break
		while http.get_status() == HTTPClient.STATUS_REQUESTING:
			http.poll()
		var body := PackedByteArray()
		while http.get_status() == HTTPClient.STATUS_BODY:
			body.append_array(http.read_response_body_chunk())
		if http.get_response_code() == 200 and body.get_string_from_ascii() == "hello":
			good += 1
	# A hostile response in blocking mode still ends with an error, not a hang.
	http.request(HTTPClient.METHOD_GET, "/huge-header", [])
	while http.get_status() == HTTPClient.STATUS_REQUESTING:
		http.poll()
	if http.get_status() != HTTPClient.STATUS_CONNECTION_ERROR:
		good = -1
	http.close()
	return good
