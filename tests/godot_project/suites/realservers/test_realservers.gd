# Real-server suite (issue 13 part 4): HTTPClient and PyHTTPClient side by side in this
# process against real server implementations that conftest.py starts (nginx, lighttpd,
# Apache, gunicorn, waitress, uvicorn), over plain HTTP and TLS. Every exchange of
# exchanges.json gives identical traces (realserver_driver.gd), or the exchange names a row of
# docs/http-differences.md and the traces differ only in the fields it lists.
# timeout: 240
# expect-errors
extends TestSuite

const Driver := preload("res://suites/realservers/realserver_driver.gd")

const REUSE_ROW := "response after which the connection cannot carry another request"

var driver: Driver
var docs := ""
var by_name := {}
var summary := PackedStringArray()


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
		var f := FileAccess.open(OS.get_environment("REAL_SUMMARY"), FileAccess.WRITE)
		if f != null:
			f.store_string("\n".join(summary) + "\n")


static func _as_dict(trace: Array) -> Dictionary:
	var d := {}
	for pair in trace:
		d[pair[0]] = pair[1]
	return d


static func _as_text(trace: Array) -> String:
	var lines := PackedStringArray()
	for pair in trace:
		lines.append("%s = %s" % [pair[0], pair[1]])
	return "\n".join(lines)


static func _differing_keys(a: Array, b: Array) -> PackedStringArray:
	var da := _as_dict(a)
	var db := _as_dict(b)
	var keys := PackedStringArray()
	for pair in a + b:
		var key: String = pair[0]
		if not key in keys and (not da.has(key) or not db.has(key) or da[key] != db[key]):
			keys.append(key)
	return keys


static func _covered(key: String, fields: Array) -> bool:
	for f in fields:
		if key == f or key.begins_with(f + "."):
			return true
	return false


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
	var d := _as_dict(ours)
	for i in Array(ex["requests"]).size():
		if String(d.get("req%d.after" % i, "")).begins_with("status=%d " % HTTPClient.STATUS_DISCONNECTED):
			var fields := ["req%d.after" % i, "final"]
			for j in range(i + 1, Array(ex["requests"]).size()):
				fields.append("req%d" % j)
			found.append({"row": REUSE_ROW, "fields": fields})
			break
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
		var keys := _differing_keys(builtin, ours)
		var shown := "%s %s %s\n--- HTTPClient ---\n%s\n--- PyHTTPClient ---\n%s" % [name, "TLS" if tls else "plain",
				ex["name"], _as_text(builtin), _as_text(ours)]
		if keys.is_empty():
			identical.append(ex["name"])
			continue
		var explained := _explanations(ex, name, ours)
		if not assert_false(explained.is_empty(), "traces differ at %s and no row is documented:\n%s" % [keys,
				shown]):
			continue
		var fields := []
		for expected in explained:
			assert_true(("| %s |" % expected["row"]) in docs, "row not in docs/http-differences.md: " + expected["row"])
			fields.append_array(expected["fields"])
		var stray := PackedStringArray()
		for key in keys:
			if not _covered(key, fields):
				stray.append(key)
		if assert_eq(stray, PackedStringArray(), "differences outside the documented fields %s:\n%s" % [
				fields, shown]):
			documented.append(ex["name"])
	summary.append("realservers %s (%s, %s): %d identical, %d documented (%s) in %d ms" % [name,
			server["version"], "TLS" if tls else "plain", identical.size(), documented.size(),
			", ".join(documented), Time.get_ticks_msec() - started])
	assert_true(identical.size() + documented.size() > 0, "no exchange ran against " + name)


func test_nginx() -> void:
	_server("nginx", false)


func test_nginx_tls() -> void:
	_server("nginx", true)


func test_lighttpd() -> void:
	_server("lighttpd", false)


func test_lighttpd_tls() -> void:
	_server("lighttpd", true)


func test_apache() -> void:
	_server("apache", false)


func test_apache_tls() -> void:
	_server("apache", true)


func test_gunicorn() -> void:
	_server("gunicorn", false)


func test_gunicorn_tls() -> void:
	_server("gunicorn", true)


func test_waitress() -> void:
	_server("waitress", false)


func test_uvicorn() -> void:
	_server("uvicorn", false)


func test_uvicorn_tls() -> void:
	_server("uvicorn", true)
