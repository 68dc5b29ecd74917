## Runs one scenario of scenarios.json against a client object (HTTPClient or PyHTTPClient)
## and returns its trace: an Array of [key, value] pairs, every value a String. Not a suite.
##
## The client is untyped on purpose: the same calls drive both classes. The scripted servers
## (conftest.py) answer per scenario; the control server says what they received.
##
## Trace keys: setup.*, connect.rc, connect.seq (status/poll return while RESOLVING or
## CONNECTING, repeats collapsed, then the status reached), connect.code, reqN.rc,
## reqN.seq (the same while REQUESTING), reqN.response (code, has_response, chunked, body
## length), reqN.headers (get_response_headers), reqN.dict (..._as_dictionary),
## reqN.has_response_after, reqN.reads (size:status of every read, repeats collapsed),
## reqN.body (hex, or size and SHA-256 when long), reqN.after, reqN.reconnect_from (the status a
## request with reconnect_unless_connected found), final (a poll 60 ms later),
## close (state after close()), server.connections, server.requests (the exact bytes).
extends RefCounted

const Traces := preload("res://suites/traces.gd")

const DEFAULT_CONNECT := {"host": "127.0.0.1", "port": "main"}

var ports := {}
var ca: X509Certificate
var server_options: TLSOptions


func _init() -> void:
	ports = Traces.ports_from_env(
		[
			"main:DIFF_PORT",
			"v6:DIFF_V6_PORT",
			"tls:DIFF_TLS_PORT",
			"closed:DIFF_CLOSED_PORT",
			"control:DIFF_CONTROL_PORT"
		]
	)
	if OS.has_environment("DIFF_CA_FILE"):
		ca = X509Certificate.new()
		ca.load(OS.get_environment("DIFF_CA_FILE"))


func ready() -> bool:
	return ports["main"] > 0 and ports["control"] > 0


static func load_scenarios() -> Array:
	var text := FileAccess.get_file_as_string("res://suites/differential/scenarios.json")
	var parsed = JSON.parse_string(text)
	return parsed if parsed is Array else []


func port_of(token) -> int:
	if token is String:
		return ports.get(token, 0)
	return int(token)


func _tls(kind) -> TLSOptions:
	match kind:
		"unsafe":
			return TLSOptions.client_unsafe()
		"ca":
			return TLSOptions.client(ca)
		"server":
			if server_options == null:
				var crypto := Crypto.new()
				var key := crypto.generate_rsa(2048)
				var cert := crypto.generate_self_signed_certificate(key, "CN=differential")
				server_options = TLSOptions.server(key, cert)
			return server_options
	return null


static func _note(seen: PackedStringArray, entry: String) -> void:
	if seen.is_empty() or seen[-1] != entry:
		seen.append(entry)


## Polls while the status is one of [param statuses]; "status/poll=rc" entries, collapsed.
static func _wait(client: Object, statuses: Array, blocking: bool, timeout_ms: int) -> String:
	var seen := PackedStringArray()
	var deadline := Time.get_ticks_msec() + timeout_ms
	while client.get_status() in statuses:
		var before: int = client.get_status()
		_note(seen, "%d/poll=%d" % [before, client.poll()])
		if Time.get_ticks_msec() > deadline:
			_note(seen, "TIMEOUT")
			break
		if not blocking:
			OS.delay_msec(1)
	_note(seen, "%d" % client.get_status())
	return ",".join(seen)


static func _state(client: Object) -> String:
	return (
		"status=%d code=%d length=%d chunked=%s has_response=%s"
		% [
			client.get_status(),
			client.get_response_code(),
			client.get_response_body_length(),
			client.is_response_chunked(),
			client.has_response()
		]
	)


func run(sc: Dictionary, client: Object) -> Array:
	var t := []
	var name: String = sc["name"]
	var begun := Traces.control(ports["control"], "/begin?name=" + name.uri_encode())
	if begun != "ok":
		t.append(["error", "control /begin: " + begun])
		return t
	if sc.get("kind", "") == "query_string":
		return _query_strings(client)
	var blocking := bool(sc.get("blocking", false))
	client.set_blocking_mode(blocking)
	t.append(["setup.blocking", str(client.is_blocking_mode_enabled())])
	var sizes: Array = sc.get("read_chunk_size", [])
	for i in sizes.size():
		client.set_read_chunk_size(int(sizes[i]))
		t.append(["setup.read_chunk_size%d" % i, str(client.get_read_chunk_size())])
	if sc.has("http_proxy"):
		client.set_http_proxy(sc["http_proxy"][0], port_of(sc["http_proxy"][1]))
	if sc.has("https_proxy"):
		client.set_https_proxy(sc["https_proxy"][0], port_of(sc["https_proxy"][1]))
	var conn = sc.get("connect", DEFAULT_CONNECT)
	if conn != null:
		var times := 2 if conn.get("again", false) else 1
		for attempt in times:
			var suffix := "" if attempt == 0 else ".again"
			var rc: int = client.connect_to_host(conn["host"], port_of(conn["port"]), _tls(conn.get("tls")))
			t.append(["connect.rc" + suffix, str(rc)])
			if client.get_status() == HTTPClient.STATUS_RESOLVING:
				# Both resolve on a worker thread: whether the first poll finds the answer
				# ready is a race. Give it time, so the trace shows the outcome.
				OS.delay_msec(50)
			var seq := _wait(client, [HTTPClient.STATUS_RESOLVING, HTTPClient.STATUS_CONNECTING], blocking, 5000)
			if sc.get("tls_handshake_outcome_only", false):
				# How many polls a handshake takes depends on timing and on the TLS library
				# (mbedTLS vs OpenSSL): keep the last poll and the status reached.
				seq = ",".join(seq.split(",").slice(-2))
			t.append(["connect.seq" + suffix, seq])
		if client.get_status() != HTTPClient.STATUS_CONNECTED:
			t.append(["connect.state", _state(client)])
			t.append(["connect.poll_again", "%d/%d" % [client.poll(), client.get_status()]])
	var requests: Array = sc.get("requests", [])
	for i in requests.size():
		_request(t, "req%d" % i, sc, requests[i], client, blocking)
	OS.delay_msec(60)
	t.append(["final", "poll=%d %s" % [client.poll(), _state(client)]])
	client.close()
	var read := client.read_response_body_chunk() as PackedByteArray
	t.append(["close", "%s poll=%d read=%d" % [_state(client), client.poll(), read.size()]])
	var log = JSON.parse_string(Traces.control(ports["control"], "/log"))
	if log is Dictionary:
		t.append(["server.connections", str(int(log["connections"]))])
		t.append(["server.requests", "\n".join(PackedStringArray(log["requests"]))])
	else:
		t.append(["server", "control /log failed"])
	return t


func _request(t: Array, k: String, sc: Dictionary, q: Dictionary, client: Object, blocking: bool) -> void:
	if q.get("poll_before", false):
		OS.delay_msec(100)
		t.append([k + ".poll_before", "poll=%d status=%d" % [client.poll(), client.get_status()]])
	if q.has("delay_before"):
		OS.delay_msec(int(q["delay_before"]))  # time passes, no poll()
	if q.get("reconnect_unless_connected", false) and client.get_status() != HTTPClient.STATUS_CONNECTED:
		# What a loop written for the built-in does: a client that is not CONNECTED reconnects.
		t.append([k + ".reconnect_from", str(client.get_status())])
		q = q.duplicate()
		q["reconnect_before"] = true
	if q.get("reconnect_before", false):
		client.close()
		var conn = sc.get("connect", DEFAULT_CONNECT)
		t.append(
			[
				k + ".reconnect",
				(
					"%d %s"
					% [
						client.connect_to_host(conn["host"], port_of(conn["port"]), _tls(conn.get("tls"))),
						_wait(client, [HTTPClient.STATUS_RESOLVING, HTTPClient.STATUS_CONNECTING], blocking, 5000)
					]
				)
			]
		)
	if q.has("set_http_proxy"):
		client.set_http_proxy(q["set_http_proxy"][0], port_of(q["set_http_proxy"][1]))
	var method := int(q.get("method", 0))
	var url: String = q.get("url", "/s/" + sc["name"])
	var headers := PackedStringArray(q.get("headers", []))
	var rc: int
	if q.has("raw_hex"):
		rc = client.request_raw(method, url, headers, (q["raw_hex"] as String).hex_decode())
	elif q.has("body_repeat"):
		rc = client.request(method, url, headers, (q["body_repeat"][0] as String).repeat(int(q["body_repeat"][1])))
	elif q.has("body"):
		rc = client.request(method, url, headers, q["body"])
	else:
		rc = client.request(method, url, headers)
	t.append([k + ".rc", str(rc)])
	if q.get("twice", false):
		t.append([k + ".rc_twice", str(client.request(method, url, headers))])
	if rc != OK:
		t.append([k + ".state", _state(client)])
		return
	t.append([k + ".seq", _wait(client, [HTTPClient.STATUS_REQUESTING], blocking, 5000)])
	t.append([k + ".response", _state(client)])
	if sc.get("headers_mode", "array") == "dict":
		t.append([k + ".dict", var_to_str(client.get_response_headers_as_dictionary())])
		t.append([k + ".headers", var_to_str(client.get_response_headers())])
	else:
		t.append([k + ".headers", var_to_str(client.get_response_headers())])
		t.append([k + ".dict", var_to_str(client.get_response_headers_as_dictionary())])
	t.append([k + ".has_response_after", str(client.has_response())])
	if q.get("request_in_body", false) and client.get_status() == HTTPClient.STATUS_BODY:
		t.append([k + ".rc_in_body", str(client.request(HTTPClient.METHOD_GET, url, PackedStringArray()))])
	var seen := PackedStringArray()
	var body := PackedByteArray()
	var deadline := Time.get_ticks_msec() + int(sc.get("body_timeout_ms", 3000))
	var poll_between := bool(sc.get("poll_between_reads", false))
	var max_reads := int(q.get("max_reads", -1))
	while client.get_status() == HTTPClient.STATUS_BODY and max_reads != 0:
		max_reads -= 1
		if poll_between:
			var p: int = client.poll()
			if p != OK:
				_note(seen, "poll=%d:%d" % [p, client.get_status()])
			if client.get_status() != HTTPClient.STATUS_BODY:
				break
		var chunk: PackedByteArray = client.read_response_body_chunk()
		body.append_array(chunk)
		_note(seen, "%d:%d" % [chunk.size(), client.get_status()])
		if Time.get_ticks_msec() > deadline:
			_note(seen, "TIMEOUT")
			break
		if chunk.is_empty() and not blocking:
			OS.delay_msec(1)
	t.append([k + ".reads", ",".join(seen)])
	t.append([k + ".body", Traces.body_text(body)])
	t.append([k + ".after", _state(client)])


## query_string_from_dict on the spec's examples (section 9) and a few more value types.
static func _query_strings(client: Object) -> Array:
	var cases := [
		{},
		{"key": "value"},
		{"key1": "value", "key2": 123, "key3": [1, 2, 3], "key4": null},
		{"username": "user", "password": "pass"},
		{"single": 123, "not_valued": null, "multiple": [22, 33, 44]},
		{"a b": "c d&e=f", "ü": "é/?#"},
		{"sp": "~-_.!*'()"},
		{"plus": "a+b", "pct": "100%", "emoji": "😀", "nl": "a\nb", "empty": ""},
		{"n": [null, "", 2.0]},
		{"z": []},
		{5: "intkey"},
		{1.5: "a", true: "b", null: "c", [1]: "d"},
		{"d": {"k": 1}},
		{"f": [2.0, 1e20, -0.0, 1.0 / 3.0, 0.1, 1e-7, 123.456, 1234567.891, -2.5, INF, -INF, NAN]},
		{"i": [9223372036854775807, -3, 0, false]},
		{"v": Vector2(1, 2), "vi": Vector2i(3, 4), "c": Color(1, 0, 0, 1)},
		{"sn": &"a/b", "np": NodePath("a/b"), "pba": PackedByteArray([1, 2])},
		{"nested": [[1, 2], {"a": null}]},
		{"pi": PackedInt32Array([3, 4]), "ps": PackedStringArray(["x y", "z"]), "v3": Vector3(1, 2, 3)},
	]
	var t := []
	for i in cases.size():
		t.append(["qs%d" % i, client.query_string_from_dict(cases[i])])
	return t
