## A GDScript HTTP client written the way Godot's HTTPClient tutorial drives the class
## (connect, poll until connected, request, poll until the body, read chunks until done),
## used with HTTPClient and with PyHTTPClient by the suites of this folder. Not a suite.
##
## The client object is untyped on purpose: the same code must drive both classes, as a
## script written for the built-in would after replacing the class name.
extends RefCounted


## Servers started by conftest.py (pytest) in this folder; empty when run without it.
static func env_port(name: String) -> int:
	return int(OS.get_environment(name)) if OS.has_environment(name) else 0


## Runs the tutorial loop for each path on one connection and returns a transcript:
## return codes, status sequences (repeats collapsed), response code, headers, body size and
## SHA-256. Everything in it is deterministic for a deterministic server.
static func fetch(
	http: Object,
	host: String,
	port: int,
	tls: TLSOptions,
	paths: Array,
	blocking: bool,
	request_headers: PackedStringArray = PackedStringArray()
) -> PackedStringArray:
	var log := PackedStringArray()
	http.set_blocking_mode(blocking)
	var err: int = http.connect_to_host(host, port, tls)
	log.append("connect_to_host -> %d" % err)
	var seen := PackedStringArray()
	var deadline := Time.get_ticks_msec() + 10000
	while http.get_status() == HTTPClient.STATUS_CONNECTING or http.get_status() == HTTPClient.STATUS_RESOLVING:
		var before: int = http.get_status()
		_note(seen, "%d/poll=%d" % [before, http.poll()])
		if Time.get_ticks_msec() > deadline:
			log.append("TIMEOUT while connecting")
			return log
		OS.delay_msec(1)
	_note(seen, "%d" % http.get_status())
	log.append("connecting: " + ",".join(seen))
	if http.get_status() != HTTPClient.STATUS_CONNECTED:
		log.append("response code %d" % http.get_response_code())
		return log
	for path in paths:
		err = http.request(HTTPClient.METHOD_GET, path, request_headers)
		log.append("request %s -> %d" % [path, err])
		seen = PackedStringArray()
		while http.get_status() == HTTPClient.STATUS_REQUESTING:
			var before: int = http.get_status()
			_note(seen, "%d/poll=%d" % [before, http.poll()])
			if Time.get_ticks_msec() > deadline + 20000:
				log.append("TIMEOUT while requesting")
				return log
			if not blocking:
				OS.delay_msec(1)
		_note(seen, "%d" % http.get_status())
		log.append("requesting: " + ",".join(seen))
		log.append(
			(
				"code=%d has_response=%s chunked=%s length=%d"
				% [
					http.get_response_code(),
					http.has_response(),
					http.is_response_chunked(),
					http.get_response_body_length()
				]
			)
		)
		if http.has_response():
			var headers: Dictionary = http.get_response_headers_as_dictionary()
			for key in headers:
				log.append("header %s: %s" % [key, headers[key]])
			log.append("has_response after taking headers: %s" % http.has_response())
		var body := PackedByteArray()
		seen = PackedStringArray()
		while http.get_status() == HTTPClient.STATUS_BODY:
			http.poll()
			var chunk: PackedByteArray = http.read_response_body_chunk()
			if chunk.size() == 0:
				if not blocking:
					OS.delay_msec(1)
			else:
				body = body + chunk
			_note(seen, "%d" % http.get_status())
			if Time.get_ticks_msec() > deadline + 40000:
				log.append("TIMEOUT while reading the body")
				return log
		log.append("body: %d bytes sha256=%s; statuses %s" % [body.size(), _sha256(body), ",".join(seen)])
		if path.begins_with("/echo"):
			log.append("echo: " + body.get_string_from_utf8().c_escape())
		if http.get_status() != HTTPClient.STATUS_CONNECTED:
			log.append("status after body: %d" % http.get_status())
			break
	http.close()
	log.append(
		"closed: status=%d code=%d connection=%s" % [http.get_status(), http.get_response_code(), http.get_connection()]
	)
	return log


static func _note(seen: PackedStringArray, what: String) -> void:
	if seen.is_empty() or seen[seen.size() - 1] != what:
		seen.append(what)


static func _sha256(data: PackedByteArray) -> String:
	var ctx := HashingContext.new()
	ctx.start(HashingContext.HASH_SHA256)
	if not data.is_empty():
		ctx.update(data)
	return ctx.finish().hex_encode()


## Compares two transcripts line by line; returns "" or the first difference.
static func first_difference(builtin: PackedStringArray, ours: PackedStringArray) -> String:
	for i in range(maxi(builtin.size(), ours.size())):
		var a: String = builtin[i] if i < builtin.size() else "<missing>"
		var b: String = ours[i] if i < ours.size() else "<missing>"
		if a != b:
			return "line %d differs:\n  HTTPClient:   %s\n  PyHTTPClient: %s" % [i, a, b]
	return ""
