## Base of the real-server suites (issue 13 part 4; test_realservers.gd: plain HTTP,
## test_realservers_tls.gd: TLS, marked slow): HTTPClient and PyHTTPClient, then HTTPRequest
## and PyHTTPRequest, side by side in this process against real server implementations that
## conftest.py starts (nginx, lighttpd, Apache, gunicorn, waitress, uvicorn). Every exchange of
## exchanges.json gives identical traces (realserver_driver.gd), or the exchange names a row of
## docs/http-differences.md and the traces differ only in the fields it lists.
extends TestSuite

const Driver := preload("res://suites/realservers/realserver_driver.gd")
const Traces := preload("res://suites/traces.gd")

const REUSE_ROW := "response after which the connection cannot carry another request"
const CLOSING_SERVER_NODE_ROW := "a response the server ends by closing the connection"

var driver: Driver
var docs := ""
var by_name := {}
var summary := PackedStringArray()
## Names this suite's summary file (REAL_SUMMARY.<name>).
var summary_name := "plain"


func before_all() -> void:
	driver = Driver.new()
	for s in Driver.servers():
		by_name[s["name"]] = s
	if OS.has_environment("REAL_DOCS"):
		docs = FileAccess.get_file_as_string(OS.get_environment("REAL_DOCS"))


func after_all() -> void:
	for line in summary:
		print(line)
	if OS.has_environment("REAL_SUMMARY"):
		var f := FileAccess.open(OS.get_environment("REAL_SUMMARY") + "." + summary_name, FileAccess.WRITE)
		if f != null:
			f.store_string("\n".join(summary) + "\n")


## The documented rows that may explain differences in this exchange: its own (exchanges.json,
## for this server or "*"), and the connection-reuse row wherever PyHTTPClient ended a
## response DISCONNECTED (a server that closes after it: Connection: close, HTTP/1.0, ...):
## from that response's "after" on, the traces may differ (the built-in stays CONNECTED and
## fails the next request; ours reconnects).
static func _explanations(ex: Dictionary, server: String, ours: Array) -> Array:
	var found := []
	var rows: Dictionary = ex.get("documented", {})
	if rows.get(server, rows.get("*")) != null:
		found.append(rows.get(server, rows.get("*")))
	var d := Traces.as_dict(ours)
	for i in Array(ex["requests"]).size():
		if String(d.get("req%d.after" % i, "")).begins_with("status=%d " % HTTPClient.STATUS_DISCONNECTED):
			var fields := ["req%d.after" % i, "final"]
			for j in range(i + 1, Array(ex["requests"]).size()):
				fields.append("req%d" % j)
			found.append({"row": REUSE_ROW, "fields": fields})
			break
	return found


## The rows that may explain node differences: the exchange's own ("node_documented"), and the
## closing-server row for each request the built-in failed (RESULT_CONNECTION_ERROR, code 0)
## where PyHTTPRequest delivered a successful response that said Connection: close.
static func _node_explanations(ex: Dictionary, server: String, builtin: Array, ours: Array) -> Array:
	var found := []
	var rows: Dictionary = ex.get("node_documented", {})
	if rows.get(server, rows.get("*")) != null:
		found.append(rows.get(server, rows.get("*")))
	var b := Traces.as_dict(builtin)
	var o := Traces.as_dict(ours)
	var fields := []
	for key in b:
		var theirs := String(b[key])
		var mine := String(o.get(key, ""))
		if (
			theirs.begins_with("result=%d code=0 " % HTTPRequest.RESULT_CONNECTION_ERROR)
			and mine.begins_with("result=%d " % HTTPRequest.RESULT_SUCCESS)
			and "connection: close" in mine.to_lower()
		):
			fields.append(key)
	if not fields.is_empty():
		found.append({"row": CLOSING_SERVER_NODE_ROW, "fields": fields})
	return found


func _server(name: String, tls: bool) -> void:
	if not assert_true(by_name.has(name), "server %s is not running: run this suite through pytest" % name):
		return
	var server: Dictionary = by_name[name]
	if tls and not assert_true(int(server["tls_port"]) > 0, "%s has no TLS port" % name):
		return
	var started := Time.get_ticks_msec()
	var identical := PackedStringArray()
	var documented := PackedStringArray()
	for ex in Driver.exchanges():
		if not Driver.applies(ex, server):
			continue
		var builtin := driver.run(server, tls, ex, HTTPClient.new())
		var ours := driver.run(server, tls, ex, ClassDB.instantiate("PyHTTPClient"))
		var keys := Traces.differing_keys(builtin, ours)
		var shown := (
			"%s %s %s\n--- HTTPClient ---\n%s\n--- PyHTTPClient ---\n%s"
			% [name, "TLS" if tls else "plain", ex["name"], Traces.as_text(builtin), Traces.as_text(ours)]
		)
		if keys.is_empty():
			identical.append(ex["name"])
			continue
		var wrong := Traces.unexplained(keys, _explanations(ex, name, ours), docs)
		if assert_true(wrong.is_empty(), "%s:\n%s" % [wrong, shown]):
			documented.append(ex["name"])
	summary.append(
		(
			"realservers %s (%s, %s): %d identical, %d documented (%s) in %d ms"
			% [
				name,
				server["version"],
				"TLS" if tls else "plain",
				identical.size(),
				documented.size(),
				", ".join(documented),
				Time.get_ticks_msec() - started
			]
		)
	)
	assert_true(identical.size() + documented.size() > 0, "no exchange ran against " + name)
	await _nodes(name, server, tls)


## The same exchanges (those marked "node") with HTTPRequest and PyHTTPRequest, when the
## PyHTTPRequest class is there.
func _nodes(name: String, server: Dictionary, tls: bool) -> void:
	if not assert_true(ClassDB.class_exists("PyHTTPRequest"), "PyHTTPRequest is not registered"):
		return
	var started := Time.get_ticks_msec()
	var identical := PackedStringArray()
	var documented := PackedStringArray()
	var connections := PackedStringArray()
	for ex in Driver.exchanges():
		if not ex.get("node", false) or not Driver.applies(ex, server):
			continue
		var builtin_node: Node = add_child_autofree(HTTPRequest.new())
		var our_node: Node = add_child_autofree(ClassDB.instantiate("PyHTTPRequest"))
		var builtin: Array = await driver.run_node(server, tls, ex, builtin_node)
		var ours: Array = await driver.run_node(server, tls, ex, our_node)
		if Array(ex["requests"]).size() > 1:
			# Keep-alive reuse (docs/http-differences.md): the node's requests share one
			# connection unless a response said Connection: close (gunicorn's sync workers).
			var closes := "connection: close" in Traces.as_text(ours).to_lower()
			var opened: int = our_node.get_connection_count()
			connections.append("%s %d->%d" % [ex["name"], Array(ex["requests"]).size(), opened])
			if not closes:
				assert_eq(opened, 1, "%s %s: PyHTTPRequest connections for %s" % [name, ex["name"], ex["requests"]])
		var keys := Traces.differing_keys(builtin, ours)
		if keys.is_empty():
			identical.append(ex["name"])
			continue
		var shown := (
			"%s %s %s (nodes)\n--- HTTPRequest ---\n%s\n--- PyHTTPRequest ---\n%s"
			% [name, "TLS" if tls else "plain", ex["name"], Traces.as_text(builtin), Traces.as_text(ours)]
		)
		var wrong := Traces.unexplained(keys, _node_explanations(ex, name, builtin, ours), docs)
		if assert_true(wrong.is_empty(), "nodes: %s:\n%s" % [wrong, shown]):
			documented.append(ex["name"])
	(
		summary
		. append(
			(
				"realservers %s (%s, %s) request nodes: %d identical, %d documented (%s), PyHTTPRequest connections (%s) in %d ms"
				% [
					name,
					server["version"],
					"TLS" if tls else "plain",
					identical.size(),
					documented.size(),
					", ".join(documented),
					", ".join(connections),
					Time.get_ticks_msec() - started
				]
			)
		)
	)
