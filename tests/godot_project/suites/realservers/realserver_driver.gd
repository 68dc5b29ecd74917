## Runs one exchange of exchanges.json against one real server with one client object
## (HTTPClient or PyHTTPClient, untyped: the same calls drive both) and returns its trace, an
## Array of [key, value] pairs. Not a suite.
##
## Trace keys: connect (rc and the status reached; poll counts depend on timing and, over
## TLS, on the TLS library, so they are left out), reqN.reconnect_from / reqN.reconnect (a
## request marked reconnect_unless_connected found the client not CONNECTED and connected
## again, as a loop written for the built-in does), reqN.rc, reqN.response (status after
## REQUESTING, code, body length, chunked), reqN.headers (without Date, which moves with the
## clock), reqN.body (size and SHA-256), reqN.after (status and code after the body),
## final (a poll FINAL_DELAY_MS later and the status).
##
## run_node does the same exchange with a request node (HTTPRequest or PyHTTPRequest, in the
## tree) for exchanges marked "node": every request of it in turn on one node, awaiting
## request_completed. Keys: reqN (what request() returned, or the result, code, headers
## without Date, and body size and SHA-256 delivered by request_completed).
extends RefCounted

const Traces := preload("res://suites/traces.gd")

const TIMEOUT_MS := 10000
## How long "final" waits before its poll: a server's FIN after the last response arrives
## within it on loopback.
const FINAL_DELAY_MS := 40

var ca: X509Certificate
var ims := ""


func _init() -> void:
	if OS.has_environment("REAL_CA_FILE"):
		ca = X509Certificate.new()
		ca.load(OS.get_environment("REAL_CA_FILE"))
	ims = OS.get_environment("REAL_IMS")


static func servers() -> Array:
	var parsed = JSON.parse_string(OS.get_environment("REAL_SERVERS"))
	return parsed if parsed is Array else []


static func exchanges() -> Array:
	var parsed = JSON.parse_string(FileAccess.get_file_as_string("res://suites/realservers/exchanges.json"))
	return parsed if parsed is Array else []


static func applies(ex: Dictionary, server: Dictionary) -> bool:
	var on: Array = ex.get("on", ["static", "app"])
	return server["kind"] in on or server["name"] in on


static func _wait(client: Object, statuses: Array) -> bool:
	var deadline := Time.get_ticks_msec() + TIMEOUT_MS
	while client.get_status() in statuses:
		client.poll()
		if Time.get_ticks_msec() > deadline:
			return false
		OS.delay_usec(200)
	return true


func _connect(t: Array, key: String, client: Object, host: String, port: int, tls: bool) -> void:
	var options: TLSOptions = TLSOptions.client(ca, "localhost") if tls else null
	var rc: int = client.connect_to_host(host, port, options)
	var done := _wait(client, [HTTPClient.STATUS_RESOLVING, HTTPClient.STATUS_CONNECTING])
	t.append([key, "rc=%d status=%d%s" % [rc, client.get_status(), "" if done else " TIMEOUT"]])


static func _headers(list: PackedStringArray) -> String:
	var kept := PackedStringArray()
	for line in list:
		if not line.to_lower().begins_with("date:"):
			kept.append(line)
	return " | ".join(kept)


func run(server: Dictionary, tls: bool, ex: Dictionary, client: Object) -> Array:
	var t := []
	var port: int = int(server["tls_port"] if tls else server["port"])
	var host: String = ex.get("host", "127.0.0.1")
	_connect(t, "connect", client, host, port, tls)
	if client.get_status() == HTTPClient.STATUS_CONNECTED:
		var requests: Array = ex["requests"]
		for i in requests.size():
			_request(t, "req%d" % i, server, tls, host, port, requests[i], client)
	OS.delay_msec(FINAL_DELAY_MS)
	t.append(["final", "poll=%d status=%d" % [client.poll(), client.get_status()]])
	client.close()
	return t


func _request(
	t: Array, k: String, server: Dictionary, tls: bool, host: String, port: int, q: Dictionary, client: Object
) -> void:
	if q.get("reconnect_unless_connected", false) and client.get_status() != HTTPClient.STATUS_CONNECTED:
		t.append([k + ".reconnect_from", str(client.get_status())])
		client.close()
		_connect(t, k + ".reconnect", client, host, port, tls)
	var url: String = q.get(server["kind"], q.get("static", "/"))
	url = url.replace("$QS", client.query_string_from_dict({"a": "b c", "n": 5, "list": [1, 2], "none": null}))
	var headers := PackedStringArray()
	for h in q.get("headers", []):
		headers.append(String(h).replace("$IMS", ims))
	var rc: int = client.request(int(q.get("method", HTTPClient.METHOD_GET)), url, headers, q.get("body", ""))
	t.append([k + ".rc", str(rc)])
	if rc != OK:
		t.append([k + ".state", "status=%d" % client.get_status()])
		return
	var done := _wait(client, [HTTPClient.STATUS_REQUESTING])
	t.append(
		[
			k + ".response",
			(
				"status=%d code=%d length=%d chunked=%s%s"
				% [
					client.get_status(),
					client.get_response_code(),
					client.get_response_body_length(),
					client.is_response_chunked(),
					"" if done else " TIMEOUT"
				]
			)
		]
	)
	t.append([k + ".headers", _headers(client.get_response_headers())])
	var body := PackedByteArray()
	var deadline := Time.get_ticks_msec() + TIMEOUT_MS
	while client.get_status() == HTTPClient.STATUS_BODY:
		var chunk: PackedByteArray = client.read_response_body_chunk()
		body.append_array(chunk)
		if Time.get_ticks_msec() > deadline:
			t.append([k + ".timeout", "body"])
			break
		if chunk.is_empty():
			client.poll()
			OS.delay_usec(200)
	t.append([k + ".body", Traces.body_text(body, 16)])
	t.append([k + ".after", "status=%d code=%d" % [client.get_status(), client.get_response_code()]])


func run_node(server: Dictionary, tls: bool, ex: Dictionary, node: Node) -> Array:
	var t := []
	var port: int = int(server["tls_port"] if tls else server["port"])
	var host: String = ex.get("host", "127.0.0.1")
	if ":" in host:
		host = "[%s]" % host
	var base := "%s://%s:%d" % ["https" if tls else "http", host, port]
	if tls:
		node.set_tls_options(TLSOptions.client(ca, "localhost"))
	var requests: Array = ex["requests"]
	for i in requests.size():
		var q: Dictionary = requests[i]
		var headers := PackedStringArray()
		for h in q.get("headers", []):
			headers.append(String(h).replace("$IMS", ims))
		var got := []
		var done := func(result: int, code: int, response_headers: PackedStringArray, body: PackedByteArray) -> void:
			got.append(
				(
					"result=%d code=%d headers=%s body=%s"
					% [result, code, _headers(response_headers), Traces.body_text(body, 16)]
				)
			)
		node.request_completed.connect(done, CONNECT_ONE_SHOT)
		var url: String = base + q.get(server["kind"], q.get("static", "/"))
		var rc: int = node.request(url, headers, int(q.get("method", HTTPClient.METHOD_GET)), q.get("body", ""))
		if rc != OK:
			node.request_completed.disconnect(done)
			t.append(["req%d" % i, "rc=%d" % rc])
			continue
		var deadline := Time.get_ticks_msec() + TIMEOUT_MS
		while got.is_empty() and Time.get_ticks_msec() < deadline:
			await node.get_tree().process_frame
		t.append(["req%d" % i, got[0] if not got.is_empty() else "TIMEOUT"])
	return t
