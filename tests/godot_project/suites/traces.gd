## What the side-by-side suites (differential, request, realservers) share: a trace is an Array
## of [key, value] pairs a driver recorded for one class (the built-in, then ours); two traces
## are identical, or they differ only in fields that rows of docs/http-differences.md explain.
## Also the drivers' common chores: ports from the environment, the control server, bodies as
## text. Not a suite.
extends RefCounted

## Verdicts of [method verdict] that pass.
const IDENTICAL := "identical"
const DOCUMENTED := "documented"
## Bodies up to this many bytes are shown in hex, longer ones as length and SHA-256.
const HEX_LIMIT := 64


static func as_dict(trace: Array) -> Dictionary:
	var d := {}
	for pair in trace:
		d[pair[0]] = pair[1]
	return d


static func as_text(trace: Array) -> String:
	var lines := PackedStringArray()
	for pair in trace:
		lines.append("%s = %s" % [pair[0], pair[1]])
	return "\n".join(lines)


## The keys whose values differ, or that only one trace has, in the order first seen.
static func differing_keys(a: Array, b: Array) -> PackedStringArray:
	var da := as_dict(a)
	var db := as_dict(b)
	var keys := PackedStringArray()
	for pair in a + b:
		var key: String = pair[0]
		if not key in keys and (not da.has(key) or not db.has(key) or da[key] != db[key]):
			keys.append(key)
	return keys


## "first difference at KEY" with both values, for a failure message.
static func first_difference(a: Array, b: Array, a_name: String, b_name: String) -> String:
	var keys := differing_keys(a, b)
	if keys.is_empty():
		return "traces identical"
	var width := maxi(a_name.length(), b_name.length()) + 1
	return (
		"first difference at %s:\n  %s %s\n  %s %s"
		% [
			keys[0],
			(a_name + ":").rpad(width),
			as_dict(a).get(keys[0], "<absent>"),
			(b_name + ":").rpad(width),
			as_dict(b).get(keys[0], "<absent>")
		]
	)


## Whether a row's field list covers [param key] (the field itself or one of its "field.sub").
static func covered(key: String, fields: Array) -> bool:
	for f in fields:
		if key == f or key.begins_with(f + "."):
			return true
	return false


## What is wrong with the differences [param keys] given the rows that may explain them (each
## {"row": title in docs/http-differences.md, "fields": [...]}): "" when every row is in
## [param docs] and every differing key is covered by one of their fields.
static func unexplained(keys: PackedStringArray, rows: Array, docs: String) -> String:
	if rows.is_empty():
		return "traces differ at %s and no row of docs/http-differences.md explains it" % keys
	var fields := []
	for expected in rows:
		if not ("| %s |" % expected["row"]) in docs:
			return "row not in docs/http-differences.md: " + expected["row"]
		fields.append_array(expected["fields"])
	var stray := PackedStringArray()
	for key in keys:
		if not covered(key, fields):
			stray.append(key)
	if not stray.is_empty():
		return "differences at %s, outside the documented fields %s" % [stray, fields]
	return ""


## The verdict on a scenario's differing [param keys] when the scenario names the row that
## explains them in [param expected] ({"row", "fields"}, or null when the traces must be
## identical): IDENTICAL, DOCUMENTED, or what is wrong.
static func verdict(keys: PackedStringArray, expected, docs: String) -> String:
	if expected == null:
		return IDENTICAL if keys.is_empty() else "traces differ"
	if keys.is_empty():
		return "documented difference '%s' did not show: traces identical" % expected["row"]
	var wrong := unexplained(keys, [expected], docs)
	return DOCUMENTED if wrong.is_empty() else wrong


## {name: port} from "name:ENV_VAR" pairs; 0 where the variable is not set.
static func ports_from_env(pairs: Array) -> Dictionary:
	var ports := {}
	for pair in pairs:
		var parts: PackedStringArray = String(pair).split(":")
		ports[parts[0]] = int(OS.get_environment(parts[1])) if OS.has_environment(parts[1]) else 0
	return ports


## GET [param path] on the control server at [param port] with the built-in client (blocking);
## the body as text.
static func control(port: int, path: String) -> String:
	var h := HTTPClient.new()
	h.set_blocking_mode(true)
	h.connect_to_host("127.0.0.1", port)
	var deadline := Time.get_ticks_msec() + 5000
	while h.get_status() in [HTTPClient.STATUS_RESOLVING, HTTPClient.STATUS_CONNECTING]:
		h.poll()
		OS.delay_msec(1)
		if Time.get_ticks_msec() > deadline:
			return "control: cannot connect"
	h.request(HTTPClient.METHOD_GET, path, PackedStringArray())
	while h.get_status() == HTTPClient.STATUS_REQUESTING:
		h.poll()
	var body := PackedByteArray()
	while h.get_status() == HTTPClient.STATUS_BODY:
		body.append_array(h.read_response_body_chunk())
	h.close()
	return body.get_string_from_utf8()


## A body as "N bytes hex=..." (short) or "N bytes sha256=..." (long, the digest cut to
## [param digest_chars] when given).
static func body_text(body: PackedByteArray, digest_chars := -1) -> String:
	if body.size() <= HEX_LIMIT and digest_chars < 0:
		return "%d bytes hex=%s" % [body.size(), body.hex_encode()]
	var ctx := HashingContext.new()
	ctx.start(HashingContext.HASH_SHA256)
	if not body.is_empty():
		ctx.update(body)
	var digest := ctx.finish().hex_encode()
	return "%d bytes sha256=%s" % [body.size(), digest if digest_chars < 0 else digest.left(digest_chars)]
